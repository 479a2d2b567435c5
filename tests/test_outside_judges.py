"""Tier 3, outside judges: tools nobody here wrote, against a generated project served as in
production (gunicorn with `gunicorn.conf.py`, production settings, PostgreSQL, Redis).

- openapi-spec-validator on the served OpenAPI document;
- schemathesis (pinned in pyproject.toml) with every check, authenticated with a JWT and, with
  tenancy, the organization header;
- the security headers and cookie flags of a page and of an API response;
- outages: with the cache or the database unreachable, answers are a fast 503, never a 500.

The project is served behind no proxy, so each request says what the TLS proxy would
(`X-Forwarded-Proto: https`); everything else is the production configuration.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from generated import clean_env, passes, postgres_url, python, run, synced_project
from openapi_spec_validator import validate
from services import in_ci, require_service
from variants import Variant, select

pytestmark = pytest.mark.suite

VARIANTS = select("judges")
PASSWORD = "judges-" + secrets.token_urlsafe(12)
EMAIL = "judge@example.com"
# The fuzzer's budget per variant: examples per operation, and a time cap for the whole run.
MAX_EXAMPLES = 12
MAX_TIME_SECONDS = 90
# What the TLS-terminating proxy adds to every request in the documented deployment.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
STARTUP_SECONDS = 60
# What the schema cannot say (answers that depend on rows in the database), each with its reason.
SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")


@dataclass
class Server:
    origin: str
    host: str  # the Host the API is served on (an organization's host for tenancy=schemas)
    process: subprocess.Popen[bytes]
    log: Path
    api_headers: dict[str, str] = field(default_factory=dict)

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.origin,
            headers={"Host": self.host, **PROXY_HEADERS, **headers},
            timeout=10,
            follow_redirects=False,
        )

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


# One xdist worker per variant: the served database and servers are the variant's, and two
# workers preparing them at once would drop each other's database (pyproject: --dist loadgroup).
@pytest.fixture(
    scope="module",
    params=[
        pytest.param(v, id=v.name, marks=pytest.mark.xdist_group(f"judges-{v.name}"))
        for v in VARIANTS
    ],
)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param


@pytest.fixture(scope="module")
def project(variant: Variant, render, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synced_project(variant, render, tmp_path_factory)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def schemas(variant: Variant) -> bool:
    return variant.resolved["tenancy"] == "schemas"


def judges_redis(variant: Variant) -> str:
    """A Redis database next to the suite tier's, so the two never share counters or keys."""
    return f"redis://127.0.0.1:6379/{variant.redis_db % 15 + 1}"


def served_settings(project: Path) -> dict[str, str]:
    """Production settings with this process's own STATIC_ROOT. The project directory is shared
    with the suite tier's workers; a CI run once lost a collected file mid-collectstatic there."""
    home = project.parent / f"judges_{os.getpid()}"
    home.mkdir(exist_ok=True)
    (home / "judges_settings.py").write_text(
        "from config.settings.production import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(home / 'staticfiles')!r}\n"
    )
    return {"DJANGO_SETTINGS_MODULE": "judges_settings", "PYTHONPATH": str(home)}


def production_env(project: Path, variant: Variant, **overrides: str) -> dict[str, str]:
    redis = judges_redis(variant)
    settings = {
        **served_settings(project),
        "SECRET_KEY": secrets.token_urlsafe(45),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        "DATABASE_URL": postgres_url(variant, database_suffix()),
        "CACHE_URL": redis,
        "CELERY_BROKER_URL": redis,
        "REDIS_URL": redis,
        "EMAIL_URL": "dummymail://",
        # The schema is what the fuzzer reads; production's default keeps it for staff.
        "API_DOCS": "public",
        # One client sends thousands of requests: throttling and lockouts are the generated
        # suite's subject (apps/core/tests/test_throttling.py, apps/users/tests), not the
        # fuzzer's, and a 429 would only hide the operation behind it.
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "LOGIN_FAILURE_LIMIT": "100000",
        "WEB_CONCURRENCY": "2",
    }
    return clean_env(project, **{**settings, **overrides})


def database_suffix() -> str:
    """This process's own database per variant: another run on the machine (a second checkout)
    must not drop it under a running server. One process serves a variant (xdist_group)."""
    return f"_judges_{os.getpid()}"


def database(project: Path, name: str, *, create: bool) -> None:
    script = (
        "import psycopg, sys\n"
        "with psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', autocommit=True)"
        " as db:\n"
        "    db.execute(f'DROP DATABASE IF EXISTS \"{sys.argv[1]}\" WITH (FORCE)')\n"
        "    if sys.argv[2] == 'create':\n"
        "        db.execute(f'CREATE DATABASE \"{sys.argv[1]}\"')\n"
    )
    command = [python(project), "-c", script, name, "create" if create else "drop"]
    passes(f"{'create' if create else 'drop'} the database",
           run(command, project, clean_env(project)))  # fmt: skip


