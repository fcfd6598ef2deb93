import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!v0-production-like-secret-for-the-deploy-check-9f3Lw2xR8tY6uB4nM1cV5bN",
    "ALLOWED_HOSTS": "jobmaal.example.dk",
    # Set explicitly so that nothing embedded starts: these servers are never contacted by `check`.
    "DATABASE_URL": "postgres://jobmaal@db.invalid:5432/jobmaal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_given_urls_are_used_and_nothing_embedded_starts(missing, tmp_path):
    # With both URLs given, settings must not touch the embedded directory at all.
    env = {**PRODUCTION, "EMBEDDED_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
