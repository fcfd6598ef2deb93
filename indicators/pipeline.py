"""The one way figures enter Jobmål: fetch → parse → validate every row → upsert in one transaction.

Nothing is written unless every row of every payload is valid; re-importing the same figures changes nothing;
a changed figure is updated and recorded as a revision; whole country, regions, RAR areas, jobcentres and
groups are then derived from the municipalities' counts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from indicators import aggregates, formats, periods
from indicators.formats import SourceError, SourceFormatError
from indicators.models import ImportRun, Indicator, Observation, ObservationRevision
from indicators.numbers import NumberError, parse_number
from indicators.signals import import_finished
from indicators.sources import Payload, Source
from municipalities.models import Area, normalise_name

AREA_COLUMNS = {"area", "område", "omrade", "_omrade", "kommune", "areaname", "områdenavn"}
PERIOD_COLUMNS = {"periode", "period", "_tid", "tid", "time", "perioder"}
TOTAL_LABELS = {"i alt", "alle", "total", "totalt"}
MAX_REJECTS_KEPT = 50

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Reject:
    file: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field {self.field!r}: {self.reason}"


class ImportRejected(SourceError):
    def __init__(self, rejects: list[Reject], rows: int):
        self.rejects = rejects
        shown = "\n".join(f"  {r}" for r in rejects[:20])
        more = f"\n  … and {len(rejects) - 20} more" if len(rejects) > 20 else ""
        super().__init__(f"{len(rejects)} of {rows} rows rejected; nothing was imported:\n{shown}{more}")


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    derived: int = 0


# --- identifying the indicator ------------------------------------------------------------------------------


def identify(table: formats.Table, payload: Payload, hint: str | None = None) -> Indicator:
    """The indicator a table holds: from the caller, the source, the file name, or its header."""
    indicators = list(Indicator.objects.filter(scope=Indicator.Scope.NATIONAL))
    by_id = {i.code.upper(): i for i in indicators} | {i.source_table.upper(): i for i in indicators if i.source_table}
    if hint and hint.upper() not in by_id:
        # A municipality's own indicator is only ever named by the caller (goals/local_indicators.py).
        local = Indicator.objects.filter(scope=Indicator.Scope.LOCAL, code__iexact=hint).first()
        if local:
            return local
    for candidate in (hint, payload.table_id, table.table_id):
        if candidate:
            if candidate.upper() in by_id:
                return by_id[candidate.upper()]
            raise SourceFormatError(f"{payload.name}: unknown table {candidate!r}; known: {', '.join(sorted(by_id))}")
    words = {w.upper() for w in re.split(r"[^A-Za-z0-9]+", payload.name)}
    named = [i for key, i in by_id.items() if key in words]
    if len(named) == 1:
        return named[0]
    headers = {h.strip() for h in table.columns}
    matching = [i for i in indicators if set(i.source_spec.get("measures", {})) <= headers and i.source_spec]
    if len(matching) == 1:
        return matching[0]
    raise SourceFormatError(
        f"{payload.name}: cannot tell which table this is; name it with --table (e.g. --table MM13)"
    )


# --- validation ---------------------------------------------------------------------------------------------


@dataclass
class Layout:
    area: int
    period: int
    dimensions: list[tuple[int, str]]
    measures: list[tuple[int, str]]


def layout(table: formats.Table, indicator: Indicator, name: str) -> Layout:
    spec = indicator.source_spec
    columns = [c.strip() for c in table.columns]
    lowered = [c.casefold() for c in columns]
    area = next((i for i, c in enumerate(lowered) if c in AREA_COLUMNS), None)
    period = next((i for i, c in enumerate(lowered) if c in PERIOD_COLUMNS), None)
    dims = spec.get("dimensions", {})
    measures = spec.get("measures", {})
    missing = [label for label in [*measures] if label not in columns]
    if area is None:
        missing.insert(0, "Område/Area")
    if period is None:
        missing.insert(1 if area is None else 0, "Periode")
    known = set(measures) | set(dims)
    unexpected = [c for i, c in enumerate(columns) if i not in (area, period) and c not in known]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(repr(m) for m in missing))
        if unexpected:
            parts.append("unexpected " + ", ".join(repr(u) for u in unexpected))
        raise SourceFormatError(
            f"{name}: the header does not match table {indicator.code}: {'; '.join(parts)}. "
            f"Expected columns: Område, Periode, {', '.join([*dims, *measures])}"
        )
    return Layout(
        area=area,
        period=period,
        dimensions=[(columns.index(label), key) for label, key in dims.items() if label in columns],
        measures=[(columns.index(label), key) for label, key in measures.items()],
    )


@dataclass
class ValidRow:
    area_id: int
    period: str
    start: object
    end: object
    breakdown: str
    measure: str
    value: object
    numerator: object
    denominator: object
    status: str


def validate(
    table: formats.Table, indicator: Indicator, *, name: str, area_index: dict[str, int], first_row: int = 1
) -> tuple[list[ValidRow], list[Reject]]:
    """Check every row; return the observations it yields and every reject (file, row, field, reason)."""
    lay = layout(table, indicator, name)
    spec = indicator.source_spec
    shares = spec.get("shares", {})
    percents = set(spec.get("percents", [])) | set(shares)
    counts = set(spec.get("counts", []))
    ranks = set(spec.get("ranks", []))
    columns = table.columns
    rows: list[ValidRow] = []
    rejects: list[Reject] = []
    seen: dict[tuple, int] = {}
    period_cache: dict[str, periods.Period] = {}
    area_cache: dict[str, int | None] = {}
    dims_total = [(i, key) for i, key in lay.dimensions]

    for n, raw in enumerate(table.rows, start=first_row):
        bad = len(rejects)
        area_label = str(raw[lay.area]).strip()
        if area_label not in area_cache:
            area_cache[area_label] = area_index.get(normalise_name(area_label))
        area_id = area_cache[area_label]
        if area_id is None:
            rejects.append(Reject(name, n, columns[lay.area], f"unknown area {area_label!r}"))
        code = str(raw[lay.period]).strip()
        period = period_cache.get(code)
        if period is None:
            try:
                period = period_cache[code] = periods.parse(code)
            except periods.PeriodError as exc:
                rejects.append(Reject(name, n, columns[lay.period], str(exc)))
        parts = []
        for i, key in dims_total:
            label = str(raw[i]).strip()
            if not label:
                rejects.append(Reject(name, n, columns[i], "empty breakdown value"))
            elif label.casefold() not in TOTAL_LABELS and not label.casefold().endswith(" i alt"):
                parts.append(f"{key}={label}")
        breakdown = "|".join(sorted(parts))
        values = {}
        for i, measure in lay.measures:
            try:
                value = parse_number(raw[i], table.decimal)
            except NumberError as exc:
                rejects.append(Reject(name, n, columns[i], str(exc)))
                continue
            if value is not None:
                if measure in percents and not 0 <= value <= 100:
                    rejects.append(Reject(name, n, columns[i], f"share {value} is outside 0–100"))
                elif measure in counts and value < 0:
                    rejects.append(Reject(name, n, columns[i], f"count {value} is negative"))
                elif measure in ranks and (value != value.to_integral_value() or not 1 <= value <= 98):
                    rejects.append(Reject(name, n, columns[i], f"rank {value} is not a whole number 1–98"))
            values[measure] = value
        for num_key, den_key in shares.values():
            num, den = values.get(num_key), values.get(den_key)
            if num is not None and den is not None and num > den:
                label = next(columns[i] for i, m in lay.measures if m == num_key)
                rejects.append(Reject(name, n, label, f"numerator {num} is larger than the denominator {den}"))
        key = (area_id, code, breakdown)
        if area_id is not None and period is not None:
            if key in seen:
                rejects.append(Reject(name, n, "", f"duplicate of row {seen[key]} (same area, period and breakdown)"))
            else:
                seen[key] = n
        if len(rejects) > bad:
            continue
        for measure, value in values.items():
            num = den = None
            if measure in shares:
                num, den = values.get(shares[measure][0]), values.get(shares[measure][1])
            rows.append(
                ValidRow(area_id, period.code, period.start, period.end, breakdown, measure, value, num, den,
                         Observation.Status.SUPPRESSED if value is None else Observation.Status.FINAL)
            )  # fmt: skip
    return rows, rejects


def mark_provisional(rows: list[ValidRow], indicator: Indicator) -> None:
    """The newest month of a monthly table is provisional: late registrations will still change it."""
    if indicator.frequency != Indicator.Frequency.MONTHLY or not rows:
        return
    newest = max(row.start for row in rows)
    for row in rows:
        if row.start == newest and row.status == Observation.Status.FINAL:
            row.status = Observation.Status.PROVISIONAL


# --- writing ------------------------------------------------------------------------------------------------

STAGE_COLUMNS = (
    "area_id",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "measure",
    "value",
    "numerator",
    "denominator",
    "status",
)


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _stage(rows: Iterable[ValidRow]) -> io.StringIO:
    buffer = io.StringIO()
    write = buffer.write
    for r in rows:
        write(
            f"{r.area_id}\t{_copy_text(r.period)}\t{r.start}\t{r.end}\t{_copy_text(r.breakdown)}\t"
            f"{_copy_text(r.measure)}\t{_copy_text(r.value)}\t{_copy_text(r.numerator)}\t"
            f"{_copy_text(r.denominator)}\t{r.status}\n"
        )
    buffer.seek(0)
    return buffer


def upsert(rows: list[ValidRow], *, indicator: Indicator, payload: Payload, run: ImportRun) -> Counts:
    """Write validated rows: COPY into a staging table, record revisions, then one INSERT … ON CONFLICT that
    touches only rows whose figures or status changed. Call inside a transaction."""
    obs = Observation._meta.db_table
    rev = ObservationRevision._meta.db_table
    key = "o.indicator_id = %(indicator)s AND o.area_id = s.area_id AND o.period = s.period " \
          "AND o.breakdown = s.breakdown AND o.measure = s.measure"  # fmt: skip
    changed = (
        "({t}.value IS DISTINCT FROM {s}.value OR {t}.numerator IS DISTINCT FROM {s}.numerator "
        "OR {t}.denominator IS DISTINCT FROM {s}.denominator)"
    )
    new_status = (
        f"CASE WHEN EXCLUDED.value IS NULL THEN 'suppressed' "
        f"WHEN {changed.format(t=obs, s='EXCLUDED')} THEN 'revised' "
        f"WHEN {obs}.status = 'revised' THEN 'revised' ELSE EXCLUDED.status END"
    )
    params = {
        "indicator": indicator.pk,
        "is_demo": payload.is_demo,
        "source": payload.source,
        "query": payload.query,
        "retrieved_at": payload.retrieved_at,
        "run": run.pk,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE import_stage (area_id bigint, period varchar(16), period_start date, "
            "period_end date, breakdown varchar(200), measure varchar(60), value numeric(20,6), "
            "numerator numeric(20,6), denominator numeric(20,6), status varchar(12)) ON COMMIT DROP"
        )
        cursor.copy_from(_stage(rows), "import_stage", columns=STAGE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {rev} (observation_id, old_value, new_value, old_numerator, new_numerator, "
            f"old_denominator, new_denominator, import_run_id, revised_at) "
            f"SELECT o.id, o.value, s.value, o.numerator, s.numerator, o.denominator, s.denominator, "
            f"%(run)s, %(now)s FROM import_stage s JOIN {obs} o ON {key} "
            f"WHERE {changed.format(t='o', s='s')} AND NOT o.is_derived",
            params,
        )
        cursor.execute(
            f"WITH up AS (INSERT INTO {obs} (indicator_id, area_id, period, period_start, period_end, breakdown, "
            f"measure, value, numerator, denominator, status, is_demo, is_derived, source, query, retrieved_at, "
            f"import_run_id) "
            f"SELECT %(indicator)s, area_id, period, period_start, period_end, breakdown, measure, value, "
            f"numerator, denominator, status, %(is_demo)s, false, %(source)s, %(query)s, %(retrieved_at)s, %(run)s "
            f"FROM import_stage "
            f"ON CONFLICT (indicator_id, area_id, period, breakdown, measure) DO UPDATE SET "
            f"value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, "
            f"period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, "
            f"status = {new_status}, is_demo = EXCLUDED.is_demo, is_derived = false, source = EXCLUDED.source, "
            f"query = EXCLUDED.query, retrieved_at = EXCLUDED.retrieved_at, import_run_id = EXCLUDED.import_run_id "
            f"WHERE {changed.format(t=obs, s='EXCLUDED')} OR {obs}.status IS DISTINCT FROM ({new_status}) "
            f"OR {obs}.is_derived OR {obs}.is_demo <> EXCLUDED.is_demo "
            f"RETURNING (xmax = 0) AS inserted) "
            f"SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
            params,
        )
        created, updated = cursor.fetchone()
        cursor.execute("DROP TABLE import_stage")
    return Counts(read=len(rows), created=created, updated=updated, unchanged=len(rows) - created - updated)


ANALYZE_AFTER = 50_000


def keep_demo_apart(indicator: Indicator, payload: Payload) -> None:
    """Demo and real figures never mix in one indicator: demo data is refused where real figures exist, and the
    first real import of an indicator removes its demo figures (not as revisions: they were never real)."""
    observations = Observation.objects.filter(indicator=indicator)
    if payload.is_demo:
        if observations.filter(is_demo=False, is_derived=False).exists():
            raise SourceFormatError(
                f"{payload.name}: {indicator.code} already holds real figures; demo data is never written over them"
            )
    elif observations.filter(is_demo=True).exists():
        obs, rev = Observation._meta.db_table, ObservationRevision._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {rev} WHERE observation_id IN (SELECT id FROM {obs} WHERE indicator_id = %s AND is_demo)",
                [indicator.pk],
            )
            cursor.execute(f"DELETE FROM {obs} WHERE indicator_id = %s AND is_demo", [indicator.pk])


# --- running an import --------------------------------------------------------------------------------------


def _set(run: ImportRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    # Saved outside the import's transaction (fetch and validation run before it) so a page can follow along.
    run.save(update_fields=list(fields))


def run(
    source: Source,
    *,
    import_run: ImportRun | None = None,
    table: str | None = None,
    progress: Progress | None = None,
    areas: dict[str, int] | None = None,
) -> ImportRun:
    """Import everything a source yields as one all-or-nothing import; return the finished ImportRun.
    Raises SourceError (bad input, rejected rows) after recording it on the run; nothing is written then."""
    import_run = import_run or ImportRun.objects.create(source="?")
    report = progress or (lambda phase, fraction: None)

    def step(phase: str, fraction: float) -> None:
        _set(import_run, phase=phase, progress=int(fraction * 100))
        report(phase, fraction)

    _set(import_run, status=ImportRun.Status.RUNNING, started_at=timezone.now(), error="", rejects=[])
    try:
        step("fetching", 0.0)
        payloads = source.fetch()
        area_index = Area.objects.name_index() if areas is None else areas  # `areas`: only these may be named
        work = []
        all_rejects: list[Reject] = []
        total_rows = 0
        for i, payload in enumerate(payloads):
            step("validating", 0.1 + 0.4 * i / max(len(payloads), 1))
            parsed = formats.parse(payload.content, payload.name)
            indicator = identify(parsed, payload, table or getattr(source, "table_id", None))
            first = 2 if parsed.format.startswith("CSV") else 1
            rows, rejects = validate(parsed, indicator, name=payload.name, area_index=area_index, first_row=first)
            mark_provisional(rows, indicator)
            total_rows += len(parsed.rows)
            all_rejects.extend(rejects)
            work.append((payload, indicator, rows))
        first_payload = payloads[0]
        _set(
            import_run,
            source=first_payload.source,
            table=",".join(sorted({ind.code for _, ind, _ in work})),
            origin="\n".join(p.query or p.name for p in payloads)[:2000],
            is_demo=all(p.is_demo for p in payloads),
            periods=_period_span([r for *_, rows in work for r in rows]),
            rows_read=total_rows,
        )
        if all_rejects:
            raise ImportRejected(all_rejects, total_rows)
        step("writing", 0.5)
        totals = Counts()
        with transaction.atomic():
            for payload, indicator, rows in work:
                keep_demo_apart(indicator, payload)
                counts = upsert(rows, indicator=indicator, payload=payload, run=import_run)
                totals.created += counts.created
                totals.updated += counts.updated
                totals.unchanged += counts.unchanged
                if counts.created > ANALYZE_AFTER:
                    # The planner must know about a large batch of new rows before deriving from them, or it
                    # picks nested loops sized for an empty table (first import: 2× slower in bench_import.py).
                    with connection.cursor() as cursor:
                        cursor.execute(f"ANALYZE {Observation._meta.db_table}")
                touched = sorted({r.period for r in rows})
                totals.derived += aggregates.derive(indicator, touched, run=import_run)
            _set(
                import_run,
                status=ImportRun.Status.SUCCEEDED,
                finished_at=timezone.now(),
                phase="done",
                progress=100,
                rows_created=totals.created,
                rows_updated=totals.updated,
                rows_unchanged=totals.unchanged,
                rows_derived=totals.derived,
            )
            indicator_ids = sorted({ind.pk for _, ind, _ in work})
            transaction.on_commit(
                lambda: import_finished.send(sender=ImportRun, import_run=import_run, indicator_ids=indicator_ids)
            )
        report("done", 1.0)
        return import_run
    except Exception as exc:
        rejects = getattr(exc, "rejects", [])
        _set(
            import_run,
            status=ImportRun.Status.FAILED,
            finished_at=timezone.now(),
            phase="failed",
            error=str(exc)[:10000],
            rows_rejected=len(rejects),
            rejects=[{"file": r.file, "row": r.row, "field": r.field, "reason": r.reason}
                     for r in rejects[:MAX_REJECTS_KEPT]],
        )  # fmt: skip
        raise


def _period_span(rows: list[ValidRow]) -> str:
    codes = sorted({r.period for r in rows}, key=lambda c: periods.parse(c).start)
    if not codes:
        return ""
    return codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]} ({len(codes)})"
