"""Unit tests of tests/documented.py, the docs tier's reader: which blocks, which commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from documented import BlockFailed, Session, blocks, local_urls

DOC = """# Title

## Run it

```bash
uv sync && uv run python manage.py migrate
uv run python manage.py runserver
```

```python
print("not shell")
```

<!-- docs-tier: skip (needs Docker) -->
```bash
docker compose up --build
```

### Organizations

<!-- docs-tier: skip (only the next fence) -->
Some prose in between.

```sh
curl -X POST \\
     http://127.0.0.1:8000/api/v1/tenants/
```

Open http://acme.localhost:8000/api/docs/, `ws://127.0.0.1:8000/ws/projects/<project id>/` and
http://127.0.0.1:8000/admin/. Also https://example.com/ and http://127.0.0.1:8000/admin/ again.
"""


def test_shell_blocks_in_order_with_their_heading_and_skip_mark() -> None:
    found = blocks(DOC, "README.md")
    assert [(b.number, b.heading, b.skip_reason) for b in found] == [
        (1, "Run it", None),
        (2, "Run it", "needs Docker"),
        (3, "Organizations", None),  # prose between a mark and a fence cancels the mark
    ]
    assert found[1].name == "README.md block 2 (Run it)"


def test_commands_join_continuations() -> None:
    run_it, _, organizations = blocks(DOC, "README.md")
    assert run_it.commands() == [
        "uv sync && uv run python manage.py migrate",
        "uv run python manage.py runserver",
    ]
    assert organizations.commands() == ["curl -X POST http://127.0.0.1:8000/api/v1/tenants/"]


def test_local_urls_skip_placeholders_and_repeats() -> None:
    assert [m.group(0) for m in local_urls(DOC)] == [
        "http://127.0.0.1:8000/api/v1/tenants/",
        "http://acme.localhost:8000/api/docs/",
        "http://127.0.0.1:8000/admin/",
    ]


def test_a_failing_command_fails_its_block_and_stops_it(tmp_path: Path) -> None:
    block = blocks("## Steps\n\n```bash\ntrue\nfalse\ntouch reached\n```\n", "doc.md")[0]
    session = Session(tmp_path, {"PATH": "/usr/bin:/bin"}, tmp_path)
    with pytest.raises(BlockFailed, match=r"doc\.md block 1 \(Steps\) failed \(exit 1\)"):
        session.run_block(block, ready=lambda command: None)
    assert not (tmp_path / "reached").exists()


def test_servers_run_in_the_background_and_stop(tmp_path: Path) -> None:
    doc = "```bash\nuv run python manage.py runserver\n```\n"
    # A stand-in `uv` that serves forever, with a child of its own.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "uv").write_text("#!/bin/bash\nsleep 300 &\nexec sleep 300\n")
    (fake / "uv").chmod(0o755)
    session = Session(tmp_path, {"PATH": f"{fake}:/usr/bin:/bin"}, tmp_path)
    session.run_block(blocks(doc, "doc.md")[0], ready=lambda command: None)
    (_, process, _) = session.servers[0]
    assert process.poll() is None
    pgid = process.pid
    assert session.stop() == []
    leftovers = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, check=False)
    assert leftovers.stdout == b""
