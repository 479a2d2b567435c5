"""Plumbing shared by the service benchmarks: generate a variant, install it, run its processes.

Not a benchmark itself. Every benchmark generates the variants it measures from the working
tree (uncommitted edits included) into a temporary directory, installs them with uv, and talks
to PostgreSQL and Redis on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "tests"))

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
# Limits far above any rate a benchmark reaches: it measures the app, not the throttle.
NO_THROTTLE = {"API_THROTTLE_USER": "1000000/minute", "API_THROTTLE_ANON": "1000000/minute"}
# The generated projects pin their Python through pyenv shims.
PYENV_VERSION = "3.11.7:3.12.1:3.13.0"


def child_env(**extra: str) -> dict[str, str]:
    """The environment for commands run inside a generated project."""
    env = dict(os.environ)
    # `uv run` points VIRTUAL_ENV at this repository's venv; the generated project has its own.
    for name in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env["PYENV_VERSION"] = PYENV_VERSION
    env.update(extra)
    return env


def generate(dest: Path, **answers: object) -> Path:
    """Render the template's working tree with `answers` (defaults for the rest) into `dest`."""
    import copier
    from conftest import snapshot_template

    settings = dest.parent / "copier-settings.yml"
    settings.write_text("{}\n")  # keep the developer's Copier defaults out of the benchmark
    os.environ["COPIER_SETTINGS_PATH"] = str(settings)
    src = dest.parent / "django-pro-src"
    if not src.exists():
        snapshot_template(src)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(
            str(src),
            dest,
            data={"project_name": "Bench", **answers},
            defaults=True,
            quiet=True,
        )
    return dest


def install(project: Path, python: str = "3.12") -> None:
    """Install the project with its production server, as the image does (prod group)."""
    sync = ["uv", "sync", "-q", "--compile-bytecode", "--python", python]
    env = child_env()
    # psycopg[c] in the prod group needs a compiler and libpq headers; without them, fall
    # back to the dev install (binary psycopg) plus the servers.
    if subprocess.run([*sync, "--group", "prod"], cwd=project, env=env).returncode != 0:
        print("prod group failed to install; using the dev group plus gunicorn and uvicorn")
        subprocess.run(sync, cwd=project, env=env, check=True)
        servers = ["gunicorn", "uvicorn-worker", "uvicorn[standard]"]
        subprocess.run(["uv", "pip", "install", "-q", *servers], cwd=project, env=env, check=True)


def fresh_database(name: str) -> str:
    """Drop and create database `name`; returns its DATABASE_URL."""
    common = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *common, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *common, name], check=True)
    return f"{POSTGRES}/{name}"


