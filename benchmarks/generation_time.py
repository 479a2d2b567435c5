"""Generation time of the default variant: `uv run python benchmarks/generation_time.py [N]`.

Median of N (default 5) renders three ways: in-process (`copier.run_copy`, what the template's
tests do), with the CLI on a snapshot of the working tree, and with the CLI on the repository
itself (`copier copy --vcs-ref HEAD .`, what a developer types; Copier clones the checkout
first). Then one in-process render under cProfile, counting the subprocesses Copier spawns
(`git`, about one per rendered file) and the time spent in them.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import copier
from harness import ROOT, machine, print_table, write_results

ANSWERS = {"project_name": "Bench"}


def timed(render, dests: list[Path]) -> list[float]:
    times = []
    for dest in dests:
        start = time.perf_counter()
        render(dest)
        times.append(time.perf_counter() - start)
    return times


def in_process(src: Path):
    def render(dest: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            copier.run_copy(str(src), dest, data=ANSWERS, defaults=True, quiet=True)

    return render


def cli(src: Path, *extra: str):
    exe = shutil.which("copier") or "copier"

    def render(dest: Path) -> None:
        cmd = [exe, "copy", "-q", "--defaults", *extra,
               "--data", "project_name=Bench", str(src), str(dest)]  # fmt: skip
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)

    return render


def subprocess_share(src: Path, dest: Path) -> dict[str, object]:
    """Profile one render: what it spawns, and the time spent spawning and waiting."""
    spawned: Counter[str] = Counter()
    original = subprocess.Popen.__init__

    def counting_init(self, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        argv = [args] if isinstance(args, str) else [str(a) for a in args]
        spawned[" ".join([Path(argv[0]).name, *argv[1:2]])] += 1
        return original(self, args, *rest, **kwargs)

    profile = cProfile.Profile()
    subprocess.Popen.__init__ = counting_init  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        profile.runcall(in_process(src), dest)
        total = time.perf_counter() - start
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    in_subprocess = sum(
        entry[3]  # cumulative time
        for (filename, _, name), entry in stats.items()
        if filename.endswith("subprocess.py") and name in ("_execute_child", "communicate", "wait")
    )
    files = sum(1 for path in dest.rglob("*") if path.is_file())
    return {"profiled_render_s": round(total, 3), "subprocess_s": round(in_subprocess, 3),
            "spawned": dict(spawned), "rendered_files": files}  # fmt: skip


def main(repeats: int) -> int:
    from conftest import snapshot_template  # tests/, which importing harness put on sys.path

    data: dict[str, object] = {"machine": machine(), "repeats": repeats, "renders": {}}
    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        settings = Path(tmp, "settings.yml")
        settings.write_text("{}\n")  # the developer's Copier defaults stay out
        os.environ["COPIER_SETTINGS_PATH"] = str(settings)
        src = snapshot_template(Path(tmp, "django-pro"))
        ways = {
            "in-process (run_copy)": in_process(src),
            "CLI, snapshot": cli(src),
            "CLI, repo --vcs-ref HEAD": cli(ROOT, "--vcs-ref", "HEAD"),
        }
        in_process(src)(Path(tmp, "warm-up"))  # imports and Jinja caches: not counted
        rows = []
        for n, (label, render) in enumerate(ways.items()):
            times = timed(render, [Path(tmp, f"{n}-{i}") for i in range(repeats)])
            data["renders"][label] = {"median_s": round(statistics.median(times), 3),
                                      "times_s": [round(t, 3) for t in times]}  # fmt: skip
            rows.append([label, f"{statistics.median(times):.2f}", f"{max(times):.2f}"])
        data["profile"] = subprocess_share(src, Path(tmp, "profiled"))
    data["load_average_at_end"] = machine()["load_average_at_start"]
    print(f"\ndefault variant, {repeats} renders each")
    print_table(["how", "median s", "max s"], rows)
    p = data["profile"]
    print(f"profiled render: {p['profiled_render_s']}s, {p['subprocess_s']}s in subprocesses; "
          f"{p['rendered_files']} files; spawned {p['spawned']}")  # fmt: skip
    write_results("generation_time", data)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
