"""The one way figures enter Jobmål: fetch → parse → stage and check every row → merge in one transaction.

Each payload's rows are parsed in Python only as far as SQL cannot (Danish number text, area names, period
codes), COPYed into a temporary staging table, and checked there set-wise: ranges, whole counts, ranks,
differences, duplicates. Nothing is written unless every row of every payload is valid; then one statement per
payload merges the staged rows into the observations, records the changed ones as revisions and leaves the
unchanged untouched. Whole country, regions, RAR areas, jobcentres and groups are then derived from the
municipalities' counts. Rejects name file, row, column and value, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from indicators import aggregates, breakdowns, columns, formats, numbers, periods
from indicators.formats import SourceError, SourceFormatError
from indicators.messages import N_, Date, Msg, Number, visible
from indicators.models import FIGURE_FIELDS, ImportRun, Indicator, Observation, ObservationRevision
from indicators.numbers import NumberError, number_text
from indicators.signals import import_finished
from indicators.sources import Payload, Source
from municipalities.models import Area, normalise_name

NULL, NULL_PAIR = "\\N", "\\N\t\\N"
TOTAL_LABELS = {"i alt", "alle", "total", "totalt"}
# Decimals kept: what the observation columns store, and for a municipality's own figures what its value form
# takes. More is refused by name, never rounded away (0,0000001 was once stored as 0).
STORED_DECIMALS = Observation._meta.get_field("value").decimal_places
OWN_DECIMALS = 4
MAX_REJECTS_KEPT = 100  # rejects kept on a run and shown on a page; the rest are counted (rows_rejected)
CHUNK_LINES = 20_000
MAX_BREAKDOWN = Observation._meta.get_field("breakdown").max_length
# The period type each frequency publishes (indicators.periods): a monthly table holds no quarters.
FREQUENCY_PERIOD_TYPES = {"M": {"M"}, "Q": {"Q"}, "H": {"H"}, "QMAT": {"QMAT"}, "Y": {"Y"}}
PERIOD_EXAMPLES = {"M": "2020M01", "Q": "2020Q1", "H": "2020H1", "QMAT": "2020QMAT02", "Y": "2020"}

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Reject:
    file: str
    row: int
    field: str
    reason: Msg | str

    def __str__(self) -> str:
        if self.field:
            return str(
                Msg(
                    N_("%(file)s, row %(row)s, column '%(field)s': %(reason)s"),
                    file=self.file,
                    row=self.row,
                    field=self.field,
                    reason=self.reason,
                )
            )
        return str(Msg(N_("%(file)s, row %(row)s: %(reason)s"), file=self.file, row=self.row, reason=self.reason))

    def as_json(self) -> dict:
        reason = self.reason
        data = {"file": self.file, "row": self.row, "field": visible(self.field)}
        if isinstance(reason, Msg):
            return {**data, "reason": reason.english(), "reason_message": reason.as_json()}
        return {**data, "reason": visible(str(reason))}


class ImportRejected(SourceError):
    def __init__(self, rejects: list[Reject], rows: int):
        self.rejects = sorted(rejects, key=lambda r: (r.file, r.row, r.field))
        self.rows = rows
        super().__init__(self.summary)
        with translation.override("en"):
            self.args = (self.text(),)

    @property
    def summary(self) -> Msg:
        return Msg(
            N_("%(count)s of %(rows)s rows rejected; nothing was imported"),
            count=Number(len({(r.file, r.row) for r in self.rejects})),
            rows=Number(self.rows),
        )

    def text(self) -> str:
        shown = "\n".join(f"  {r}" for r in self.rejects[:20])
        more = ""
        if len(self.rejects) > 20:
            more = "\n  " + str(Msg(N_("… and %(count)s more"), count=len(self.rejects) - 20))
        return f"{self.summary}:\n{shown}{more}"

    def __str__(self) -> str:
        return self.text()


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    derived: int = 0
    first: bool = False  # the indicator's first figures


# --- identifying the indicator ------------------------------------------------------------------------------


def identify(table: formats.Table, payload: Payload, hint: str | None = None) -> Indicator:
    """The indicator a table holds: from the caller, the source, the file name, or its header."""
    indicators = list(Indicator.objects.filter(scope=Indicator.Scope.NATIONAL).prefetch_related("source_columns"))
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
            raise SourceFormatError(
                Msg(
                    N_("%(name)s: unknown table '%(table)s'; known: %(known)s"),
                    name=payload.name,
                    table=candidate,
                    known=", ".join(sorted(by_id)),
                )
            )
    words = {w.upper() for w in re.split(r"[^A-Za-z0-9]+", payload.name)}
    named = {i.pk: i for key, i in by_id.items() if key in words}
    if len(named) == 1:
        return next(iter(named.values()))
    matching = [i for i in indicators if i.source_spec and columns.fits(table, i)]
    if len(matching) == 1:
        return matching[0]
    raise SourceFormatError(
        Msg(
            N_("%(name)s: cannot tell which table this is; name it with --table (e.g. --table MM13)"), name=payload.name
        )
    )


# --- staging: parse what SQL cannot, COPY the rest ----------------------------------------------------------


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass
class Staged:
    """One payload parsed into COPY text for the staging table, with what Python already refused."""

    name: str
    indicator: Indicator
    payload: Payload
    table: formats.Table
    layout: columns.Layout
    first_row: int
    chunks: Iterator[str] = iter(())
    lines: int = 0
    rejects: list[Reject] = field(default_factory=list)
    period_codes: list[str] = field(default_factory=list)
    stage: str = ""
    duplicates_checked: bool = False
    area_ids: set[int] = field(default_factory=set)  # the areas the file names, once it is staged

    def column(self, measure: str) -> tuple[int, str]:
        index = next(i for i, key in self.layout.measures if key == measure)
        return index, self.table.columns[index]

    def raw(self, row: int, index: int):
        return self.table.rows[row - self.first_row][index]

    def reject(self, at: int, field: str, message: str, /, **values) -> Reject:
        """A reject of this file's row `at`, naming the `field` and what was wrong with it (`values` fill in the
        message, and may name a row of their own)."""
        return Reject(self.name, at, field, Msg(message, **values))


def own_areas(indicator: Indicator, area_index: dict) -> tuple[dict, Callable[[object], Msg]]:
    """The areas an import may name, and the reason for one it may not. A municipality's own indicator takes
    figures for that municipality only, whichever way they arrive (upload, form, command, API): who may read an own
    indicator's figures follows its municipality, so a neighbour's row under it would be read by the wrong people
    (issue 20, R11)."""

    def unknown(label) -> Msg:
        return Msg(N_("unknown area '%(area)s'"), area=label)

    if indicator.scope != Indicator.Scope.LOCAL:
        return area_index, unknown
    ours = dict(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality=indicator.municipality_id).values_list(
            "id", "name"
        )
    )
    allowed = ", ".join(sorted(ours.values()))

    def not_ours(label) -> Msg:
        if area_index.get(normalise_name(str(label).strip())) is None:
            return unknown(label)
        return Msg(
            N_("'%(area)s' is not one of the municipalities of %(indicator)s (%(allowed)s)"),
            area=label,
            indicator=indicator.code,
            allowed=allowed,
        )

    return {key: area for key, area in area_index.items() if area in ours}, not_ours


def check_periods(codes, indicator: Indicator, today: dt.date) -> dict[str, periods.Period | Msg]:
    """Each distinct period code → its Period, or the reason it is refused: not a code, not of the indicator's
    frequency, or not over yet."""
    allowed = FREQUENCY_PERIOD_TYPES.get(indicator.frequency)
    out: dict[str, periods.Period | Msg] = {}
    for code in codes:
        try:
            period = periods.parse(code)
        except periods.PeriodError:
            out[code] = Msg(
                N_("unknown period '%(period)s' (expected e.g. 2020M01, 2020Q1, 2020QMAT02, 2020H1, 2020)"), period=code
            )
            continue
        if allowed and period.type not in allowed:
            out[code] = Msg(
                N_("period '%(period)s' does not fit %(indicator)s (%(frequency)s, e.g. %(example)s)"),
                period=code,
                frequency=Indicator.Frequency(indicator.frequency).label,
                indicator=indicator.code,
                example=PERIOD_EXAMPLES[indicator.frequency],
            )
        elif period.end > today:
            # A period that has not ended cannot have been counted yet: a typo, or a file that is not what it says.
            out[code] = Msg(
                N_("period '%(period)s' lies in the future (it ends %(end)s)"), period=code, end=Date(period.end)
            )
        else:
            out[code] = period
    return out


def stage(
    table: formats.Table,
    indicator: Indicator,
    payload: Payload,
    *,
    area_index: dict,
    first_row: int,
    today: dt.date | None = None,
) -> Staged:
    """Parse every row into COPY lines (one per measure) and the rejects Python can tell by itself."""
    name = payload.name
    area_index, not_ours = own_areas(indicator, area_index)
    lay = columns.layout(table, indicator, name)
    spec = indicator.source_spec
    shares = spec.get("shares", {})
    labels = table.columns
    staged = Staged(name, indicator, payload, table, lay, first_row)
    rejects = staged.rejects

    # Periods, areas, breakdowns and number texts repeat: each distinct cell is worked out once.
    _scalar_cells(table, name, first_row, [lay.area, lay.period, *(i for i, _ in lay.dimensions)])
    raw_codes = set(map(operator.itemgetter(lay.period), table.rows))
    checked = check_periods({str(c).strip() for c in raw_codes}, indicator, today or timezone.localdate())
    good = {code: p for code, p in checked.items() if isinstance(p, periods.Period)}
    newest = max((p.start for p in good.values()), default=None)
    monthly = indicator.frequency == Indicator.Frequency.MONTHLY
    period_info: dict = {}
    for raw_code in raw_codes:
        code = str(raw_code).strip()
        p = good.get(code)
        # The newest month of a monthly table is provisional: late registrations will still change it.
        status = "provisional" if p and monthly and p.start == newest else "final"
        period_info[raw_code] = (f"{_copy_text(p.code)}\t{p.start}\t{p.end}", status) if p else checked[code]
    staged.period_codes = list(dict.fromkeys(p.code for p in sorted(good.values(), key=lambda p: p.start)))

    area_cache: dict = {}
    breakdown_cache: dict = {}
    number_cache: dict[str, str | None] = {}
    decimal = numbers.decimal_mark(_texts(table, [i for i, _ in lay.measures]), table.decimal)
    measures = lay.measures
    share_parts = {measure: shares[measure] for _, measure in measures if measure in shares}
    dims = lay.dimensions
    dim_cells = operator.itemgetter(*[i for i, _ in dims]) if dims else None
    area_at, period_at = lay.area, lay.period
    unknown = object()

    def produce():
        """COPY text in chunks, made while the database reads the previous ones (two processes, two cores)."""
        pending: list[str] = []
        write = pending.append
        lines = 0
        for n, raw in enumerate(table.rows, start=first_row):
            bad = False
            area_id = area_cache.get(raw[area_at], unknown)
            if area_id is unknown:
                label = raw[area_at]
                area_id = area_cache[label] = area_index.get(normalise_name(str(label).strip()))
            if area_id is None:
                rejects.append(Reject(name, n, labels[area_at], not_ours(raw[area_at])))
                bad = True
            info = period_info[raw[period_at]]
            if type(info) is Msg:
                rejects.append(Reject(name, n, labels[period_at], info))
                bad = True
            if dim_cells:
                key = dim_cells(raw)
                breakdown = breakdown_cache.get(key)
                if breakdown is None:
                    breakdown = breakdown_cache[key] = _breakdown(key if len(dims) > 1 else (key,), dims, labels)
                if type(breakdown) is Reject:
                    rejects.append(Reject(name, n, breakdown.field, breakdown.reason))
                    bad = True
            else:
                breakdown = ""
            texts = []
            for i, measure in measures:
                cell = raw[i]
                kind = type(cell)
                if kind is float and cell - cell == 0 and "e" not in (text := repr(cell)):
                    pass  # finite, written out: NaN (missing), infinity and 1e-30 take the long way below
                elif kind is int:
                    text = str(cell)
                else:
                    text = number_cache.get(cell, unknown) if kind is str else unknown
                    if text is unknown:
                        try:
                            text = number_text(cell, decimal)
                        except NumberError as exc:
                            rejects.append(Reject(name, n, labels[i], exc.args[0]))
                            bad = True
                            continue
                        if kind is str:
                            number_cache[cell] = text
                texts.append((measure, text))
            if bad:
                continue
            part, status = info
            prefix = f"{n}\t{area_id}\t{part}\t{breakdown}\t"
            values = dict(texts) if share_parts else None
            for measure, text in texts:
                parts = share_parts.get(measure) if share_parts else None
                if parts:
                    # A share carries its numerator and denominator: totals are summed counts, not averaged shares.
                    num, den = values.get(parts[0]), values.get(parts[1])
                    fraction = f"{NULL if num is None else num}\t{NULL if den is None else den}"
                else:
                    fraction = NULL_PAIR
                if text is None:
                    write(f"{prefix}{measure}\t\\N\t{fraction}\tsuppressed\n")
                else:
                    write(f"{prefix}{measure}\t{text}\t{fraction}\t{status}\n")
            lines += len(texts)
            if len(pending) >= CHUNK_LINES:
                yield "".join(pending)
                pending.clear()
        # Said before the last chunk: COPY takes an empty chunk for the end and asks for no more, so nothing after
        # the last yield is sure to run (a file whose rows filled the chunks exactly lost its count of lines).
        staged.lines = lines
        staged.area_ids = {area_id for area_id in area_cache.values() if area_id is not None}
        if pending:
            yield "".join(pending)

    staged.chunks = produce()
    return staged


def _texts(table: formats.Table, indices: list[int]) -> set[str]:
    """The distinct text cells of these columns (JSON's numbers are not text), taken at C speed where a column is
    all text or all numbers."""
    texts: set[str] = set()
    for index in indices:
        column = list(map(operator.itemgetter(index), table.rows))
        kinds = set(map(type, column))
        if kinds == {str}:
            texts.update(column)
        elif str in kinds:
            texts.update(cell for cell in column if type(cell) is str)
    return texts


def _scalar_cells(table: formats.Table, name: str, first_row: int, indices: list[int]) -> None:
    """Area, period and breakdown cells are text or numbers; JSON may carry a list or an object instead."""
    for index in indices:
        if set(map(type, map(operator.itemgetter(index), table.rows))) <= {str, int, float}:
            continue  # the types a column holds, found at C speed: a third of a second less for a million rows
        for n, cell in enumerate((row[index] for row in table.rows), start=first_row):
            if not isinstance(cell, str | int | float):
                raise SourceFormatError(
                    Msg(
                        N_("%(name)s, row %(row)s, column '%(field)s': '%(value)s' is neither text nor a number"),
                        name=name,
                        row=n,
                        field=table.columns[index],
                        value=str(cell)[:60],
                    )
                )


def _breakdown(key: tuple, dims: list[tuple[int, str]], labels: list[str]) -> str | Reject:
    """Canonical "dimension=value" pairs for a row's breakdown labels; totals ("I alt", "Ydelsesgrupper i alt")
    are left out, so the total of every breakdown is ""."""
    parts = []
    for value, (i, dim) in zip(key, dims, strict=True):
        label = str(value).strip()
        if not label:
            return Reject("", 0, labels[i], Msg(N_("empty breakdown value")))
        if not label.isprintable():
            return Reject("", 0, labels[i], Msg(N_("'%(value)s' holds a control character (e.g. NUL)"), value=label))
        folded = label.casefold()
        if folded not in TOTAL_LABELS and not folded.endswith(" i alt"):
            parts.append(f"{dim}={label}")
    breakdown = "|".join(sorted(parts))
    if len(breakdown) > MAX_BREAKDOWN:
        i = dims[0][0]
        return Reject(
            "",
            0,
            labels[i],
            Msg(
                N_("the breakdown '%(value)s…' is longer than %(limit)s characters"),
                value=breakdown[:40],
                limit=MAX_BREAKDOWN,
            ),
        )
    return _copy_text(breakdown)


# --- checks in SQL over the staged rows ---------------------------------------------------------------------

STAGE_COLUMNS = ("src_row", "area_id", *FIGURE_FIELDS)
TOO_LARGE = 10**14  # the observation table keeps 20 digits, 6 of them decimals


def _load(staged: Staged, number: int) -> None:
    staged.stage = f"import_stage_{number}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staged.stage}")
        # A temporary table is never WAL-logged: staging costs about what a bare COPY costs.
        cursor.execute(
            f"CREATE TEMP TABLE {staged.stage} (src_row integer, area_id bigint, period varchar(16), "
            "period_start date, period_end date, breakdown text, measure varchar(60), value numeric, "
            "numerator numeric, denominator numeric, status varchar(12))"
        )
        cursor.copy_expert(f"COPY {staged.stage} ({', '.join(STAGE_COLUMNS)}) FROM STDIN", _Chunks(staged.chunks))
        cursor.execute(f"ANALYZE {staged.stage}")


class _Chunks:
    """A file for COPY FROM STDIN that reads the chunks as they are made."""

    def __init__(self, chunks: Iterator[str]):
        self.chunks = chunks

    def read(self, size: int = -1) -> str:
        return next(self.chunks, "")

    readline = read


def _places() -> int:
    """Ranks run from 1 to the number of municipalities (98)."""
    return Area.objects.filter(kind=Area.Kind.MUNICIPALITY).count()


def check(staged: Staged, places: int) -> None:
    """Set-wise checks over the staged rows; adds a Reject (file, row, column, value) for each failure."""
    spec = staged.indicator.source_spec
    shares = spec.get("shares", {})
    percents = sorted(set(spec.get("percents", [])) | set(shares))
    counts = sorted(spec.get("counts", []))
    whole = sorted(set(counts) - set(spec.get("fractional", [])))
    ranks = sorted(spec.get("ranks", []))
    present = {key for _, key in staged.layout.measures}
    stage, add = staged.stage, staged.rejects.append
    decimals = OWN_DECIMALS if staged.indicator.scope == Indicator.Scope.LOCAL else STORED_DECIMALS
    params = {
        "percents": percents,
        "counts": counts,
        "whole": whole,
        "ranks": ranks,
        "places": places,
        "large": TOO_LARGE,
        "decimals": decimals,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT src_row, measure, problem FROM (
                  SELECT src_row, measure, CASE
                    WHEN abs(value) >= %(large)s OR abs(numerator) >= %(large)s OR abs(denominator) >= %(large)s
                      THEN 'large'
                    WHEN scale(trim_scale(value)) > %(decimals)s OR scale(trim_scale(numerator)) > %(decimals)s
                      OR scale(trim_scale(denominator)) > %(decimals)s THEN 'decimals'
                    WHEN measure = ANY(%(percents)s) AND (value < 0 OR value > 100) THEN 'percent'
                    WHEN measure = ANY(%(counts)s) AND value < 0 THEN 'negative'
                    WHEN measure = ANY(%(whole)s) AND value <> trunc(value) THEN 'fraction'
                    WHEN measure = ANY(%(ranks)s) AND (value <> trunc(value) OR value < 1 OR value > %(places)s)
                      THEN 'rank'
                    WHEN numerator > denominator THEN 'numerator'
                  END AS problem FROM {stage}) c
                WHERE problem IS NOT NULL ORDER BY src_row, measure LIMIT 10000""",
            params,
        )
        for row, measure, problem in cursor.fetchall():
            index, label = staged.column(measure)
            value = staged.raw(row, index)
            if problem == "numerator":
                num_key, den_key = shares[measure]
                index, label = staged.column(num_key)
                add(
                    staged.reject(
                        row,
                        label,
                        N_("%(numerator)s is larger than the denominator %(denominator)s"),
                        numerator=staged.raw(row, index),
                        denominator=staged.raw(row, staged.column(den_key)[0]),
                    )
                )
                continue
            reason = {
                "large": N_("%(value)s is too large"),
                "decimals": N_("%(value)s has more decimals than the %(decimals)s allowed; round it in the file"),
                "percent": N_("the share %(value)s is outside 0–100"),
                "negative": N_("the count %(value)s is negative"),
                "fraction": N_("the count %(value)s is not a whole number"),
                "rank": N_("the rank %(value)s is not a whole number from 1 to %(places)s"),
            }[problem]
            add(staged.reject(row, label, reason, value=value, places=places, decimals=decimals))

        # The observation table leaves its area key to this check (indicators/models.py).
        cursor.execute(
            f"SELECT min(s.src_row) FROM {stage} s LEFT JOIN {Area._meta.db_table} a ON a.id = s.area_id "
            "WHERE a.id IS NULL GROUP BY s.area_id"
        )
        for (row,) in cursor.fetchall():
            area_label = staged.raw(row, staged.layout.area)
            add(
                staged.reject(
                    row, staged.table.columns[staged.layout.area], N_("unknown area '%(area)s'"), area=area_label
                )
            )

        for rank in (r for r in ranks if r in present):
            cursor.execute(
                f"SELECT value, array_agg(src_row ORDER BY src_row) FROM {stage} WHERE measure = %s "
                "AND value IS NOT NULL GROUP BY period, breakdown, value HAVING count(*) > 1",
                [rank],
            )
            index, label = staged.column(rank)
            for _value, rows in cursor.fetchall():
                for row in rows[1:]:
                    add(
                        staged.reject(
                            row,
                            label,
                            N_("the rank %(value)s is also given in row %(row)s (same period and breakdown)"),
                            value=staged.raw(row, index),
                            row=rows[0],
                        )
                    )

        for difference, (actual, expected, tolerance) in spec.get("differences", {}).items():
            if not {difference, actual, expected} <= present:
                continue
            cursor.execute(
                f"""SELECT d.src_row, a.value - e.value FROM {stage} d
                    JOIN {stage} a ON a.src_row = d.src_row AND a.measure = %(actual)s
                    JOIN {stage} e ON e.src_row = d.src_row AND e.measure = %(expected)s
                    WHERE d.measure = %(difference)s AND abs(d.value - (a.value - e.value)) > %(tolerance)s
                    ORDER BY d.src_row""",
                {"actual": actual, "expected": expected, "difference": difference, "tolerance": tolerance},
            )
            index, label = staged.column(difference)
            for row, computed in cursor.fetchall():
                add(
                    staged.reject(
                        row,
                        label,
                        N_(
                            "the difference %(value)s is not %(actual)s − %(expected)s = %(computed)s "
                            "(within rounding, %(tolerance)s)"
                        ),
                        value=staged.raw(row, index),
                        actual=staged.raw(row, staged.column(actual)[0]),
                        expected=staged.raw(row, staged.column(expected)[0]),
                        computed=Number(computed),
                        tolerance=Number(tolerance),
                    )
                )


