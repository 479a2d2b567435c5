"""Celery throughput and latency: `uv run python benchmarks/celery_throughput.py`.

The Celery variant's worker (`celery -A config worker -Q default,slow --concurrency 2`, the
project's own settings: acks_late, prefetch 1, task events) runs on a Redis broker, which is
also the result backend. Measured, for each task:

- sequential: one task at a time, enqueue-to-done latency with the worker idle;
- burst: `--burst` tasks enqueued at once; tasks/s from the first enqueue to the last finish,
  and each task's enqueue-to-done latency (which includes its wait in the queue).

Tasks: `bench.noop` (defined here, written into the generated copy only: the floor of what any
task costs), `apps.core.tasks.clear_expired_sessions` (the template's, on the "slow" queue)
and, when the template has the jobs app, `apps.jobs.tasks.export_project_tasks` started
through the API (POST /api/v1/projects/<id>/exports/), which writes a CSV of the project's
tasks. "Done" is the result backend's date_done for the first two, and the ExportJob's
finished_at (created_at is the enqueue time) for exports.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
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

REDIS_DB = 12  # the benchmark's own Redis database, flushed before use

# Benchmark-only task module, loaded by the worker with --include; never in the template.
BENCH_TASKS = '''"""Benchmark only: a task that does nothing, the floor of what any task costs."""

from celery import shared_task


@shared_task(name="bench.noop")
def noop() -> None:
    return None
'''

# Runs inside the generated project (its venv and settings): enqueues through the project's
# own Celery app, so routing (clear_expired_sessions goes to "slow") is the real one.
DRIVER = """
import json, sys, time

from config.celery import app

name, sequential, burst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def finished(result):
    result.get(timeout=120, propagate=True)
    return result.date_done.timestamp()  # set by the worker when it stores the result


app.send_task(name).get(timeout=120)  # warm-up: connections, the worker's first import
seq = []
for _ in range(sequential):
    sent = time.time()
    seq.append(finished(app.send_task(name)) - sent)
sent_at, results = [], []
for _ in range(burst):
    sent_at.append(time.time())
    results.append(app.send_task(name))
done_at = [finished(r) for r in results]
print("BENCH_JSON " + json.dumps({
    "sequential": seq,
    "burst": [d - s for d, s in zip(done_at, sent_at)],
    "burst_seconds": max(done_at) - sent_at[0],
}))
"""


def prepare(tmp: Path, export_rows: int) -> tuple[Project, str]:
    path = generate(tmp / "celery", use_celery=True)
    install(path)
    (path / "bench_tasks.py").write_text(BENCH_TASKS)
    flush_redis(REDIS_DB)
    broker = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env = {"DATABASE_URL": fresh_database("bench_celery"), "CELERY_BROKER_URL": broker,
           "MEDIA_ROOT": str(tmp / "media")}  # fmt: skip
    project = Project(path, env)
    return project, seed(project, tasks=export_rows)


def run_driver(project: Project, name: str, args: argparse.Namespace) -> dict[str, object]:
    out = project.run("python", "-c", DRIVER, name, str(args.sequential), str(args.burst),
                      capture=True)  # fmt: skip
    raw = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))[11:])
    return summarize(raw["sequential"], raw["burst"], raw["burst_seconds"])


def summarize(sequential: list[float], burst: list[float], seconds: float) -> dict[str, object]:
    return {
        "sequential": summary_ms(sequential),
        "burst": summary_ms(burst),
        "burst_tasks_per_s": round(len(burst) / seconds, 1),
    }


def when(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def export(http: httpx.Client, project_id: str) -> str:
    response = http.post(f"/api/v1/projects/{project_id}/exports/")
    assert response.status_code == 202, response.text
    return response.json()["id"]


def wait_finished(http: httpx.Client, job_id: str, timeout: float = 120) -> dict:
    """Poll until the job is finished; the latency comes from its own timestamps, not this."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get(f"/api/v1/exports/{job_id}/").raise_for_status().json()
        if job["status"] in ("succeeded", "failed"):
            assert job["status"] == "succeeded", job
            return job
        time.sleep(0.02)
    raise TimeoutError(f"export {job_id} not finished after {timeout}s")


def run_exports(project: Project, project_id: str, args: argparse.Namespace) -> dict[str, object]:
    with project.gunicorn(free_port()) as base:
        headers = {"Authorization": f"Bearer {access_token(base)}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            wait_finished(http, export(http, project_id))  # warm-up
            seq = []
            for _ in range(args.sequential):
                job = wait_finished(http, export(http, project_id))
                seq.append(when(job["finished_at"]) - when(job["created_at"]))
            ids = [export(http, project_id) for _ in range(args.export_burst)]
            jobs = [wait_finished(http, job_id) for job_id in ids]
    created = [when(job["created_at"]) for job in jobs]
    finished = [when(job["finished_at"]) for job in jobs]
    burst = [f - c for f, c in zip(finished, created, strict=True)]
    assert all(job["total_rows"] == args.export_rows for job in jobs), jobs[0]
    return summarize(seq, burst, max(finished) - min(created))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=50)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--export-burst", type=int, default=20)
    parser.add_argument("--export-rows", type=int, default=1000)
    args = parser.parse_args()

    data: dict[str, object] = {"machine": machine(), "settings": vars(args), "tasks": {}}
    with tempfile.TemporaryDirectory(prefix="bench-celery-") as tmp:
        project, project_id = prepare(Path(tmp), args.export_rows)
        worker = ["celery", "-A", "config", "worker", "-Q", "default,slow", "--concurrency",
                  "2", "--include", "bench_tasks", "--loglevel", "WARNING"]  # fmt: skip
        with project.process(*worker, log_name="worker.log"):
            for name in ("bench.noop", "apps.core.tasks.clear_expired_sessions"):
                data["tasks"][name] = run_driver(project, name, args)
            if (project.path / "apps" / "jobs" / "tasks.py").exists():
                name = "apps.jobs.tasks.export_project_tasks"
                data["tasks"][name] = run_exports(project, project_id, args)
            else:
                print("no jobs app in the template: export task not measured")
    data["load_average_at_end"] = machine()["load_average_at_start"]

    print(f"\nworker concurrency 2; {args.sequential} sequential, then a burst")
    rows = []
    for name, r in data["tasks"].items():
        idle, burst = r["sequential"], r["burst"]
        rows.append([name, idle["p50_ms"], idle["p99_ms"], burst["n"], r["burst_tasks_per_s"],
                     burst["p50_ms"], burst["p99_ms"]])  # fmt: skip
    print_table(["task", "idle p50 ms", "idle p99 ms", "burst n", "tasks/s", "burst p50 ms",
                 "burst p99 ms"], rows)  # fmt: skip
    write_results("celery_throughput", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
