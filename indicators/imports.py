"""Entry points for imports, shared by the Celery tasks, the management commands and the admin: each builds a
source and hands it to the one pipeline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from indicators import columns, pipeline
from indicators.formats import SourceFormatError
from indicators.messages import N_, Msg
from indicators.models import ImportRun, Indicator, Observation, SourceColumn, SourceTable
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
        raise SourceFormatError(
            Msg(N_("unknown table '%(table)s'; Jobmål knows %(known)s"), table=table_id, known=known)
        )
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
        raise SourceFormatError(
            Msg(
                N_("table %(table)s has no periods between %(first)s and %(last)s"),
                table=table_id,
                first=first,
                last=last,
            )
        )
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


def metadata_columns(meta: dict) -> list[tuple[str, str, str]]:
    """(role, id, label) of every measure and dimension a table's metadata names, v3 or v2.

    v2 (verified): `Measurements[{ID, Name}]`, `Dimensions[{Name, Label}]`. v3: `dimensions[{dimension_id,
    dimension_name}]` (verified); measures as nodes with `measure_id`/`measure_name` (or `id`/`name`) under
    measure groups with `mgroup_id`/`mgroup_name` is Jobmål's reading, not verified against a real answer:
    a measure is labelled "<measure group>: <measure>" as in v2 exports, which the matcher takes with or
    without the prefix."""
    found: list[tuple[str, str, str]] = []
    for m in meta.get("Measurements", []) or []:
        found.append((columns.MEASURE, str(m.get("ID") or ""), str(m.get("Name") or "")))
    for d in meta.get("Dimensions", []) or []:
        found.append((columns.DIMENSION, str(d.get("Name") or ""), str(d.get("Label") or "")))
    for d in meta.get("dimensions", []) or []:
        if d.get("dimension_id") not in columns.AREA_IDS:
            found.append((columns.DIMENSION, str(d.get("dimension_id") or ""), str(d.get("dimension_name") or "")))
    groups = meta.get("measuregroups") or meta.get("mgroups") or meta.get("measure_groups") or []
    for group in groups:
        group_name = str(group.get("mgroup_name") or group.get("name") or "")
        for m in group.get("measures", []) or []:
            name = str(m.get("measure_name") or m.get("name") or "")
            label = f"{group_name}: {name}" if group_name and name else name
            found.append((columns.MEASURE, str(m.get("measure_id") or m.get("id") or ""), label))
    return [(role, source_id, label) for role, source_id, label in found if source_id or label]


def sync_columns(indicator: Indicator, meta: dict) -> list[str]:
    """Store the labels and ids the metadata gives for the indicator's measures and dimensions; return the
    ones that match none of its keys (or several), for someone to map in the admin."""
    mapping = columns.mapping(indicator)
    unmatched = []
    for role, source_id, label in metadata_columns(meta):
        targets = {t for t in mapping.by_label(label) if t[0] == role} if label else set()
        targets |= {t for t in mapping.ids.get(columns.normalise(source_id), set()) if t[0] == role}
        if len(targets) != 1:
            unmatched.append(label or source_id)
            continue
        ((_, key),) = targets
        SourceColumn.objects.update_or_create(
            indicator=indicator,
            role=role,
            key=key,
            label=label[:300],
            source_id=source_id[:100],
            defaults={"origin": SourceColumn.Origin.METADATA},
        )
    return unmatched


def sync_all_columns(version: str = "v3", **client_options) -> dict[str, list[str]]:
    """Read every followed table's metadata; return the unmatched columns per table."""
    api = client(version, **client_options)
    report = {}
    for indicator in Indicator.objects.filter(scope=Indicator.Scope.NATIONAL, source_table__in=api_tables()):
        report[indicator.code] = sync_columns(indicator, api.metadata(indicator.source_table))
    return report


STALE_AFTER = dt.timedelta(minutes=15)


def reap_stale_runs(now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER) -> list[int]:
    """Mark as failed the runs still 'queued' or 'running' that have given no sign of life for a while: their
    worker was killed or their task lost. An import writes in one transaction, so such a run wrote nothing.
    (A task whose worker process dies is also handed back to the queue and run again: tasks.py.)"""
    from indicators import runs

    runs.resume_dead(None if now is None else now.timestamp())  # a lost worker's run: sent again once
    cutoff = (now or timezone.now()) - stale_after
    stale = ImportRun.objects.filter(status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).filter(
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    message = Msg(
        N_(
            "the import stopped without finishing (no sign of life for %(minutes)s minutes: its worker was "
            "stopped or its task lost); nothing was written"
        ),
        minutes=int(stale_after.total_seconds() // 60),
    )
    ImportRun.objects.filter(pk__in=ids).fail(message)
    return ids


def real_national_figures() -> bool:
    """Whether any national indicator holds real (not demo, not derived) figures: then demo data is not loaded.
    A municipality's own values are real too, but demo data never touches own indicators, so they do not count."""
    return Observation.objects.published().filter(is_demo=False, indicator__scope=Indicator.Scope.NATIONAL).exists()