def duplicate_rows(staged: Staged) -> list[Reject]:
    """Rows that repeat another row's area, period and breakdown, named with the row they repeat."""
    stage, first = staged.stage, staged.layout.measures[0][1]
    rejects = []
    with connection.cursor() as cursor:
        # The keys that repeat first (a plain hash aggregate), then their rows: collecting and sorting every key's
        # rows to find none repeated took four times as long.
        cursor.execute(
            f"SELECT area_id, period, breakdown FROM {stage} WHERE measure = %s "
            "GROUP BY area_id, period, breakdown HAVING count(*) > 1",
            [first],
        )
        repeated = cursor.fetchall()
        if not repeated:
            return rejects
        cursor.execute(
            f"SELECT array_agg(s.src_row ORDER BY s.src_row) FROM {stage} s "
            "JOIN unnest(%s::bigint[], %s::varchar[], %s::text[]) AS k(area_id, period, breakdown) "
            "ON k.area_id = s.area_id AND k.period = s.period AND k.breakdown = s.breakdown "
            "WHERE s.measure = %s GROUP BY s.area_id, s.period, s.breakdown ORDER BY 1",
            [*map(list, zip(*repeated, strict=True)), first],
        )
        for (rows,) in cursor.fetchall():
            for row in rows[1:]:
                rejects.append(
                    staged.reject(
                        row, "", N_("duplicate of row %(row)s (same area, period and breakdown)"), row=rows[0]
                    )
                )
    staged.duplicates_checked = True
    return rejects


