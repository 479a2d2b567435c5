"""The production server's configuration, as the image runs it (gunicorn.conf.py)."""

import logging
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture(scope="module")
def cfg() -> Config:
    cfg = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def test_the_configured_classes_load(cfg: Config) -> None:
    assert cfg.worker_class.__module__ == "config.server"
    assert cfg.logger_class.__module__ == "config.server"


def test_the_access_log_hides_tokens(cfg: Config, capsys: pytest.CaptureFixture[str]) -> None:
    access_logger = cfg.logger_class(cfg)
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("203.0.113.7:5000", "GET", "/api/v1/tasks/?token=eyJ.secret.jwt", "1.1", 200),
        None,
    )  # fmt: skip
    for handler in access_logger.access_log.handlers:
        handler.handle(record)
    output = capsys.readouterr().out
    assert "/api/v1/tasks/?token=[redacted]" in output
    assert "secret" not in output