def flush_redis(db: int) -> None:
    """Empty one Redis database (the benchmark's own number, never the others)."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-n", str(db), "flushdb"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Project:
    """A generated, installed project and the environment its processes run with."""

    path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.path / ".venv" / "bin"

    def environ(self) -> dict[str, str]:
        base = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "benchmark-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            **NO_THROTTLE,
        }
        return child_env(**{**base, **self.env})

    def run(self, *args: str, capture: bool = False) -> str:
        """Run a command from the project's venv; returns stdout when `capture`."""
        done = subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.path,
                              env=self.environ(), check=True, text=True,
                              capture_output=capture)  # fmt: skip
        return done.stdout if capture else ""

    def manage(self, *args: str, capture: bool = False) -> str:
        return self.run("python", "manage.py", *args, capture=capture)

    @contextlib.contextmanager
    def process(self, *args: str, log_name: str) -> Iterator[subprocess.Popen[bytes]]:
        """A long-running process (server, worker), stopped however the block exits."""
        log = (self.path / log_name).open("wb")
        proc = subprocess.Popen([str(self.bin / args[0]), *args[1:]], cwd=self.path,
                                env=self.environ(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        try:
            yield proc
        finally:
            stop(proc)
            log.close()

    @contextlib.contextmanager
    def gunicorn(self, port: int, *extra: str) -> Iterator[str]:
        """gunicorn with the project's gunicorn.conf.py, one worker, on loopback.

        max_requests is turned off: with one worker, the production value (about 1000)
        would restart the only worker every few seconds at benchmark rates, and the numbers
        would measure Django's start-up instead of requests.
        """
        args = ["gunicorn", "-c", "gunicorn.conf.py", "--workers", "1",
                "--bind", f"127.0.0.1:{port}", "--max-requests", "0", *extra]  # fmt: skip
        with self.process(*args, log_name="gunicorn.log") as proc:
            url = f"http://127.0.0.1:{port}"
            wait_for_http(f"{url}/healthz", proc, self.path / "gunicorn.log")
            yield url


def stop(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM the process group started for `proc` (its own session), then SIGKILL."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


# Seed data: one user who is a member of one project with `tasks` tasks, spread over a few
# assignees (members too), so a task list has related rows to join. Prints the project's id.
# With tenancy, everything is created in an organization named BENCH_TENANT (its slug, or its
# schema with the host BENCH_TENANT.localhost), and every person belongs to it.
SEED = """
from django.apps import apps

from apps.projects.models import Project, Task
from apps.users.models import User

owner = User.objects.create_user(email="bench@example.com", password="bench-password-123")
people = [owner] + [
    User.objects.create_user(email=f"member{i}@example.com", password=None) for i in range(4)
]
if apps.is_installed("django_tenants"):  # tenancy=schemas: BENCH_TENANT.localhost
    from django.db import connection
    from apps.tenants.models import Client, Domain

    public = Client.objects.create(schema_name="public", name="Public")
    Domain.objects.create(domain="127.0.0.1", tenant=public)
    tenant = Client.objects.create(schema_name="BENCH_TENANT", name="Bench")
    Domain.objects.create(domain="BENCH_TENANT.localhost", tenant=tenant)
    for person in people:
        tenant.memberships.create(user=person)
    connection.set_tenant(tenant)
elif apps.is_installed("apps.tenants"):  # tenancy=shared: X-Tenant: BENCH_TENANT
    from apps.tenants.context import activate
    from apps.tenants.models import Tenant

    tenant = Tenant.objects.create(name="Bench", slug="BENCH_TENANT")
    for person in people:
        tenant.memberships.create(user=person)
    activate(tenant)
project = Project.objects.create(owner=owner, name="Bench")
project.members.add(*people)
Task.objects.bulk_create(
    Task(project=project, title=f"Task {i}", description="Benchmark task " * 8,
         priority=1 + i % 4, assignee=people[i % len(people)], created_by=owner)
    for i in range(TASK_COUNT)
)
print(project.pk)
"""
CREDENTIALS = {"email": "bench@example.com", "password": "bench-password-123"}
BENCH_TENANT = "bench"


def seed(project: Project, tasks: int) -> str:
    """Migrate and load the seed data; returns the project's id."""
    project.manage("migrate", "-v", "0")
    code = SEED.replace("TASK_COUNT", str(tasks)).replace("BENCH_TENANT", BENCH_TENANT)
    out = project.manage("shell", "-c", code, capture=True)
    return out.strip().splitlines()[-1]


def access_token(base_url: str) -> str:
    import httpx

    response = httpx.post(f"{base_url}/api/v1/auth/token/", json=CREDENTIALS, timeout=10)
    response.raise_for_status()
    return response.json()["access"]


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 100 samples is the 99th value)."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(values_s: Sequence[float]) -> dict[str, float]:
    """p50/p99/max and mean of durations given in seconds, in milliseconds."""
    return {
        "n": len(values_s),
        "p50_ms": round(percentile(values_s, 50) * 1000, 2),
        "p99_ms": round(percentile(values_s, 99) * 1000, 2),
        "max_ms": round(max(values_s) * 1000, 2),
        "mean_ms": round(statistics.fmean(values_s) * 1000, 2),
    }


def machine() -> dict[str, object]:
    """What the numbers were measured on, including how busy the machine was."""
    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": sys.version.split()[0],
        "time": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def write_results(name: str, data: dict[str, object]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nresults: {path.relative_to(ROOT)}")
    return path
