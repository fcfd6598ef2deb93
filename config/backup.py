"""`make backup` and `make restore`: the database (embedded or DATABASE_URL) as a pg_dump custom-format file,
and that file restored into a fresh database and checked.

The row count of every table is taken in the same snapshot that pg_dump dumps (an exported snapshot), and written
beside the dump; a restore compares the restored database against it, so "restored" means "the same rows", not
"pg_restore said nothing".

    python -m config.backup dump [--dir backups]
    python -m config.backup restore backups/jobmaal-20261125-1612.dump [--into jobmaal_restored]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class BackupError(Exception):
    pass


def _binary(name: str) -> str:
    # pgserver's binaries are at least as new as the embedded server; a configured server uses the machine's own.
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec and spec.submodule_search_locations:
        bundled = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed")
    return found


def _connection_args(db: dict, name: str | None = None) -> tuple[list[str], dict]:
    args = ["-h", str(db["HOST"] or "localhost"), "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return [*args, "-d", name or db["NAME"]], env


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def dump(directory: Path) -> Path:
    """Dump the database; return the dump's path (its row counts are in the .json beside it)."""
    from django.db import connection

    db = connection.settings_dict
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{db['NAME']}-{dt.datetime.now():%Y%m%d-%H%M%S}.dump"
    conn = connect(db["NAME"])
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor)
            args, env = _connection_args(db)
            # The snapshot lives as long as this transaction: pg_dump sees exactly what was counted.
            result = subprocess.run(
                [_binary("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(path), *args],
                env=env,
                capture_output=True,
                text=True,
            )
    finally:
        conn.rollback()
        conn.close()
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    manifest = {"database": db["NAME"], "taken_at": dt.datetime.now(dt.UTC).isoformat(), "rows": counts}
    path.with_suffix(".json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return path


def restore(path: Path, into: str | None = None) -> tuple[str, dict[str, int]]:
    """Restore a dump into a new database (never over an existing one) and check every table's row count against
    the dump's manifest; return the database's name and the counts."""
    from django.db import connection

    path = Path(path)
    manifest_path = path.with_suffix(".json")
    if not path.exists() or not manifest_path.exists():
        raise BackupError(f"{path}: no such dump (with its {manifest_path.name} beside it)")
    expected = json.loads(manifest_path.read_text())["rows"]
    db = connection.settings_dict
    into = into or f"{db['NAME']}_restored_{dt.datetime.now():%Y%m%d_%H%M%S}"
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into])
        if cursor.fetchone():
            admin.close()
            raise BackupError(f"database {into} exists already; restore into a new one")
        cursor.execute(f'CREATE DATABASE "{into}"')
    admin.close()
    args, env = _connection_args(db, into)
    result = subprocess.run(
        [_binary("pg_restore"), "--no-owner", "--exit-on-error", *args, str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore into {into} failed: {result.stderr.strip()}")
    conn = connect(into)
    try:
        with conn.cursor() as cursor:
            counts = _counts(cursor)
    finally:
        conn.close()
    wrong = {
        t: (expected.get(t), counts.get(t)) for t in set(expected) | set(counts) if expected.get(t) != counts.get(t)
    }
    if wrong:
        raise BackupError(f"{into}: row counts differ from the dump's (table: dumped, restored): {wrong}")
    return into, counts


def connect(dbname: str):
    """A connection of its own (psycopg2, outside Django's) to `dbname` on the app's database server, as its user."""
    import psycopg2
    from django.db import connection

    db = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.backup")
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="dump the database into a file")
    dumping.add_argument("--dir", default=str(BASE_DIR / "backups"))
    restoring = commands.add_parser("restore", help="restore a dump into a new database and check it")
    restoring.add_argument("file")
    restoring.add_argument("--into", help="name of the new database (default: <name>_restored_<time>)")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from config import services

    services.start_embedded()
    try:
        if options.command == "dump":
            path = dump(Path(options.dir))
            print(f"Jobmål: database dumped to {path} (row counts in {path.with_suffix('.json').name})")
        else:
            into, counts = restore(Path(options.file), options.into)
            rows = sum(counts.values())
            print(
                f"Jobmål: restored into the new database {into}: {len(counts)} tables, {rows:,} rows, every "
                "count as dumped. Point DATABASE_URL at it to use it."
            )
    except BackupError as exc:
        print(f"Jobmål: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
