"""Time one render of each render-tier variant: `uv run python benchmarks/render_time.py [N]`.

Rendering should stay well under 2 s per variant, or the render tier stops being cheap.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import copier  # noqa: E402
from conftest import snapshot_template  # noqa: E402
from variants import select  # noqa: E402

BUDGET_SECONDS = 2.0


def main(repeats: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Path(tmp, "settings.yml")
        settings.write_text("{}\n")
        os.environ["COPIER_SETTINGS_PATH"] = str(settings)
        src = snapshot_template(Path(tmp, "django-pro"))
        slow = []
        for variant in select("render"):
            times = []
            for i in range(repeats):
                start = time.perf_counter()
                copier.run_copy(str(src), Path(tmp, f"{variant.name}-{i}"), data=variant.answers,
                                defaults=True, quiet=True)  # fmt: skip
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(f"{variant.name:30} median {median:.2f}s  max {max(times):.2f}s")
            if median > BUDGET_SECONDS:
                slow.append(variant.name)
    if slow:
        print(f"over the {BUDGET_SECONDS}s budget: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
