"""Import 1,000,000 observations through the pipeline and, in the same run, COPY the same rows with psql into a
bare table of the same columns and into a table indexed like the observations (same unique key, indexes and
checks); then re-import the unchanged data. Prints rows/s, ratios, the pipeline's phases and peak memory.

Runs in its own database (bench_jobmaal) on the same server as the app, so no real data is touched.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from common import fresh_database

AREAS = 98
MONTHS = 340  # 1992M01 … 2020M04
GROUPS = 30
ROWS = AREAS * MONTHS * GROUPS  # 999,600 observations


def bench_database() -> dict:
    return fresh_database("bench_jobmaal")


def months(n: int) -> list[str]:
    return [f"{1992 + i // 12}M{i % 12 + 1:02d}" for i in range(n)]


def payload_rows(municipalities: list[str], periods: list[str]) -> list[list]:
    return [
        [name, period, f"Gruppe {g:02d}", (a * 7919 + p * 104729 + g * 31) % 65536 / 10]
        for a, name in enumerate(municipalities)
        for p, period in enumerate(periods)
        for g in range(GROUPS)
    ]


def main() -> None:
    db = bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from goals.reference import load_all

    load_all()
    from indicators import pipeline
    from indicators.models import Indicator, Observation
    from indicators.sources import Payload
    from municipalities.models import Municipality

    Indicator.objects.create(
        code="BENCH",
        name_da="Benchmark",
        name_en="Benchmark",
        unit="count",
        polarity="neutral",
        frequency="M",
        source_table="BENCH",
        source_spec={
            "dimensions": {"Gruppe": "gruppe"},
            "measures": {"Antal": "antal"},
            "counts": ["antal"],
            "fractional": ["antal"],
        },
    )
    names = list(Municipality.objects.order_by("code").values_list("name", flat=True))[:AREAS]
    periods = months(MONTHS)
    rows = payload_rows(names, periods)
    content = json.dumps({"table_id": "BENCH", "columns": ["Område", "Periode", "Gruppe", "Antal"], "rows": rows})
    content = content.encode()
    del rows

    class Bench:
        table_id = "BENCH"

        def fetch(self):
            return [Payload(content=content, name="bench.json", source="file", table_id="BENCH")]

    phases: dict[str, float] = {}
    last = [time.perf_counter(), "start"]

    def progress(phase: str, fraction: float) -> None:
        now = time.perf_counter()
        phases[last[1]] = phases.get(last[1], 0) + now - last[0]
        last[:] = [now, phase]

    # 1. The pipeline: parse, validate every row, upsert in one transaction, derive aggregates.
    start = time.perf_counter()
    run = pipeline.run(Bench(), progress=progress)
    first_seconds = time.perf_counter() - start
    assert run.rows_created == ROWS, run.rows_created
    derived = run.rows_derived

    # 2. The same rows with psql COPY: into a bare table, and into one indexed like the observation table.
    obs = Observation._meta.db_table
    columns = (
        "indicator_id, area_id, period, period_start, period_end, breakdown, measure, value, numerator, "
        "denominator, status, is_demo, is_derived, source, query, retrieved_at, import_run_id"
    )
    psql = shutil.which("psql") or str(Path(__import__("pgserver").__file__).parent / "pginstall/bin/psql")
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.tsv"
        with path.open("w") as out, django.db.connection.cursor() as cursor:
            cursor.copy_expert(f"COPY (SELECT {columns} FROM {obs} WHERE NOT is_derived) TO STDOUT", out)
        with django.db.connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bench_bare (LIKE {obs} INCLUDING DEFAULTS)")
            cursor.execute("ALTER TABLE bench_bare DROP COLUMN id")
            # INCLUDING ALL: the identity key, the unique key, both indexes and the check constraints.
            cursor.execute(f"CREATE TABLE bench_indexed (LIKE {obs} INCLUDING ALL)")

        def copy(table: str) -> float:
            start = time.perf_counter()
            subprocess.run(
                [
                    psql,
                    "-X",
                    "-q",
                    "-h",
                    str(db["HOST"]),
                    "-p",
                    str(db["PORT"]),
                    "-U",
                    db["USER"],
                    "-d",
                    db["NAME"],
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    f"\\copy {table} ({columns}) FROM '{path}'",
                ],
                check=True,
                env=env,
            )
            return time.perf_counter() - start

        bare_seconds = copy("bench_bare")
        indexed_seconds = copy("bench_indexed")

    # 3. Re-import the unchanged data.
    start = time.perf_counter()
    again = pipeline.run(Bench())
    second_seconds = time.perf_counter() - start
    assert again.rows_unchanged == ROWS and again.rows_created == again.rows_updated == 0

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipeline_rate, again_rate = ROWS / first_seconds, ROWS / second_seconds
    bare_rate, indexed_rate = ROWS / bare_seconds, ROWS / indexed_seconds
    print(
        f"observations: {ROWS:,} ({AREAS} municipalities × {MONTHS} months × {GROUPS} groups), "
        f"plus {derived:,} derived aggregate rows"
    )
    print(f"pipeline import:          {first_seconds:7.2f} s  {pipeline_rate:>10,.0f} rows/s")
    print(f"psql COPY, bare table:    {bare_seconds:7.2f} s  {bare_rate:>10,.0f} rows/s")
    print(f"psql COPY, indexed table: {indexed_seconds:7.2f} s  {indexed_rate:>10,.0f} rows/s")
    print(f"unchanged re-import:      {second_seconds:7.2f} s  {again_rate:>10,.0f} rows/s")
    print(f"ratio pipeline / COPY into the indexed table: {pipeline_rate / indexed_rate:.2f}  (goal ≥ 0.5)")
    # Where the time goes: COPY only writes rows; the pipeline also parses, checks, and derives the aggregates
    # (country, regions, RAR areas, jobcentres, groups) from what it wrote.
    ingest = first_seconds - phases.get("deriving", 0)
    print(f"  without deriving the aggregates ({ingest:.2f} s):  {ROWS / ingest / indexed_rate:.2f}")
    for phase, seconds in phases.items():
        if phase != "start":
            print(f"    {phase:<11} {seconds:6.2f} s  {seconds / first_seconds:5.0%}")
    print(f"ratio pipeline / COPY into the bare table:    {pipeline_rate / bare_rate:.2f}")
    print(f"ratio re-import / first import:               {again_rate / pipeline_rate:.2f}  (goal > 1)")
    print(f"peak memory (RSS): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
