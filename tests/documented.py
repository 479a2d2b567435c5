"""Run the shell blocks of a Markdown document as a reader would: in order, as written.

The docs tier (tests/test_documentation.py) uses it on a generated project's README.md and on
this template's docs/updating.md. A fenced ```bash (or sh, shell, console) block is a list of
commands; a command that serves forever (a web server, a Celery worker) is started in the
background and waited for; every other command runs in bash with `set -euo pipefail`, so the
first failure stops the block and names it.

A block that cannot run on a test machine is marked in the Markdown source, right before its
fence, and reported as skipped by name:

    <!-- docs-tier: skip (needs Docker) -->
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHELLS = {"bash", "sh", "shell", "console"}
SKIP_MARK = re.compile(r"<!--\s*docs-tier:\s*skip\s*\((?P<reason>[^)]*)\)\s*-->")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<lang>[\w-]*)")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*$")
# Commands that serve until stopped, and the log line that says a worker is ready.
SERVERS = re.compile(r"\bmanage\.py\s+runserver\b|\bdaphne\b|\buvicorn\b|\bgunicorn\b")
WORKERS = re.compile(r"\bcelery\b.*\bworker\b")
WORKER_READY = re.compile(r"\bready\.")
OUTPUT_TAIL = 4000


@dataclass(frozen=True)
class Block:
    document: str
    heading: str
    number: int  # 1-based, within its document
    code: str
    skip_reason: str | None = None

    @property
    def name(self) -> str:
        return f"{self.document} block {self.number} ({self.heading})"

    def commands(self) -> list[str]:
        """Logical lines: backslash continuations joined, blank lines dropped."""
        commands, current = [], ""
        for line in self.code.splitlines():
            line = line.strip() if current else line
            if line.rstrip().endswith("\\"):
                current += line.rstrip()[:-1].rstrip() + " "
                continue
            current += line
            if current.strip():
                commands.append(current.strip())
            current = ""
        return commands


def blocks(text: str, document: str) -> list[Block]:
    """The shell blocks of a Markdown text, with the heading they sit under."""
    found: list[Block] = []
    heading, pending_skip = "top", None
    lines = iter(text.splitlines())
    for line in lines:
        if mark := SKIP_MARK.search(line):
            pending_skip = mark["reason"].strip()
            continue
        if title := HEADING.match(line):
            heading = title["title"]
        fence = FENCE.match(line)
        if not fence:
            if line.strip():
                pending_skip = None  # a mark applies to the fence right after it only
            continue
        body = []
        for inner in lines:
            if inner.startswith(fence["fence"]):
                break
            body.append(inner)
        if fence["lang"] in SHELLS:
            number = len(found) + 1
            found.append(Block(document, heading, number, "\n".join(body), pending_skip))
        pending_skip = None
    return found


class BlockFailed(AssertionError):
    pass


@dataclass
class Session:
    """One reader's terminal: a working directory, an environment, the processes left running.

    `rewrite` turns a command as written into the one run here (a port, a database name); every
    rewrite that changed something is listed in `log`.
    """

    cwd: Path
    env: dict[str, str]
    logs: Path
    rewrite: Callable[[str], str] = lambda command: command
    timeout: float = 900
    ready_timeout: float = 90
    servers: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def run_block(self, block: Block, ready: Callable[[str], None]) -> None:
        """Run `block`'s commands; `ready(command)` waits for a server the block started."""
        foreground: list[str] = []
        for written in block.commands():
            command = self.rewrite(written)
            if command != written:
                self.log.append(f"{block.name}: `{written}` ran as `{command}`")
            if SERVERS.search(command) or WORKERS.search(command):
                self._script(block, foreground)
                foreground = []
                self._start(block, command, ready)
            else:
                foreground.append(command)
        self._script(block, foreground)

    def _script(self, block: Block, commands: list[str]) -> None:
        if not commands:
            return
        script = "set -euo pipefail\n" + "\n".join(commands) + "\n"
        shown = "\n".join(f"    {c}" for c in commands)
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a timeout ends what the commands started, too
        )
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            raise BlockFailed(
                f"{block.name} timed out after {self.timeout:.0f} s running:\n{shown}\n"
                f"{output.strip()[-OUTPUT_TAIL:]}"
            ) from None
        if process.returncode:
            raise BlockFailed(
                f"{block.name} failed (exit {process.returncode}) running:\n{shown}\n"
                f"{output.strip()[-OUTPUT_TAIL:]}"
            )

    def _start(self, block: Block, command: str, ready: Callable[[str], None]) -> None:
        log = self.logs / f"server-{len(self.servers) + 1}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["bash", "-c", f"exec {command}"],
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends its children too
            )
        self.servers.append((command, process, log))
        try:
            if WORKERS.search(command):
                self.wait_for_log(process, log)
            else:
                ready(command)
        except BlockFailed as error:
            raise BlockFailed(f"{block.name}: `{command}` {error}\n{self.tail(log)}") from None

    def wait_for_log(self, process: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BlockFailed(f"exited {process.returncode} before it was ready")
            if WORKER_READY.search(log.read_text(errors="replace")):
                return
            time.sleep(0.5)
        raise BlockFailed(f"did not log that it was ready within {self.ready_timeout:.0f} s")

    def check_running(self) -> None:
        for command, process, log in self.servers:
            if process.poll() is not None:
                raise BlockFailed(f"`{command}` exited {process.returncode}\n{self.tail(log)}")

    @staticmethod
    def tail(log: Path) -> str:
        return log.read_text(errors="replace")[-OUTPUT_TAIL:]

    def stop(self) -> list[str]:
        """End every process group started (SIGTERM, then SIGKILL for what is left after 15 s);
        returns the commands whose processes had to be killed."""
        killed = []
        for _command, process, _log in self.servers:
            _signal_group(process.pid, signal.SIGTERM)
        for command, process, _log in self.servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            if not _group_gone(process.pid, timeout=5):  # the leader, or children it left
                killed.append(command)
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
                _group_gone(process.pid, timeout=5)
        self.servers.clear()
        return killed


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _group_gone(pgid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process_alive: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive():
            raise BlockFailed("exited before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise BlockFailed(f"did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


LOCAL_URL = re.compile(
    r"(?P<scheme>https?|wss?)://(?P<host>(?:[\w-]+\.)?localhost|127\.0\.0\.1):(?P<port>\d+)"
    r"(?P<path>/[^\s`)<>\"']*)?"
)


def local_urls(text: str) -> Iterator[re.Match[str]]:
    """URLs on this machine that a document tells the reader to open (placeholders excluded)."""
    seen = set()
    for match in LOCAL_URL.finditer(text):
        end = match.end()
        if text[end : end + 1] == "<":  # `/ws/projects/<project id>/`: not a URL as written
            continue
        url = match.group(0).rstrip(".,;:")
        if url not in seen:
            seen.add(url)
            yield LOCAL_URL.match(url)  # type: ignore[misc]
