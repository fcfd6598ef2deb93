"""The README's commands on a clean clone: after `make .env` (the first thing `make run`, `make test` and `make bench`
do), `.venv/bin/python manage.py …` needs no other variables; without .env it refuses to start for want of
SECRET_KEY and says what to do.

A clone holds committed files only. So that this tests the code in this working tree, committed or not, the
working-tree versions of config/, manage.py and the Makefile are copied over the clone's before anything runs.
DATABASE_URL and REDIS_URL point at the suite's own servers, so the clone starts no embedded server of its own;
`check` and `--help` never connect to them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
FROM_WORKING_TREE = ["config", "manage.py", "Makefile"]


def _is_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    result = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--is-inside-work-tree"], capture_output=True)
    return result.returncode == 0


@pytest.fixture
def clone(tmp_path):
    if not _is_git_checkout():
        pytest.skip(f"{ROOT} is not a git checkout (or git is missing), so there is nothing to clone")
    if shutil.which("make") is None:
        pytest.skip("make is missing; the README's set-up needs it")
    target = tmp_path / "jobmaal"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    for name in FROM_WORKING_TREE:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, target / name)
    return target


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"


def _manage(clone: Path, *args: str) -> subprocess.CompletedProcess:
    """This venv's python, as `.venv/bin/python` in the README, with none of the variables a developer's shell or
    this test run may have set."""
    drop = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "JOBMAAL_ENV_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {"DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=clone, env=env, capture_output=True, text=True)


def test_manage_py_needs_nothing_more_after_make_env(clone):
    made = subprocess.run(["make", ".env", f"PYTHON={sys.executable}"], cwd=clone, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    dotenv = (clone / ".env").read_text()
    assert "DEBUG=true" in dotenv.splitlines()
    assert any(line.startswith("SECRET_KEY=") and len(line) > 50 for line in dotenv.splitlines())
    assert subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=clone).returncode == 0  # never committed

    check = _manage(clone, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    help_ = _manage(clone, "import_jobindsats", "--help")
    assert help_.returncode == 0, help_.stdout + help_.stderr
    assert "--table" in help_.stdout and "--file" in help_.stdout
    assert not (clone / "var").exists()  # the URLs were used; nothing embedded started


def test_without_env_file_manage_py_refuses_and_says_what_to_do(clone):
    assert not (clone / ".env").exists()
    result = _manage(clone, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment when DEBUG is off" in result.stderr
    assert "run `make run` once or create .env with DEBUG=true" in result.stderr
