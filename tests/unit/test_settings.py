import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from config import envfile, services

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!v0-production-like-secret-for-the-deploy-check-9f3Lw2xR8tY6uB4nM1cV5bN",
    "ALLOWED_HOSTS": "jobmaal.example.dk",
    # Set explicitly so that nothing embedded starts: these servers are never contacted by `check`.
    "DATABASE_URL": "postgres://jobmaal@db.invalid:5432/jobmaal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def _clean_environ() -> dict:
    """This process's environment without what the test run or the checkout's development .env put there; and
    JOBMAAL_ENV_FILE empty, so that the subprocess does not read that .env either."""
    # REDIS_DB: the parallel test process's own (tests/env.py).
    drop = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "REDIS_DB", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    drop.add("DJANGO_SETTINGS_MODULE")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, "JOBMAAL_ENV_FILE": ""}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**_clean_environ(), **env}, capture_output=True, text=True
    )


def _settings(env: dict) -> list:
    """DATABASES' host and port, REDIS_URL, DEBUG, SECRET_KEY and ALLOWED_HOSTS as a fresh process sees them
    after importing the settings and loading the apps."""
    code = (
        "import json, django\n"
        "import config.settings\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "db = settings.DATABASES['default']\n"
        "print(json.dumps([db['HOST'], db['PORT'], settings.REDIS_URL, settings.DEBUG, settings.SECRET_KEY,"
        " settings.ALLOWED_HOSTS]))\n"
    )
    env = {**_clean_environ(), "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "run `make run` once or create .env with DEBUG=true" in result.stderr  # what a developer should do


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


def test_importing_settings_starts_no_server_and_creates_nothing(tmp_path):
    # No DATABASE_URL / REDIS_URL: settings point at the embedded servers, but only entry points start them.
    embedded = tmp_path / "embedded"
    embedded.mkdir()
    env = {"DEBUG": "true", "EMBEDDED_DIR": str(embedded), "EMBEDDED_PG_PORT": "25431", "EMBEDDED_REDIS_PORT": "26371"}
    host, port, redis_url, *_ = _settings(env)

    assert host == str(services.socket_dir(embedded / "pg", 25431))
    assert (port, redis_url) == ("25431", "redis://127.0.0.1:26371/0")
    assert list(embedded.iterdir()) == []  # no data dir, no pid file, not even the start lock
    assert not Path(host).exists()
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        assert str(embedded) not in cmdline and ":26371" not in cmdline, cmdline


def test_redis_db_picks_another_database_of_the_same_server_and_production_keeps_the_urls():
    env = {"DEBUG": "true", "REDIS_URL": "redis://cache.example:6380/0"}
    assert _settings(env)[2] == "redis://cache.example:6380/0"
    assert _settings({**env, "REDIS_DB": "3"})[2] == "redis://cache.example:6380/3"


def test_settings_read_the_env_file_and_real_variables_win(tmp_path):
    dotenv = tmp_path / "dev.env"
    dotenv.write_text("# development\nDEBUG=true\nSECRET_KEY='from-the-file'\nALLOWED_HOSTS=file.example\n")
    env = {k: v for k, v in PRODUCTION.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env |= {"JOBMAAL_ENV_FILE": str(dotenv), "ALLOWED_HOSTS": "real.example"}
    *_, debug, secret_key, allowed_hosts = _settings(env)
    assert (debug, secret_key, allowed_hosts) == (True, "from-the-file", ["real.example"])


def test_env_file_format():
    text = (
        "# a comment\n"
        "\n"
        "DEBUG=true\n"
        'export QUOTED = "a # is kept inside quotes"\n'
        "SINGLE='x=y'\n"
        "PLAIN=value   # a trailing comment\n"
        "EMPTY=\n"
    )
    assert envfile.parse(text) == {
        "DEBUG": "true",
        "QUOTED": "a # is kept inside quotes",
        "SINGLE": "x=y",
        "PLAIN": "value",
        "EMPTY": "",
    }
    with pytest.raises(ValueError, match="line 2"):
        envfile.parse("DEBUG=true\nthis is not a setting\n")


def _names_read_by_settings() -> set[str]:
    import re

    text = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    reads = r'(?:env(?:bool|int|list)?\(|os\.environ\.get\(|os\.environ\[)"([A-Z][A-Z0-9_]+)"'
    return set(re.findall(reads, text))


def test_env_example_lists_every_variable_the_settings_read():
    import re

    listed = set(re.findall(r"^#? *([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    read = _names_read_by_settings()
    assert len(read) > 25  # the pattern finds the reads (it would find none if the helpers were renamed)
    assert read - listed == set()


@pytest.mark.parametrize("value", ["ture", "maybe", "2", "nej"])
def test_a_yes_no_setting_that_is_neither_is_refused_naming_it(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import envbool

    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match=f"SOME_FLAG='{value}' is neither true nor false"):
        envbool("SOME_FLAG", True)


YES_NO = [("true", True), (" Yes ", True), ("1", True), ("off", False), ("", False)]


@pytest.mark.parametrize(("value", "meant"), YES_NO)
def test_a_yes_no_setting_is_read_as_written(monkeypatch, value, meant):
    from config.settings import envbool

    monkeypatch.setenv("SOME_FLAG", value)
    assert envbool("SOME_FLAG", not meant) is meant
