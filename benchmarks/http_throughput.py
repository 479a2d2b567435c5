"""Task-list throughput, sync (WSGI) vs async (ASGI): `uv run python benchmarks/http_throughput.py`.

For each variant, one gunicorn worker (sync worker for WSGI, uvicorn worker for ASGI) on
PostgreSQL serves two endpoints, loaded in turn by wrk with the same connections and duration:

- `GET /api/v1/tasks/?page_size=50`, authenticated by JWT: 50 tasks with project, assignee and
  author, the real endpoint;
- `GET /bench/bare/`, a view that returns a fixed JSON body through the same middleware: the
  ceiling of this server for this stack.

The goal (from the issue) is that the real endpoint reaches at least half the bare view's
throughput. Needs wrk (`apt-get install wrk`), PostgreSQL and nothing else.

Options: `--duration 15 --warmup 5 --connections 8`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from harness import (
    Project,
    access_token,
    free_port,
    fresh_database,
    generate,
    install,
    machine,
    print_table,
    seed,
    write_results,
)

TASKS_URL = "/api/v1/tasks/?page_size=50"
BARE_URL = "/bench/bare/"
GOAL_RATIO = 0.5

# The bare view and its URLconf exist only in the generated copy, never in the template.
# Under ASGI the view is async, as an async project's own views are, so neither endpoint pays
# a thread hop the other does not.
BENCH_URLS = '''"""Benchmark only: the project's URLs plus a bare JSON view (the ceiling)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path

from config.urls import handler404, handler500, urlpatterns as project_urls  # noqa: F401

BODY = {"status": "ok", "items": list(range(10))}


@login_not_required
{def_} bare(request):
    return JsonResponse(BODY)


urlpatterns = [path("bench/bare/", bare), *project_urls]
'''
BENCH_SETTINGS = '''"""Benchmark only: production settings with the benchmark's URLconf."""

from .production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
'''

# wrk prints its own report; this Lua hook adds one machine-readable line at the end.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def prepare(tmp: Path, *, use_async: bool) -> tuple[Project, str]:
    """Generate, install and seed one variant; returns it and its DATABASE_URL."""
    name = "async" if use_async else "sync"
    path = generate(tmp / name, use_async=use_async)
    install(path)
    (path / "bench_urls.py").write_text(
        BENCH_URLS.replace("{def_}", "async def" if use_async else "def")
    )
    (path / "config" / "settings" / "bench.py").write_text(BENCH_SETTINGS)
    database = fresh_database(f"bench_http_{name}")
    project = Project(path, {"DATABASE_URL": database,
                             "DJANGO_SETTINGS_MODULE": "config.settings.bench"})  # fmt: skip
    seed(project, tasks=250)
    return project, name


def wrk(url: str, token: str, *, seconds: int, connections: int, script: Path,
        headers: dict[str, str] | None = None) -> dict:  # fmt: skip
    """One wrk run; returns requests/s and latency percentiles in ms."""
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-H", f"Authorization: Bearer {token}", *extra, "-s", str(script), url]  # fmt: skip
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
    }


def check_endpoints(base: str, token: str) -> None:
    """Fail before measuring if either endpoint does not answer what the benchmark claims."""
    headers = {"Authorization": f"Bearer {token}"}
    tasks = httpx.get(base + TASKS_URL, headers=headers, timeout=10)
    tasks.raise_for_status()
    results = tasks.json()["results"]
    assert len(results) == 50 and results[0]["assignee"], "expected 50 tasks with assignees"
    httpx.get(base + BARE_URL, timeout=10).raise_for_status()


def measure(project: Project, args: argparse.Namespace, script: Path) -> dict[str, dict]:
    port = free_port()
    with project.gunicorn(port) as base:
        token = access_token(base)  # valid 5 minutes: one run of this function is shorter
        check_endpoints(base, token)
        results = {}
        for label, path in (("tasks", TASKS_URL), ("bare", BARE_URL)):
            # The warm-up fills the connection pool and the worker's caches; it is not counted.
            wrk(base + path, token, seconds=args.warmup, connections=args.connections,
                script=script)  # fmt: skip
            results[label] = wrk(base + path, token, seconds=args.duration,
                                 connections=args.connections, script=script)  # fmt: skip
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is required: apt-get install -y wrk")
        return 2

    data: dict[str, object] = {"machine": machine(), "settings": vars(args), "variants": {}}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        script = Path(tmp, "report.lua")
        script.write_text(WRK_REPORT)
        for use_async in (False, True):
            project, name = prepare(Path(tmp), use_async=use_async)
            results = measure(project, args, script)
            ratio = results["tasks"]["rps"] / results["bare"]["rps"]
            data["variants"][name] = {**results, "ratio": round(ratio, 3),
                                      "goal_met": ratio >= GOAL_RATIO}  # fmt: skip
            for label in ("tasks", "bare"):
                r = results[label]
                rows.append([name, label, r["rps"], r["p50_ms"], r["p99_ms"],
                             r["non_2xx"] + r["socket_errors"],
                             f"{ratio:.2f}" if label == "tasks" else ""])  # fmt: skip
    data["load_average_at_end"] = machine()["load_average_at_start"]
    print(f"\n{args.connections} connections, {args.duration}s each after {args.warmup}s warm-up")
    print_table(["variant", "endpoint", "req/s", "p50 ms", "p99 ms", "errors", "tasks/bare"],
                rows)  # fmt: skip
    for name, result in data["variants"].items():
        verdict = "met" if result["goal_met"] else "NOT met"
        print(f"{name}: tasks reach {result['ratio']:.0%} of bare (goal >= 50%): {verdict}")
    write_results("http_throughput", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
