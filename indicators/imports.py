"""Entry points for imports, shared by the Celery tasks, the management commands and the admin: each builds a
source and hands it to the one pipeline."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from indicators import pipeline
from indicators.models import ImportRun, Indicator, SourceTable
from indicators.sources.files import FileSource
from indicators.sources.jobindsats import V2, V3, ApiSource, Client


def client(version: str = "v3", **options) -> Client:
    cls = V3 if version == "v3" else V2
    return cls(settings.JOBINDSATS_API_KEY, settings.JOBINDSATS_BASE_URL, **options)


def indicator_for_table(table_id: str) -> Indicator:
    indicator = (
        Indicator.objects.filter(source_table__iexact=table_id).first()
        or Indicator.objects.filter(code__iexact=table_id).first()
    )
    if indicator is None:
        known = ", ".join(Indicator.objects.exclude(source_table="").values_list("source_table", flat=True))
        raise pipeline.SourceFormatError(f"unknown table {table_id!r}; Jobmål knows {known}")
    return indicator


def from_api(
    table_id: str,
    *,
    periods: list[str] | None = None,
    version: str = "v3",
    import_run: ImportRun | None = None,
    progress: pipeline.Progress | None = None,
    client_options: dict | None = None,
) -> ImportRun:
    """Import one table from the API: the trailing window by default, or the given periods."""
    indicator = indicator_for_table(table_id)
    source = ApiSource(
        client(version, **(client_options or {})),
        indicator.source_table or indicator.code,
        spec=indicator.source_spec,
        frequency=indicator.frequency,
        periods=periods,
    )
    return pipeline.run(source, import_run=import_run, table=indicator.code, progress=progress)


def backfill(table_id: str, first: str, last: str, **kwargs) -> ImportRun:
    """Import a range of periods, taking the table's own list of periods from its metadata."""
    from indicators import periods as period_codes

    indicator = indicator_for_table(table_id)
    api = client(kwargs.pop("version", "v3"), **kwargs.pop("client_options", {}))
    meta = api.metadata(indicator.source_table or indicator.code)
    start, end = period_codes.parse(first).start, period_codes.parse(last).end
    wanted = [p for p in api.period_ids(meta, indicator.frequency) if start <= period_codes.parse(p).start <= end]
    if not wanted:
        raise pipeline.SourceFormatError(f"table {table_id} has no periods between {first} and {last}")
    return from_api(table_id, periods=wanted, **kwargs)


def from_file(path: str, *, table: str | None = None, **kwargs) -> ImportRun:
    return pipeline.run(FileSource(path, table), table=table, **kwargs)


def demo(tables: list[str] | None = None, **kwargs) -> ImportRun:
    from indicators.sources.demo import DemoSource

    return pipeline.run(DemoSource(tables), **kwargs)


def sync_catalogue(version: str = "v3", **client_options) -> int:
    """Refresh the list of Jobindsats tables; return how many there are."""
    now = timezone.now()
    rows = client(version, **client_options).tables()
    for row in rows:
        SourceTable.objects.update_or_create(
            table_id=row["table_id"],
            defaults={
                "name": row.get("table_name", "")[:300],
                "subject": row.get("subject", "")[:200],
                "update_latest": str(row.get("update_latest", ""))[:40],
                "update_next": str(row.get("update_next", ""))[:40],
                "update_freq": str(row.get("update_freq", ""))[:40],
                "synced_at": now,
            },
        )
    return len(rows)


def api_tables() -> list[str]:
    """The tables the nightly import fetches: every national indicator that comes from a Jobindsats table."""
    return list(
        Indicator.objects.filter(scope=Indicator.Scope.NATIONAL, source_table__regex=r"^[A-Z]{1,3}\d").values_list(
            "source_table", flat=True
        )
    )
