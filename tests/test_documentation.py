"""Tier 5: the documentation runs. A reader who follows it gets what it promises.

For each docs variant, the generated project is committed to git (as Copier's after-copy message
says), then the shell blocks of its README.md run in order, as written (tests/documented.py):
install, migrate, start the web server and the Celery worker in the background, create
organizations, run the test suite and the linters. Every local URL the README names must then
answer over HTTP, and every WebSocket URL must answer a ping. Then everything started is stopped.
docs/updating.md's commands run on a generated project against a newer template commit.

What is rewritten, and why (each rewrite is printed with the test's output):
- `:8000` and a bare `manage.py runserver`: the server gets a free port (`runserver <port>`,
  the README's URLs probed on that port), so runs on one machine do not collide.
- The project's PostgreSQL database (`createdb acme_tracker`, `...:5432/acme_tracker`): a
  database of the variant's own (variants.py), dropped before and after.
- `redis://127.0.0.1:6379/<n>` in a line the README adds to `.env`: the variant's own Redis
  database, never 0.
The environment is this machine's: PGHOST/PGUSER point libpq (createdb, URLs without a user) at
the PostgreSQL service, REDIS_URL at the variant's Redis database, CI passes through.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import snapshot_template
from copier import run_copy
from documented import Block, BlockFailed, Session, blocks, free_port, local_urls, wait_for_port
from generated import clean_env, find_python
from repos import IDENTITY, commit, git
from services import require_service
from variants import ROOT, Variant, named, select
from websockets.sync.client import connect

pytestmark = pytest.mark.docs

VARIANTS = select("docs")
DOCUMENTED_PORT = 8000
# A URL "answers" when the server handles it: a page, a redirect to sign in, a refusal to an
# anonymous client, a method the endpoint does not take. Not a 404, not a server error.
ANSWERS = {401, 403, 405}
SUPERUSER = {"email": "docs-tier@example.com", "password": "docs tier password 1"}


def docs_db(variant: Variant) -> str:
    return f"{variant.db_name}_docs"


def psql(sql: str) -> None:
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
    subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], env=env, check=True,
                   capture_output=True)  # fmt: skip


def drop_databases(name: str) -> None:
    for db in (name, f"test_{name}"):
        psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def rewriter(variant: Variant, port: int):
    slug = variant.answers["project_slug"]
    rules = [
        (re.compile(rf":{DOCUMENTED_PORT}\b"), f":{port}"),
        (re.compile(r"(manage\.py\s+runserver)\s*$"), rf"\1 {port}"),
        (re.compile(rf"\b(createdb\s+){slug}\b"), rf"\g<1>{docs_db(variant)}"),
        (re.compile(rf"(:5432/){slug}\b"), rf"\g<1>{docs_db(variant)}"),
        (re.compile(r"(redis://127\.0\.0\.1:6379/)\d+"), rf"\g<1>{variant.redis_db}"),
    ]

    def rewrite(command: str) -> str:
        for pattern, replacement in rules:
            command = pattern.sub(replacement, command)
        return command

    return rewrite


def commit_generated(project: Path) -> None:
    """`git init && git add -A && git commit -m ...`, as copier.yml's after-copy message says."""
    git(project, "init", "-q", "-b", "main")
    commit(project, "Generate from django-pro")


def readme_blocks(project: Path) -> list[Block]:
    return blocks((project / "README.md").read_text(), "README.md")


# --- probes -----------------------------------------------------------------------------------


def get(url: re.Match[str], port: int, **kwargs) -> httpx.Response:
    """GET a documented URL on this machine: connect to 127.0.0.1, name the documented host
    (`acme.localhost` is resolved by browsers and curl, not necessarily by this resolver)."""
    target = f"http://127.0.0.1:{port}{url['path'] or '/'}"
    headers = {"Host": f"{url['host']}:{port}", **kwargs.pop("headers", {})}
    return httpx.get(target, headers=headers, timeout=20, **kwargs)


def access_token(project: Path, env: dict[str, str], port: int, readme: str) -> tuple[str, str]:
    """(host, token) of a user who may open the README's WebSockets.

    Schema-per-tenant: the organization admin the README creates, signing in on the public
    host. Otherwise a superuser made with createsuperuser's non-interactive form.
    """
    admin = re.search(r"--admin-email (\S+) --admin-password '([^']*)'", readme)
    if admin:
        host, credentials = "localhost", {"email": admin[1], "password": admin[2]}
    else:
        host, credentials = "127.0.0.1", SUPERUSER
        create = [str(project / ".venv" / "bin" / "python"), "manage.py", "createsuperuser",
                  "--noinput", "--email", SUPERUSER["email"]]  # fmt: skip
        superuser_env = {**env, "DJANGO_SUPERUSER_PASSWORD": SUPERUSER["password"]}
        result = subprocess.run(create, cwd=project, env=superuser_env, capture_output=True,
                                text=True, check=False, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    response = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/token/", json=credentials,
                          headers={"Host": f"{host}:{port}"}, timeout=20)  # fmt: skip
    assert response.status_code == 200, f"token for the WebSocket probe: {response.text[:500]}"
    return host, response.json()["access"]


def ping(url: re.Match[str], port: int, token: str) -> None:
    path = url["path"] or "/"
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    uri = f"ws://{url['host']}:{port}{path}?token={token}"
    with connect(uri, sock=sock, open_timeout=20, close_timeout=5) as ws:
        ws.send(json.dumps({"type": "ping"}))
        reply = json.loads(ws.recv(timeout=20))
    assert reply == {"type": "pong"}, reply