def consistency_warnings(staged: Staged, places: int) -> list[Msg]:
    """What is imported but looks wrong against the rest of the file: a benchmark rank the published differences
    contradict, ranks missing though every municipality is there, a country count that is not the sum of the
    municipalities'. The source ranks on unrounded figures and rounds what it publishes, so a tie in the
    published difference is never a contradiction; a rank above a smaller difference is (shared/jobindsats.md §3).
    """
    spec = staged.indicator.source_spec
    present = {key for _, key in staged.layout.measures}
    stage, area = staged.stage, Area._meta.db_table
    found: list[Msg] = []
    with connection.cursor() as cursor:
        for rank, difference in spec.get("rank_by", {}).items():
            if not {rank, difference} <= present:
                continue
            cursor.execute(
                f"""WITH ranked AS (
                      SELECT r.period, r.breakdown, r.value AS rank, d.value AS diff, a.name,
                             lag(d.value) OVER w AS prev_diff, lag(r.value) OVER w AS prev_rank,
                             lag(a.name) OVER w AS prev_name
                      FROM {stage} r JOIN {stage} d ON d.src_row = r.src_row AND d.measure = %(difference)s
                      JOIN {area} a ON a.id = r.area_id AND a.kind = 'municipality'
                      WHERE r.measure = %(rank)s AND r.value IS NOT NULL AND d.value IS NOT NULL
                      WINDOW w AS (PARTITION BY r.period, r.breakdown ORDER BY r.value))
                    SELECT period, breakdown, name, rank, diff, prev_name, prev_rank, prev_diff FROM ranked
                    WHERE prev_diff > diff ORDER BY period, breakdown, rank""",
                {"rank": rank, "difference": difference},
            )
            for period, breakdown, name, place, diff, prev_name, prev_place, prev_diff in cursor.fetchall():
                found.append(
                    Msg(
                        N_(
                            "%(period)s %(breakdown)s: %(area)s is ranked %(rank)s with the difference %(difference)s, "
                            "but %(previous)s is ranked %(previous_rank)s, ahead of it, with the larger difference "
                            "%(previous_difference)s: the rank contradicts the published figures"
                        ),
                        period=period,
                        breakdown=_shown_breakdown(breakdown),
                        area=name,
                        rank=Number(place),
                        difference=Number(diff),
                        previous=prev_name,
                        previous_rank=Number(prev_place),
                        previous_difference=Number(prev_diff),
                    )
                )
            cursor.execute(
                f"""SELECT r.period, r.breakdown, array_agg(r.value) FROM {stage} r
                    JOIN {area} a ON a.id = r.area_id AND a.kind = 'municipality'
                    WHERE r.measure = %(rank)s GROUP BY r.period, r.breakdown
                    HAVING count(*) = %(places)s AND count(r.value) < %(places)s ORDER BY 1, 2""",
                {"rank": rank, "places": places},
            )
            for period, breakdown, given in cursor.fetchall():
                missing = sorted(set(range(1, places + 1)) - {int(v) for v in given if v is not None})
                found.append(
                    Msg(
                        N_(
                            "%(period)s %(breakdown)s: all %(places)s municipalities are listed but the ranks "
                            "%(missing)s are not given"
                        ),
                        period=period,
                        breakdown=_shown_breakdown(breakdown),
                        places=places,
                        missing=", ".join(map(str, missing)),
                    )
                )
        rounding = spec.get("rounding", {})
        counts = [m for m in spec.get("counts", []) if m in present]
        # Most files do not give the whole country: then there is nothing to hold the municipalities' sum against,
        # and no need to look through the staged rows for it.
        if counts and Area.objects.filter(kind=Area.Kind.COUNTRY, pk__in=staged.area_ids).exists():
            cursor.execute(
                f"""WITH country AS (
                      SELECT s.period, s.breakdown, s.measure, s.value FROM {stage} s
                      JOIN {area} a ON a.id = s.area_id AND a.kind = 'country'
                      WHERE s.measure = ANY(%(counts)s) AND s.value IS NOT NULL),
                    members AS (
                      SELECT s.period, s.breakdown, s.measure, sum(s.value) AS total, count(s.value) AS n
                      FROM {stage} s JOIN {area} a ON a.id = s.area_id AND a.kind = 'municipality'
                      WHERE s.measure = ANY(%(counts)s) AND EXISTS (SELECT 1 FROM country)
                      GROUP BY 1, 2, 3)
                    SELECT c.period, c.breakdown, c.measure, c.value, m.total FROM country c
                    JOIN members m USING (period, breakdown, measure) WHERE m.n = %(places)s
                    ORDER BY 1, 2, 3""",
                {"counts": counts, "places": places},
            )
            for period, breakdown, measure, value, total in cursor.fetchall():
                # Counts published rounded (to tens in Y30R21) may each be half a unit off.
                tolerance = float(rounding.get(measure, 0)) / 2 * places
                if abs(float(value) - float(total)) > tolerance:
                    found.append(
                        Msg(
                            N_(
                                "%(period)s %(breakdown)s: the whole country's %(column)s is %(value)s, but the "
                                "municipalities' figures sum to %(total)s"
                            ),
                            period=period,
                            breakdown=_shown_breakdown(breakdown),
                            column=staged.column(measure)[1],
                            value=Number(value),
                            total=Number(total),
                        )
                    )
    return found


