"""Generation time side by side with cookiecutter-django, interleaved, bytecode on.

    git clone https://github.com/cookiecutter/cookiecutter-django /tmp/cookiecutter-django
    uv run --with cookiecutter==2.7.1 python benchmarks/generation_vs_peer.py \
        /tmp/cookiecutter-django [N]

N rounds (default 7); each round runs every contender once, in turn, so a busy moment of the
machine hits all of them alike; the table gives medians. Three views:

- CLI: what a person types (`copier copy` / `cookiecutter --no-input`), interpreter start-up
  and imports included, each in a fresh process with bytecode caches written and used (as users
  have them);
- in-process: `copier.run_copy` / `cookiecutter.main.cookiecutter` in a warm process (what a
  render-tier test pays);
- where Copier's time goes: the in-process render again with Copier's per-file
  `git config core.fileMode` probe switched off, and then also with each path template
  compiled once instead of once per path under it (Copier 9.19 compiles every part of every
  template path, and the answers file name, again for each file). Neither is something the
  template can change; they measure what an upstream change would buy.

The peer's post-generation hook ends with `uv add -r requirements/...` (dependency resolution,
which django-pro leaves to the `uv sync` a person runs next; with Docker, inside a `docker build`
first); the benchmark puts a `uv` and a `docker` that do nothing first on the PATH, so both sides
are measured rendering and pruning files only.

"Richest" is django-pro's `everything` variant and cookiecutter-django with DRF, Celery,
async, Docker and Sentry.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import copier
import copier._main as copier_main
import jinja2
from harness import machine, print_table, write_results
from variants import BASE_ANSWERS, NAMED

PEER_RICHEST = {
    "rest_api": "DRF",
    "use_celery": "y",
    "use_async": "y",
    "use_docker": "y",
    "use_sentry": "y",
}
OURS = {"default": BASE_ANSWERS, "richest": {**BASE_ANSWERS, **NAMED["everything"]}}
PEERS = {"default": {}, "richest": PEER_RICHEST}


def bytecode_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def stub_tools(directory: Path) -> None:
    """`uv` and `docker` that do nothing, first on the PATH: the peer's hook resolves nothing."""
    directory.mkdir()
    for name in ("uv", "docker"):
        tool = directory / name
        tool.write_text("#!/bin/sh\nexit 0\n")
        tool.chmod(0o755)
    os.environ["PATH"] = f"{directory}{os.pathsep}{os.environ['PATH']}"


def copier_cli(src: Path, answers: dict[str, object]) -> Callable[[Path], None]:
    exe = shutil.which("copier") or "copier"
    data = [arg for key, value in answers.items() for arg in ("--data", f"{key}={value}")]

    def render(dest: Path) -> None:
        cmd = [exe, "copy", "-q", "--defaults", *data, str(src), str(dest)]
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL, env=bytecode_env())

    return render


def peer_cli(peer: Path, answers: dict[str, str]) -> Callable[[Path], None]:
    exe = shutil.which("cookiecutter") or "cookiecutter"
    extra = [f"{key}={value}" for key, value in answers.items()]

    def render(dest: Path) -> None:
        cmd = [exe, "--no-input", "-o", str(dest), str(peer), *extra]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=bytecode_env())

    return render


def copier_in_process(src: Path, answers: dict[str, object]) -> Callable[[Path], None]:
    def render(dest: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            copier.run_copy(str(src), dest, data=answers, defaults=True, quiet=True)

    return render


def peer_in_process(peer: Path, answers: dict[str, str]) -> Callable[[Path], None]:
    from cookiecutter.main import cookiecutter

    def render(dest: Path) -> None:
        cookiecutter(str(peer), no_input=True, output_dir=str(dest), extra_context=answers)

    return render


def without_git_probe(render: Callable[[Path], None]) -> Callable[[Path], None]:
    def patched(dest: Path) -> None:
        original = copier_main.Worker._sync_git_index_executable_bit
        copier_main.Worker._sync_git_index_executable_bit = lambda *args: None  # type: ignore[method-assign]
        try:
            render(dest)
        finally:
            copier_main.Worker._sync_git_index_executable_bit = original  # type: ignore[method-assign]

    return patched


def compiling_once(render: Callable[[Path], None]) -> Callable[[Path], None]:
    """The render with each distinct template string compiled once per run."""

    def patched(dest: Path) -> None:
        original = jinja2.Environment.from_string
        compiled: dict[tuple[int, str], jinja2.Template] = {}

        def from_string(self, source, *args, **kwargs):  # type: ignore[no-untyped-def]
            key = (id(self), source)
            if key not in compiled:
                compiled[key] = original(self, source, *args, **kwargs)
            return compiled[key]

        jinja2.Environment.from_string = from_string  # type: ignore[method-assign]
        try:
            render(dest)
        finally:
            jinja2.Environment.from_string = original  # type: ignore[method-assign]

    return patched


def main(peer: Path, rounds: int) -> int:
    from conftest import snapshot_template  # tests/, which importing harness put on sys.path

    data: dict[str, object] = {"machine": machine(), "rounds": rounds, "medians_s": {}}
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as tmp:
        settings = Path(tmp, "settings.yml")
        settings.write_text("{}\n")  # the developer's Copier defaults stay out
        os.environ["COPIER_SETTINGS_PATH"] = str(settings)
        src = snapshot_template(Path(tmp, "django-pro"))
        stub_tools(Path(tmp, "stub-bin"))
        contenders: dict[str, Callable[[Path], None]] = {}
        for size in ("default", "richest"):
            contenders[f"CLI, django-pro {size}"] = copier_cli(src, OURS[size])
            contenders[f"CLI, cookiecutter-django {size}"] = peer_cli(peer, PEERS[size])
        for size in ("default", "richest"):
            ours = copier_in_process(src, OURS[size])
            contenders[f"in-process, django-pro {size}"] = ours
            contenders[f"in-process, cookiecutter-django {size}"] = peer_in_process(
                peer, PEERS[size]
            )
            contenders[f"in-process, django-pro {size}, no git probe"] = without_git_probe(ours)
            contenders[f"in-process, django-pro {size}, no git probe, compile once"] = (
                without_git_probe(compiling_once(ours))
            )
        for name, render in contenders.items():  # warm-up: imports, caches, bytecode
            render(Path(tmp, "warm", name.replace(" ", "_").replace(",", "")))
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for n in range(rounds):
            for name, render in contenders.items():
                dest = Path(tmp, str(n), name.replace(" ", "_").replace(",", ""))
                start = time.perf_counter()
                render(dest)
                times[name].append(time.perf_counter() - start)
                shutil.rmtree(dest)
    rows = []
    for name, measured in times.items():
        median = statistics.median(measured)
        data["medians_s"][name] = round(median, 3)  # type: ignore[index]
        rows.append([name, f"{median:.3f}", f"{max(measured):.3f}"])
    data["load_average_at_end"] = machine()["load_average_at_start"]
    print(f"\n{rounds} interleaved rounds, medians")
    print_table(["contender", "median s", "max s"], rows)
    write_results("generation_vs_peer", data)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 7))
