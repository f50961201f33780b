"""REMARKS_LOG_LEVEL reaches the real server: at WARNING it writes no line per request, at INFO it does."""

import json

import httpx
import pytest

from e2e.conftest import LiveServer
from remarks.config import Settings
from remarks.logs import log_config


@pytest.mark.parametrize("level, lines", [("INFO", 1), ("warning", 0)])
def test_the_server_logs_at_the_level_asked(tmp_path, level, lines):
    server = LiveServer(tmp_path, {"REMARKS_CHECKS": "[]", "REMARKS_LOG_FORMAT": "json", "REMARKS_LOG_LEVEL": level},
                        demo=False)
    try:
        assert httpx.get(server.url + "/api/v1/articles", timeout=30).status_code == 200
    finally:
        server.stop()
    logged = [json.loads(x) for x in (tmp_path / "server.log").read_text().splitlines() if x.startswith("{")]
    asked = [x for x in logged if x.get("logger") == "remarks.http" and x.get("path") == "/api/v1/articles"]
    assert len(asked) == lines


def test_the_level_is_a_setting(monkeypatch):
    monkeypatch.setenv("REMARKS_LOG_LEVEL", "error")
    assert Settings().log_level == "ERROR"
    assert log_config("text", Settings().log_level)["loggers"]["remarks"]["level"] == "ERROR"
    monkeypatch.setenv("REMARKS_LOG_LEVEL", "loud")
    with pytest.raises(ValueError):
        Settings()