def manage(project: Path, env: dict[str, str], *args: str) -> None:
    passes(f"manage.py {args[0]}", run([python(project), "manage.py", *args], project, env))


def prepare_database(project: Path, variant: Variant, env: dict[str, str]) -> None:
    """Migrated, with static files collected and one user who may use the API."""
    database(project, variant.db_name + database_suffix(), create=True)
    manage(project, env, "migrate", "--noinput", "-v", "0")
    manage(project, env, "collectstatic", "--noinput", "-v", "0")
    if schemas(variant):  # the README's own commands
        manage(project, env, "create_organization", "--public", "--domain", "localhost")
        manage(project, env, "create_organization", "acme", "--name", "Acme", "--domain",
               "acme.localhost", "--admin-email", EMAIL, "--admin-password", PASSWORD)  # fmt: skip
    else:
        manage(project, env, "shell", "-c", f"from apps.users.models import User; "
               f"User.objects.create_user({EMAIL!r}, {PASSWORD!r})")  # fmt: skip
    # Staff, so that the admin's sign-in sets the session cookie whose flags are checked.
    manage(project, env, "shell", "-c", "from apps.users.models import User; "
           f"User.objects.filter(email={EMAIL!r}).update(is_staff=True)")  # fmt: skip


@pytest.fixture(scope="module")
def start_server(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """start_server(env, host) -> a gunicorn serving the project, stopped with the module."""
    started: list[Server] = []
    tmp_path = tmp_path_factory.mktemp("gunicorn")

    def start(env: dict[str, str], host: str = "127.0.0.1") -> Server:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(project / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
                cwd=project,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(f"http://127.0.0.1:{port}", f"{host}:{port}", process, log)
        started.append(server)
        wait_until_serving(server)
        return server

    yield start
    for server in started:
        stop(server.process)


def wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    with server.client() as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                pytest.fail(f"gunicorn exited {server.process.returncode}:\n{server.log_tail()}")
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer /healthz in {STARTUP_SECONDS} s:\n{server.log_tail()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def served(project: Path, variant: Variant, start_server) -> Iterator[Server]:
    """The project under production settings, with a signed-in API client's headers."""
    require_service("postgres")
    require_service("redis")
    env = production_env(project, variant)
    prepare_database(project, variant, env)
    if schemas(variant):  # sign in on the public host, work on the organization's
        public = start_server(env, host="localhost")
        server = Server(public.origin, public.host.replace("localhost", "acme.localhost"),
                        public.process, public.log)  # fmt: skip
    else:
        server = start_server(env)
    with server.client() as client:
        response = client.post("/api/v1/auth/token/", json={"email": EMAIL, "password": PASSWORD})
        assert response.status_code == 200, response.text
        server.api_headers["Authorization"] = f"Bearer {response.json()['access']}"
        if variant.resolved["tenancy"] == "shared":
            created = client.post("/api/v1/tenants/", json={"name": "Acme", "slug": "acme"},
                                  headers=server.api_headers)  # fmt: skip
            assert created.status_code == 201, created.text
            server.api_headers["X-Tenant"] = "acme"
    yield server
    database(project, variant.db_name + database_suffix(), create=False)


def test_openapi_document_is_valid(served: Server) -> None:
    with served.client(**served.api_headers) as client:
        response = client.get("/api/schema/", params={"format": "json"})
    assert response.status_code == 200, response.text
    validate(response.json())


def test_schemathesis_finds_nothing(served: Server, tmp_path: Path) -> None:
    headers = {"Host": served.host, **PROXY_HEADERS, **served.api_headers}
    cmd = [
        str(Path(sys.prefix) / "bin" / "st"), "--config-file", str(SCHEMATHESIS_CONFIG),
        "run", f"{served.origin}/api/schema/?format=json",
        "--url", served.origin,
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--max-time", str(MAX_TIME_SECONDS),
        "--seed", "20261202",  # reproducible: a failure here fails the same way on rerun
        "--workers", "1",
        "--request-timeout", "10",
        "--generation-database", "none",
        "--no-color",
        "--report", "ndjson", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    for name, value in headers.items():
        cmd += ["--header", f"{name}: {value}"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=MAX_TIME_SECONDS * 4,
                            check=False)  # fmt: skip
    output = (result.stdout + result.stderr)[-30000:]
    assert result.returncode == 0, f"schemathesis found failures:\n{output}"


EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",
}


def assert_hardened(response: httpx.Response) -> None:
    headers = response.headers
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name) == value, f"{name}: {headers.get(name)!r} on {response.url}"
    assert int(headers["strict-transport-security"].split("max-age=")[1].split(";")[0]) >= 86400
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy or "default-src 'none'" in policy, policy
    assert "'unsafe-inline'" not in policy.split("script-src")[-1].split(";")[0], policy
    assert "frame-ancestors 'none'" in policy, policy
    assert "permissions-policy" in headers
    assert "server" not in headers, headers.get("server")


def test_security_headers_and_cookies(served: Server, variant: Variant) -> None:
    with served.client() as client:
        page = client.get("/admin/login/")
        assert page.status_code == 200, page.text[:500]
        assert_hardened(page)
        csrf = page.headers.get("set-cookie", "")
        assert "csrftoken=" in csrf, csrf
        for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
            assert flag in csrf, f"csrftoken lacks {flag}: {csrf}"
        signed_in = client.post(
            "/admin/login/",
            data={
                "username": EMAIL,
                "password": PASSWORD,
                "csrfmiddlewaretoken": extract_csrf(page.text),
            },
            headers={
                "Referer": f"https://{served.host}/admin/login/",
                "Cookie": f"csrftoken={client.cookies.get('csrftoken')}",
            },
        )
        session = signed_in.headers.get("set-cookie", "")
        assert "sessionid=" in session, (signed_in.status_code, signed_in.text[:500])
        for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
            assert flag in session, f"sessionid lacks {flag}: {session}"
    with served.client(**served.api_headers) as client:
        api = client.get("/api/v1/users/me/")
        assert api.status_code == 200, api.text
        assert_hardened(api)


def extract_csrf(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]


# A port nothing listens on: connections are refused at once, as with a service that is down.
DOWN = "127.0.0.1:9"


@pytest.mark.parametrize("service", ["cache", "database"])
def test_outage_answers_503_fast(
    project: Path, variant: Variant, service: str, start_server
) -> None:
    require_service("postgres")
    require_service("redis")
    down = (
        {"CACHE_URL": f"redis://{DOWN}/1"}
        if service == "cache"
        else {"DATABASE_URL": f"postgres://postgres@{DOWN}/judges"}
    )
    host = "acme.localhost" if schemas(variant) else "127.0.0.1"
    # One worker, asked each thing twice: an outage meets workers that have served before, and
    # a worker's first request also imports every view (seconds on a loaded CI machine).
    env = production_env(project, variant, WEB_CONCURRENCY="1", **down)
    server = start_server(env, host=host)
    with server.client() as client:
        client.timeout = httpx.Timeout(30)
        asks = (("POST", "/api/v1/auth/token/"), ("GET", "/readyz"))
        for attempt, (method, path) in enumerate(asks * 2):
            body = {"email": EMAIL, "password": "x" * 12} if method == "POST" else None
            began = time.monotonic()
            try:
                response = client.request(method, path, json=body)
            except httpx.TimeoutException:
                pytest.fail(f"{path} gave no answer with the {service} down:\n{server.log_tail()}")
            took = time.monotonic() - began
            assert response.status_code == 503, (path, response.status_code, response.text[:300])
            # The database pool waits up to its 2 s timeout for a connection; /readyz gives up
            # after 1.5 s. The bound only has to tell those from the 10 s (then a 500) this
            # used to take: the rest is a loaded 2-core runner's margin.
            if attempt >= len(asks):
                assert took < 8, f"{path} took {took:.1f} s with the {service} down"
            if path.startswith("/api/"):
                assert response.headers.get("retry-after"), response.headers
                assert json.loads(response.text)["type"] == "server_error", response.text
        assert client.get("/healthz").status_code == 200


def chromium() -> str:
    """Debian's Chromium (or PLAYWRIGHT_CHROMIUM_EXECUTABLE): Playwright never downloads one."""
    found = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium")
    if found:
        return found
    reason = "Chromium is not installed (apt-get install chromium)"
    if in_ci():
        pytest.fail(f"{reason}, and CI=true requires it")
    pytest.skip(reason)


def test_swagger_ui_tries_a_tenant_endpoint(served: Server, variant: Variant) -> None:
    """Swagger UI, as a person uses it: authorize with a JWT, open a tenant endpoint, "Try it
    out" with the organization in its X-Tenant field, execute, and get the organization's data,
    under the production Content-Security-Policy."""
    if variant.resolved["tenancy"] != "shared" or not variant.resolved["example_app"]:
        pytest.skip(
            "only tenancy=shared has an X-Tenant header, and tenant endpoints with the example app"
        )
    from playwright.sync_api import expect, sync_playwright

    token = served.api_headers["Authorization"].removeprefix("Bearer ")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        context = browser.new_context(extra_http_headers=PROXY_HEADERS)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{served.origin}/api/docs/")
        page.get_by_role("button", name="Authorize").first.click()
        jwt = page.locator("form").filter(has_text="jwtAuth")
        jwt.locator("input").fill(token)
        jwt.get_by_role("button", name="Apply credentials").click()
        page.locator(".btn-done").first.click()
        operation = page.locator("#operations-projects-projects_list")
        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.locator('tr[data-param-name="X-Tenant"] input').fill("acme")
        operation.get_by_role("button", name="Execute").click()
        status = operation.locator(".live-responses-table .response .response-col_status")
        expect(status).to_have_text("200", timeout=15_000)
        browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
