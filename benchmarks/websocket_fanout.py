"""WebSocket fan-out latency: `uv run python benchmarks/websocket_fanout.py`.

The async + Channels variant runs under gunicorn with one uvicorn worker and the Redis channel
layer. `--clients` WebSocket clients (JWT in the query string) join one project; then `--writes`
tasks are created through the API, one at a time. For every client and every write, the
latency is the time from the moment the API request is sent to the moment that client has the
matching task.created message. Goal (from the issue): p99 <= 50 ms on this machine.

The clients and the writer share one asyncio loop in this process, so the time this process
takes to read 100 frames is part of the measured latency: the numbers are an upper bound.
Writes are spaced (`--gap`) so each one measures fan-out, not a queue of earlier writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from harness import (
    Project,
    access_token,
    flush_redis,
    free_port,
    fresh_database,
    generate,
    install,
    machine,
    print_table,
    seed,
    summary_ms,
    write_results,
)
from websockets.asyncio.client import connect

GOAL_P99_MS = 50.0
REDIS_DB = 11  # the benchmark's own Redis database, flushed before use
RECEIPT_TIMEOUT = 5.0  # seconds a write waits for every client before counting the rest missing


def prepare(tmp: Path) -> tuple[Project, str]:
    path = generate(tmp / "channels", use_async=True, use_channels=True)
    install(path)
    flush_redis(REDIS_DB)
    env = {
        "DATABASE_URL": fresh_database("bench_ws"),
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "CHANNELS_PREFIX": "bench-ws",
    }
    project = Project(path, env)
    return project, seed(project, tasks=10)


class Receipts:
    """When each client received each write's task.created, keyed by write number."""

    def __init__(self) -> None:
        self.times: dict[int, list[float]] = defaultdict(list)
        self.changed = asyncio.Event()

    def record(self, write: int, at: float) -> None:
        self.times[write].append(at)
        self.changed.set()

    async def wait_for(self, write: int, count: int, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while len(self.times[write]) < count:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return


async def client(url: str, receipts: Receipts, connected: asyncio.Queue[float]) -> None:
    start = time.perf_counter()
    async with connect(url, ping_interval=None, max_size=2**20) as ws:
        # A pong proves the consumer runs and has joined the project's group (it joins
        # before accepting the handshake).
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await ws.recv())["type"] == "pong"
        await connected.put(time.perf_counter() - start)
        async for raw in ws:
            at = time.perf_counter()  # first thing: parsing is the client's cost, not the server's
            message = json.loads(raw)
            title = message.get("task", {}).get("title", "")
            if message.get("type") == "task.created" and title.startswith("fanout-"):
                receipts.record(int(title.removeprefix("fanout-")), at)


async def run(base: str, project_id: str, args: argparse.Namespace) -> dict[str, object]:
    token = access_token(base)
    ws_url = base.replace("http://", "ws://") + f"/ws/projects/{project_id}/?token={token}"
    receipts = Receipts()
    connected: asyncio.Queue[float] = asyncio.Queue()
    clients = [asyncio.create_task(client(ws_url, receipts, connected))
               for _ in range(args.clients)]  # fmt: skip
    try:
        connect_times = [await asyncio.wait_for(connected.get(), 30) for _ in clients]
        sent_at: dict[int, float] = {}
        api_times = []
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as http:
            # One write nobody measures, so the worker's first-request costs are not counted.
            await http.post("/api/v1/tasks/", json={"project_id": project_id, "title": "warm-up"})
            await asyncio.sleep(args.gap)
            for write in range(args.writes):
                body = {"project_id": project_id, "title": f"fanout-{write}"}
                sent_at[write] = time.perf_counter()
                response = await http.post("/api/v1/tasks/", json=body)
                api_times.append(time.perf_counter() - sent_at[write])
                response.raise_for_status()
                await receipts.wait_for(write, args.clients, RECEIPT_TIMEOUT)
                await asyncio.sleep(args.gap)
    finally:
        for task in clients:
            task.cancel()
        await asyncio.gather(*clients, return_exceptions=True)

    latencies = [at - sent_at[w] for w, times in receipts.times.items() for at in times]
    last = [max(receipts.times[w]) - sent_at[w] for w in sent_at if receipts.times[w]]
    expected = args.clients * args.writes
    return {
        "receipt_latency": summary_ms(latencies),
        "last_client_per_write": summary_ms(last),
        "api_post": summary_ms(api_times),
        "connect": summary_ms(connect_times),
        "receipts": len(latencies),
        "missing": expected - len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.2, help="seconds between writes")
    args = parser.parse_args()

    data: dict[str, object] = {"machine": machine(), "settings": vars(args)}
    with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
        project, project_id = prepare(Path(tmp))
        with project.gunicorn(free_port()) as base:
            data.update(asyncio.run(run(base, project_id, args)))
    data["load_average_at_end"] = machine()["load_average_at_start"]
    p99 = data["receipt_latency"]["p99_ms"]
    data["goal_met"] = p99 <= GOAL_P99_MS and data["missing"] == 0

    print(f"\n{args.clients} clients, {args.writes} writes {args.gap}s apart")
    rows = []
    for label in ("receipt_latency", "last_client_per_write", "api_post", "connect"):
        s = data[label]
        rows.append([label, s["n"], s["p50_ms"], s["p99_ms"], s["max_ms"]])
    print_table(["measure", "n", "p50 ms", "p99 ms", "max ms"], rows)
    print(f"missing receipts: {data['missing']}")
    verdict = "met" if data["goal_met"] else "NOT met"
    print(f"receipt p99 {p99} ms (goal <= {GOAL_P99_MS} ms, none missing): {verdict}")
    write_results("websocket_fanout", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