def probe_documented_urls(session: Session, project: Path, port: int, readme: str) -> list[str]:
    problems, token = [], None
    for url in local_urls(readme):
        where = url.group(0)
        try:
            if url["scheme"] in {"ws", "wss"}:
                if token is None:
                    token = access_token(project, session.env, port, readme)[1]
                ping(url, port, token)
                session.log.append(f"probed {where}: pong")
                continue
            response = get(url, port)
            session.log.append(f"probed {where}: {response.status_code}")
            if response.status_code >= 400 and response.status_code not in ANSWERS:
                problems.append(f"{where} answered {response.status_code}")
        except Exception as error:
            problems.append(f"{where}: {error!r}")
    return problems


# --- the tier ---------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_readme_runs_as_written(variant: Variant, render, tmp_path: Path) -> None:
    require_service("postgres")
    require_service("redis")
    project = render(variant.answers, tmp_path / variant.answers["project_slug"])
    commit_generated(project)
    readme = (project / "README.md").read_text()
    port = free_port()
    env = clean_env(
        project,
        PGHOST="127.0.0.1",
        PGUSER="postgres",
        REDIS_URL=f"redis://127.0.0.1:6379/{variant.redis_db}",
        # `uv sync` as written picks a Python by itself; pyenv's answers the variant's version.
        UV_PYTHON=find_python(variant.resolved["python_version"]),
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    session = Session(project, env, logs, rewrite=rewriter(variant, port))
    drop_databases(docs_db(variant))
    skipped, failure = [], None

    def ready(command: str) -> None:
        """The web server just started listens on its port (the URLs are probed at the end,
        once the README has created what they show)."""
        process = session.servers[-1][1]
        wait_for_port(port, lambda: process.poll() is None, session.ready_timeout)

    try:
        for block in readme_blocks(project):
            if block.skip_reason:
                skipped.append(f"{block.name}: {block.skip_reason}")
                continue
            started = time.monotonic()
            session.run_block(block, ready)
            session.check_running()
            session.log.append(f"{block.name}: {time.monotonic() - started:.0f} s")
        problems = probe_documented_urls(session, project, port, readme)
        if problems:
            failure = "documented URLs that do not answer:\n" + "\n".join(problems)
    except BlockFailed as error:
        failure = str(error)
    finally:
        killed = session.stop()
        drop_databases(docs_db(variant))
        print("\n".join(session.log + [f"skipped {s}" for s in skipped]))
    if failure:
        pytest.fail(failure, pytrace=False)
    assert not killed, f"did not stop on SIGTERM: {killed}"


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_readme_blocks_marked_skip(variant: Variant, render, tmp_path: Path) -> None:
    """Blocks the tier cannot run here are skipped by name; a mark must sit right before one."""
    project = render(variant.answers, tmp_path / "project")
    text = (project / "README.md").read_text()
    marks = len(re.findall(r"<!--\s*docs-tier:", text))
    skipped = [b for b in readme_blocks(project) if b.skip_reason]
    assert marks == len(skipped), "a docs-tier mark that is not right before a shell block"
    if skipped:
        reasons = "; ".join(f"{b.name}: {b.skip_reason}" for b in skipped)
        pytest.skip(f"{variant.name}: {reasons}")


# --- docs/updating.md -------------------------------------------------------------------------

UPDATE_VARIANT = next(v for v in named() if v.name == "default")
TEMPLATE_CHANGE = "\nA line the template added after this project was generated.\n"


def test_updating_doc_runs_as_written(render, tmp_path: Path) -> None:
    """docs/updating.md's "Pull the latest template" block, on a committed project, against a
    throwaway commit of a copy of this template: Copier succeeds, the change arrives, no
    conflicts, and the tree holds nothing but the update."""
    template = snapshot_template(tmp_path / "django-pro")
    git(template, "init", "-q", "-b", "main")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v1")
    git(template, "tag", "v1.0.0")
    project = tmp_path / "project"
    run_copy(str(template), project, data=UPDATE_VARIANT.answers, defaults=True,
             quiet=True)  # fmt: skip
    commit_generated(project)
    readme = template / "template" / "README.md.jinja"
    title, rest = readme.read_text().split("\n", 1)
    readme.write_text(f"{title}\n{TEMPLATE_CHANGE}{rest}")
    git(template, "commit", "-q", "-am", "A throwaway change")
    git(template, "tag", "v1.0.1")

    doc = blocks((ROOT / "docs" / "updating.md").read_text(), "docs/updating.md")
    pull = next(b for b in doc if "copier update" in b.code and "--data" not in b.code)
    env = clean_env(project, **IDENTITY)
    env["UV_PYTHON"] = find_python(UPDATE_VARIANT.resolved["python_version"])
    session = Session(project, env, tmp_path)
    failure = None
    try:
        session.run_block(pull, ready=lambda command: None)
    except BlockFailed as error:
        failure = str(error)
    if failure:
        pytest.fail(failure, pytrace=False)
    assert TEMPLATE_CHANGE.strip() in (project / "README.md").read_text()
    status = git(project, "status", "--porcelain").splitlines()
    assert status == [" M .copier-answers.yml", " M README.md"], status
    assert not list(project.rglob("*.rej"))