def _shown_breakdown(breakdown: str) -> str:
    return breakdowns.in_words(breakdown, "(i alt)")


# --- writing ------------------------------------------------------------------------------------------------


def merge(staged: Staged, run: ImportRun) -> Counts:
    """One statement: record the figures that changed as revisions, insert the new ones, update the changed
    ones, leave the unchanged untouched. Call inside the import's transaction."""
    obs = Observation._meta.db_table
    rev = ObservationRevision._meta.db_table
    stage = staged.stage
    changed = (
        "({t}.value IS DISTINCT FROM {s}.value OR {t}.numerator IS DISTINCT FROM {s}.numerator "
        "OR {t}.denominator IS DISTINCT FROM {s}.denominator)"
    )
    new_status = (
        f"CASE WHEN EXCLUDED.value IS NULL THEN 'suppressed' "
        f"WHEN {changed.format(t=obs, s='EXCLUDED')} THEN 'revised' "
        f"WHEN {obs}.status = 'revised' THEN 'revised' ELSE EXCLUDED.status END"
    )
    payload = staged.payload
    params = {
        "indicator": staged.indicator.pk,
        "is_demo": payload.is_demo,
        "source": payload.source,
        "query": payload.query,
        "retrieved_at": payload.retrieved_at,
        "run": run.pk,
        "now": timezone.now(),
    }
    # One hash join of the staged rows to the stored ones finds what changed; only that goes through the
    # (per-row, speculative) ON CONFLICT insert, so an unchanged re-import writes nothing. Data-modifying CTEs see
    # the table as it was before the statement, so `changed` holds the figures being replaced.
    sql = f"""
    WITH changed AS (
        SELECT s.*, o.id AS obs_id, o.value AS old_value, o.numerator AS old_numerator,
               o.denominator AS old_denominator, o.is_derived AS old_derived
        FROM {stage} s LEFT JOIN {obs} o ON o.indicator_id = %(indicator)s AND o.area_id = s.area_id
         AND o.period = s.period AND o.breakdown = s.breakdown AND o.measure = s.measure
        WHERE o.id IS NULL OR o.is_derived OR o.is_demo <> %(is_demo)s OR {changed.format(t="o", s="s")}
           OR (o.status <> 'revised' AND o.status <> s.status)
    ),
    revised AS (
        INSERT INTO {rev} (observation_id, old_value, new_value, old_numerator, new_numerator, old_denominator,
                           new_denominator, import_run_id, revised_at)
        SELECT obs_id, old_value, value, old_numerator, numerator, old_denominator, denominator, %(run)s, %(now)s
        FROM changed
        WHERE obs_id IS NOT NULL AND NOT old_derived AND (old_value IS DISTINCT FROM value
           OR old_numerator IS DISTINCT FROM numerator OR old_denominator IS DISTINCT FROM denominator)
        RETURNING 1
    ),
    up AS (
        INSERT INTO {obs} (indicator_id, area_id, period, period_start, period_end, breakdown, measure, value,
                           numerator, denominator, status, is_demo, is_derived, source, query, retrieved_at,
                           import_run_id)
        SELECT %(indicator)s, area_id, period, period_start, period_end, breakdown, measure, value, numerator,
               denominator, status, %(is_demo)s, false, %(source)s, %(query)s, %(retrieved_at)s, %(run)s
        FROM changed
        ON CONFLICT (indicator_id, area_id, period, breakdown, measure) DO UPDATE SET
            value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
            period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
            status = {new_status}, is_demo = EXCLUDED.is_demo, is_derived = false, source = EXCLUDED.source,
            query = EXCLUDED.query, retrieved_at = EXCLUDED.retrieved_at, import_run_id = EXCLUDED.import_run_id
        WHERE {changed.format(t=obs, s="EXCLUDED")} OR {obs}.status IS DISTINCT FROM ({new_status})
           OR {obs}.is_derived OR {obs}.is_demo <> EXCLUDED.is_demo
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), (SELECT count(*) FROM revised)
    FROM up
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM " + obs + " WHERE indicator_id = %s)", [staged.indicator.pk])
        if not cursor.fetchone()[0]:
            # The indicator's first figures (its imports take turns, see run()): nothing to revise or conflict
            # with, so a plain INSERT, which costs about what COPY into the indexed table costs. A row the file
            # repeats is refused by the unique key; only then are the repeated rows looked for, to name them.
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO {obs} (indicator_id, area_id, period, period_start, period_end, breakdown, "
                        f"measure, value, numerator, denominator, status, is_demo, is_derived, source, query, "
                        f"retrieved_at, import_run_id) "
                        f"SELECT %(indicator)s, area_id, period, period_start, period_end, breakdown, measure, value, "
                        f"numerator, denominator, status, %(is_demo)s, false, %(source)s, %(query)s, %(retrieved_at)s, "
                        f"%(run)s FROM {stage}",
                        params,
                    )
            except IntegrityError:
                _refuse_duplicates(staged, run)
                raise
            return Counts(read=staged.lines, created=cursor.rowcount, first=True)
        # Against stored figures a repeated row could pass unseen (both equal to the stored one, or one of them),
        # so here the repeats are looked for first.
        _refuse_duplicates(staged, run)
        cursor.execute(sql, params)
        created, updated, _revised = cursor.fetchone()
    return Counts(read=staged.lines, created=created, updated=updated, unchanged=staged.lines - created - updated)


def _refuse_duplicates(staged: Staged, run: ImportRun) -> None:
    if not staged.duplicates_checked and (rejects := duplicate_rows(staged)):
        raise ImportRejected(rejects, run.rows_read)


# The planner is told again about the observations table once this many rows changed since it last looked, or more
# than a tenth of what it thinks is there: a derivation planned on stale figures picks nested loops sized for a
# smaller table and takes ten times as long (the demo import's re-derivation: 47 s instead of 5 s).
ANALYZE_AFTER = 10_000
ANALYZE_SHARE = 0.1


class PlannerStatistics:
    """When the observations' planner statistics are stale, within the import's one transaction: changes committed
    since the last ANALYZE (pg_stat_user_tables) plus the rows this transaction wrote since (which pg_stat does not
    see until COMMIT, but ANALYZE inside the transaction does)."""

    def __init__(self, cursor):
        self.cursor = cursor
        cursor.execute(
            "SELECT c.reltuples, coalesce(s.n_mod_since_analyze, 0) FROM pg_class c "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = %s::regclass",
            [Observation._meta.db_table],
        )
        known, self.pending = cursor.fetchone()
        self.known = max(known, 0)  # -1: never analyzed

    def wrote(self, rows: int) -> None:
        self.pending += rows

    def refresh_if_stale(self) -> None:
        if self.pending > max(ANALYZE_AFTER, ANALYZE_SHARE * self.known):
            self.cursor.execute(f"ANALYZE {Observation._meta.db_table}")
            self.cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Observation._meta.db_table])
            self.known, self.pending = max(self.cursor.fetchone()[0], 0), 0


IMPORT_LOCK = 0x4A4D  # advisory-lock namespace of imports ("JM"); the second key is the indicator


def keep_demo_apart(indicator: Indicator, payload: Payload) -> None:
    """Demo and real figures never mix in one indicator: demo data is refused where real figures exist, and the
    first real import of an indicator removes its demo figures (not as revisions: they were never real)."""
    observations = Observation.objects.filter(indicator=indicator)
    if payload.is_demo:
        if observations.published().filter(is_demo=False).exists():
            raise SourceFormatError(
                Msg(
                    N_("%(name)s: %(indicator)s already holds real figures; demo data is never written over them"),
                    name=payload.name,
                    indicator=indicator.code,
                )
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
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    # Saved outside the import's transaction (fetch and checks run before it) so a page can follow along.
    run.save(update_fields=list(fields))


def _set_work_mem() -> None:
    """For the transaction: a hash aggregate over a million rows gets the memory to stay off disk."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")


