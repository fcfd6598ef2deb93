"""What every benchmark needs: a fresh database of its own on the app's server, so no real data is touched."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def fresh_database(name: str) -> dict:
    """Create (or re-create) database `name` on the app's server and point DATABASE_URL at it."""
    import dj_database_url
    import psycopg2

    from config import services

    services.start_embedded()  # PostgreSQL and Redis when no URLs are given (bench_pages uses the cache)
    if os.environ.get("DATABASE_URL"):
        db = dj_database_url.parse(os.environ["DATABASE_URL"])
    else:
        db = services.postgres_settings(services.embedded_dir() / "pg")
    conn = psycopg2.connect(dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None,
                            host=db["HOST"], port=db["PORT"])  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    host = quote(str(db["HOST"]), safe="")
    password = quote(db.get("PASSWORD") or "")
    os.environ["DATABASE_URL"] = f"postgres://{db['USER']}:{password}@{host}:{db['PORT']}/{name}"
    return {**db, "NAME": name}
