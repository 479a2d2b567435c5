"""`.env.example` names every variable the settings read, each under a comment that says what it
is for: it is where people look when they deploy."""

import ast
import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SETTINGS = BASE_DIR / "config" / "settings"
# `NAME=value` or `# NAME=value`: a variable, set or shown with an example.
VARIABLE = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=")


def variables_read_by_settings() -> set[str]:
    """Names passed to `env(...)` or `env.<cast>(...)` in any settings module."""
    names = set()
    for module in SETTINGS.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func, first = node.func, node.args[0]
            reads_env = (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "env"
            )
            if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def documented_variables() -> dict[str, bool]:
    """Each variable of .env.example, and whether a comment introduces it (or the run of
    variables it belongs to)."""
    documented: dict[str, bool] = {}
    introduced = False
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        match = VARIABLE.match(line)
        if match:
            documented[match.group(1)] = introduced
        else:
            introduced = line.startswith("# ")
    return documented


def test_the_scan_finds_what_the_settings_read() -> None:
    # Guards the test itself: names every variant's settings read.
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "LOG_LEVEL"} <= variables_read_by_settings()


def test_every_variable_the_settings_read_is_in_env_example() -> None:
    missing = variables_read_by_settings() - set(documented_variables())
    assert not missing, f"add to .env.example, with a comment: {sorted(missing)}"


def test_every_variable_in_env_example_is_explained_and_read() -> None:
    documented = documented_variables()
    unexplained = sorted(name for name, introduced in documented.items() if not introduced)
    assert not unexplained, f"put a comment above these in .env.example: {unexplained}"
    # boto3 reads the AWS credentials itself (django-storages passes them through).
    read_elsewhere = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    unread = set(documented) - variables_read_by_settings() - read_elsewhere
    assert not unread, f"nothing reads these; remove them from .env.example: {sorted(unread)}"