def _drop(staged: list[Staged]) -> None:
    with connection.cursor() as cursor:
        for s in staged:
            if s.stage:
                cursor.execute(f"DROP TABLE IF EXISTS {s.stage}")


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
    # The parsed rows live until the import ends; the cycle collector rests until they are gone (formats).
    with formats.collector_paused():
        return _run(source, import_run=import_run, table=table, progress=progress, areas=areas)


def _run(
    source: Source,
    *,
    import_run: ImportRun | None,
    table: str | None,
    progress: Progress | None,
    areas: dict[str, int] | None,
) -> ImportRun:
    import_run = import_run or ImportRun.objects.create(source="?")
    report = progress or (lambda phase, fraction: None)

    def step(phase: str, fraction: float) -> None:
        _set(import_run, phase=phase, progress=int(fraction * 100))
        report(phase, fraction)

    _set(
        import_run,
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        error="",
        error_message=None,
        rejects=[],
        warnings=[],
    )
    work: list[Staged] = []
    try:
        step("fetching", 0.0)
        payloads = source.fetch()
        area_index = Area.objects.name_index() if areas is None else areas  # `areas`: only these may be named
        places = _places()
        all_rejects: list[Reject] = []
        warnings: list[Msg] = []
        total_rows = 0
        for i, payload in enumerate(payloads):
            step("validating", 0.1 + 0.4 * i / max(len(payloads), 1))
            parsed = formats.parse(payload.content, payload.name)
            indicator = identify(parsed, payload, table or getattr(source, "table_id", None))
            first = 2 if parsed.format.startswith("CSV") else 1
            staged = stage(parsed, indicator, payload, area_index=area_index, first_row=first)
            work.append(staged)
            del parsed  # the staged table keeps what reject messages need
            step("checking", 0.1 + 0.4 * (i + 0.5) / max(len(payloads), 1))
            # Staged and checked in its own short transaction: a temporary table outlives it, for the merge.
            with transaction.atomic():
                _set_work_mem()
                _load(staged, i)
                check(staged, places)
            warnings.extend(consistency_warnings(staged, places))
            total_rows += len(staged.table.rows)
            all_rejects.extend(staged.rejects)
        _set(
            import_run,
            source=payloads[0].source,
            table=",".join(sorted({s.indicator.code for s in work})),
            origin="\n".join(p.query or p.name for p in payloads)[:2000],
            is_demo=all(p.is_demo for p in payloads),
            periods=_period_span(work),
            rows_read=total_rows,
            warnings=[{"text": w.english(), "message_json": w.as_json()} for w in warnings[:MAX_REJECTS_KEPT]],
        )
        if all_rejects:
            # Every fault at once: the repeated rows too, which are otherwise left to the unique key (see merge).
            with transaction.atomic():
                _set_work_mem()
                for staged in work:
                    all_rejects.extend(duplicate_rows(staged))
            raise ImportRejected(all_rejects, total_rows)
        step("writing", 0.5)
        totals = Counts()
        with transaction.atomic(), connection.cursor() as cursor:
            # Imports of one indicator take turns.
            for indicator_id in sorted({s.indicator.pk for s in work}):
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, indicator_id])
            _set_work_mem()
            statistics = PlannerStatistics(cursor)
            for staged in work:
                keep_demo_apart(staged.indicator, staged.payload)
                counts = merge(staged, import_run)
                totals.created += counts.created
                totals.updated += counts.updated
                totals.unchanged += counts.unchanged
                statistics.wrote(counts.created + counts.updated)
                # The planner must know about the rows written before deriving from them.
                statistics.refresh_if_stale()
                step("deriving", 0.8)
                derived = aggregates.derive(
                    staged.indicator,
                    staged.period_codes,
                    run=import_run,
                    staged=staged.stage if counts.first else None,
                    demo=staged.payload.is_demo,
                )
                statistics.wrote(derived)
                totals.derived += derived
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
            indicator_ids = sorted({s.indicator.pk for s in work})
            transaction.on_commit(
                lambda: import_finished.send(sender=ImportRun, import_run=import_run, indicator_ids=indicator_ids)
            )
            # Only reported (the run already says done): COMMIT is where deferred foreign keys are checked.
            report("committing", 0.95)
        report("done", 1.0)
        return import_run
    except Exception as exc:
        rejects = getattr(exc, "rejects", [])
        message = exc.summary if isinstance(exc, ImportRejected) else getattr(exc, "message", None)
        text = message.english() if isinstance(message, Msg) else visible(str(exc))
        _set(
            import_run,
            status=ImportRun.Status.FAILED,
            finished_at=timezone.now(),
            phase="failed",
            error=text[:10000],
            error_message=message.as_json() if isinstance(message, Msg) else None,
            rows_rejected=len({(r.file, r.row) for r in rejects}),
            rejects=[r.as_json() for r in rejects[:MAX_REJECTS_KEPT]],
        )
        raise
    finally:
        _drop(work)


def _period_span(work: list[Staged]) -> str:
    spans = {code: periods.parse(code).start for s in work for code in s.period_codes}
    codes = sorted(spans, key=spans.get)
    if not codes:
        return ""
    return codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]} ({len(codes)})"
