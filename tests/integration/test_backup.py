"""`make backup` / `make restore` against the real server: a dump of the test database, restored into a fresh
database whose every table has the rows the dump counted."""

import json

import pytest
from django.db import connection

from config import backup
from indicators import imports
from tests.factories import DATA

pytestmark = pytest.mark.django_db(transaction=True)


def _drop(name: str) -> None:
    admin = backup.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_dump_restores_into_a_fresh_database_with_every_row(reference_data, tmp_path):
    imports.from_file(str(DATA / "Y30R21_v2.csv"), table="Y30R21")
    path = backup.dump(tmp_path)
    manifest = json.loads(path.with_suffix(".json").read_text())
    assert manifest["rows"]["indicators_observation"] == 49 + 52  # imported and derived
    assert manifest["rows"]["municipalities_municipality"] == 98
    name = f"{connection.settings_dict['NAME']}_restore_test"
    _drop(name)
    try:
        into, counts = backup.restore(path, name)
        assert into == name and counts == manifest["rows"]
        with pytest.raises(backup.BackupError, match="exists already"):
            backup.restore(path, name)
    finally:
        _drop(name)


def test_a_restore_that_does_not_match_its_manifest_is_refused(reference_data, tmp_path):
    path = backup.dump(tmp_path)
    manifest = json.loads(path.with_suffix(".json").read_text())
    manifest["rows"]["municipalities_municipality"] = 99
    path.with_suffix(".json").write_text(json.dumps(manifest))
    name = f"{connection.settings_dict['NAME']}_restore_bad"
    _drop(name)
    try:
        with pytest.raises(backup.BackupError, match="municipalities_municipality': \\(99, 98\\)"):
            backup.restore(path, name)
    finally:
        _drop(name)


def test_make_backup_runs_the_module_as_a_command(reference_data, tmp_path):
    """`make backup` runs `python -m config.backup dump`: as a command, not only as functions called from a test."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    from urllib.parse import quote

    db = connection.settings_dict  # NAME is the test database here
    host = quote(db["HOST"] or "localhost", safe="")
    url = f"postgres://{db['USER']}:{quote(db.get('PASSWORD') or '')}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    done = subprocess.run(
        [sys.executable, "-m", "config.backup", "dump", "--dir", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (dumped,) = tmp_path.glob("*.dump")
    assert f"database dumped to {dumped}" in done.stdout
    assert json.loads(dumped.with_suffix(".json").read_text())["rows"]["municipalities_municipality"] == 98
