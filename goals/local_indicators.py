"""A municipality's own indicators, for goals without a national one (STAR asked municipalities to choose
their own): defined by the jobcentre chief, filled in a form or from an uploaded CSV or XLSX file.

Values go through the same pipeline as Jobindsats figures, so the same validation, the same error messages
(file, row, field, reason), the same all-or-nothing writing and the same revision history apply; on top, every
change is written to the change log with who made it.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Change, Goal, GoalIndicator, QueuedUpload
from indicators import periods, pipeline
from indicators.formats import SourceError, SourceFormatError, check_width
from indicators.messages import N_, Msg, Number
from indicators.models import ImportRun, Indicator, Observation
from indicators.sources import Payload
from municipalities.models import Area, Municipality, normalise_name

VALUE_COLUMN = "Værdi"
SPEC = {"dimensions": {}, "measures": {VALUE_COLUMN: "value"}, "headline": "value"}
MAX_UPLOAD = 2 * 1024 * 1024
MAX_UNPACKED = 20 * 1024 * 1024
MAX_ROWS = 20_000  # a jobcentre's municipalities × decades of months, many times over
MAX_CELLS = 200_000  # cells read from a workbook, empty ones within a row included
MAX_SECONDS = 20  # of a worker's time reading one workbook


def spec_for(unit: str) -> dict:
    """A share is checked to lie within 0–100, like any other share; counts must not be negative, and persons
    must be whole (a municipality's own count may be an average, say, so it need not be)."""
    if unit == Indicator.Unit.PERCENT:
        return {**SPEC, "percents": ["value"]}
    return {**SPEC, "counts": ["value"], **({"fractional": ["value"]} if unit != Indicator.Unit.PERSONS else {})}


def municipalities_of(jobcentre: Area) -> list[Municipality]:
    codes = jobcentre.memberships.values_list("municipality_id", flat=True)
    return list(Municipality.objects.filter(code__in=codes).order_by("name"))


def of_jobcentre(jobcentre: Area):
    return Indicator.objects.filter(
        scope=Indicator.Scope.LOCAL, municipality__in=municipalities_of(jobcentre)
    ).prefetch_related("goal_links__goal")


def latest(members: list[Area], goal_number: int | None = None) -> list[tuple[Indicator, Observation | None]]:
    """The own indicators of these municipalities (of one goal, or all), each with its newest published figure.

    An own indicator belongs to one municipality: its figure is that municipality's, even when an upload also gave
    it figures for the jobcentre's other municipality."""
    codes = [m.municipality_id for m in members if m.municipality_id]
    indicators = Indicator.objects.filter(scope=Indicator.Scope.LOCAL, municipality_id__in=codes)
    if goal_number is not None:
        indicators = indicators.filter(goal_links__goal__number=goal_number)
    indicators = list(indicators.select_related("municipality").order_by("code").distinct())
    own_area = {m.municipality_id: m.pk for m in members if m.municipality_id}
    series = Observation.objects.none()
    for i in indicators:
        series |= Observation.objects.filter(indicator=i, area_id=own_area[i.municipality_id])
    newest = {obs.indicator_id: obs for obs in series.published().newest_per_series()}
    return [(i, newest.get(i.pk)) for i in indicators]


def create(jobcentre: Area, goal: Goal, municipality: Municipality, user, **fields) -> Indicator:
    """Define an own indicator for a goal; its code is LOK-<kommunekode>-<n>."""
    with transaction.atomic():
        n = Indicator.objects.filter(code__startswith=f"LOK-{municipality.code}-").count() + 1
        while Indicator.objects.filter(code=f"LOK-{municipality.code}-{n}").exists():
            n += 1
        indicator = Indicator.objects.create(
            code=f"LOK-{municipality.code}-{n}",
            name_da=fields["name"],
            name_en=fields["name"],
            unit=fields["unit"],
            polarity=fields["polarity"],
            frequency=fields.get("frequency", Indicator.Frequency.MONTHLY),
            definition_da=fields.get("definition", ""),
            definition_en=fields.get("definition", ""),
            scope=Indicator.Scope.LOCAL,
            municipality=municipality,
            source_spec=spec_for(fields["unit"]),
        )
        GoalIndicator.objects.create(goal=goal, indicator=indicator, role=GoalIndicator.Role.LOCAL, order=100 + n)
        Change.objects.create(
            user=user,
            jobcentre=jobcentre,
            goal=goal,
            what=_("New own indicator: %(name)s") % {"name": indicator.name_da},
            new_value=f"{indicator.name_da} ({indicator.get_unit_display()})",
        )
    return indicator


class _Upload:
    table_id = None

    def __init__(self, payload: Payload):
        self.payload = payload

    def fetch(self) -> list[Payload]:
        return [self.payload]


def xlsx_to_csv(content: bytes, name: str, clock=time.monotonic) -> bytes:
    """The first sheet of a workbook as CSV text (';' and the numbers as Excel holds them).

    A workbook is a zip and its sheet an XML file: what it unpacks to is limited before it is parsed; the sheet's
    stored size (<dimension ref>) is not trusted, as a stale one hides rows and an inflated one (A1:XFD1048576)
    makes the reader pad a million empty rows; rows are read as the sheet holds them, within a budget of columns,
    rows, cells and seconds, so a small file can neither hide figures nor hold the worker."""
    from openpyxl import load_workbook

    started = clock()
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
        if unpacked > MAX_UNPACKED:
            raise SourceFormatError(
                Msg(
                    N_("%(name)s unpacks to %(size)s MB; an upload may unpack to %(limit)s MB at most"),
                    name=name,
                    size=unpacked // 2**20,
                    limit=MAX_UNPACKED // 2**20,
                )
            )
        # Values as Excel last saved them, and the formulas, to tell an empty cell from one never calculated.
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False).worksheets[0]
        values.reset_dimensions()
        formulas.reset_dimensions()
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        rows = zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False)
        cells = 0
        for n, (row, written) in enumerate(rows, start=1):
            if n > MAX_ROWS:
                raise SourceFormatError(
                    Msg(N_("%(name)s has more than %(limit)s rows"), name=name, limit=Number(MAX_ROWS))
                )
            # Cells after the row's last value or formula are no columns (a formatted but empty column).
            width = max(_width(row), _width(written))
            row, written = row[:width], written[:width]
            check_width(width, name, row=n)
            cells += len(row)
            if cells > MAX_CELLS or clock() - started > MAX_SECONDS:
                raise SourceFormatError(
                    Msg(
                        N_(
                            "%(name)s is too large to read (stopped at row %(row)s); save the three columns Område, "
                            "Periode and Værdi in a workbook of their own, or as CSV"
                        ),
                        name=name,
                        row=Number(n),
                    )
                )
            for cell, formula in zip(row, written, strict=False):
                if cell is None and isinstance(formula, str) and formula.startswith("="):
                    raise SourceFormatError(
                        Msg(
                            N_(
                                "%(name)s, row %(row)s: the formula %(formula)s has no saved result; open the file "
                                "in Excel and save it again, or paste the values"
                            ),
                            name=name,
                            row=n,
                            formula=formula[:60],
                        )
                    )
            if all(cell is None for cell in row):
                continue
            writer.writerow(["" if cell is None else _cell(cell) for cell in row])
    except SourceFormatError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a damaged or foreign file
        raise SourceFormatError(
            Msg(N_("%(name)s: not a readable XLSX workbook (%(error)s)"), name=name, error=exc.__class__.__name__)
        ) from None
    return out.getvalue().encode()


def _width(row: tuple) -> int:
    """How many cells the row has up to its last one that is not empty."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return end


def _cell(value) -> str:
    if isinstance(value, float | int | Decimal):
        return str(value).replace(".", ",")  # the CSV is read with decimal comma, as Jobindsats writes it
    return str(value)


# Small text files are read in the request, so a chief sees the outcome at once; a workbook, or any file larger than
# this, is parsed by the worker (queue_upload) so that no web worker is held by it.
IN_REQUEST_LIMIT = 256 * 1024


def handled_in_request(content: bytes) -> bool:
    return len(content) <= IN_REQUEST_LIMIT and content[:2] != b"PK"


def import_values(
    indicator: Indicator, jobcentre: Area, content: bytes, name: str, user, run: ImportRun | None = None
) -> ImportRun:
    """Import a CSV or XLSX file with the columns Område, Periode, Værdi. Areas may only be the jobcentre's own
    municipalities. Raises SourceError (rejects named by file, row and field); nothing is written then, and the
    run says why."""
    if len(content) > MAX_UPLOAD:
        raise SourceFormatError(Msg(N_("%(name)s: the file is larger than 2 MB"), name=name))
    run = run or ImportRun.objects.create(source=Observation.Source.MANUAL, created_by=user)
    if content[:2] == b"PK":  # a zip container: XLSX
        try:
            content = xlsx_to_csv(content, name)
        except SourceError as exc:
            _failed(run, exc.message)
            raise
    payload = Payload(content=content, name=name, source=Observation.Source.MANUAL, query=name)
    before = _values(indicator)
    pipeline.run(_Upload(payload), import_run=run, table=indicator.code, areas=_allowed(jobcentre))
    _log(indicator, jobcentre, user, before, name)
    return run


def queue_upload(indicator: Indicator, jobcentre: Area, content: bytes, name: str, user) -> ImportRun:
    """Store the file and have the worker import it; the run (source "manual", table = the indicator's code) shows
    how it went on the indicator's page. With the queue unreachable the upload is refused, and nothing is kept."""
    from goals.tasks import import_upload

    if len(content) > MAX_UPLOAD:
        raise SourceFormatError(Msg(N_("%(name)s: the file is larger than 2 MB"), name=name))
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=Observation.Source.MANUAL, table=indicator.code, origin=name, created_by=user
        )
        QueuedUpload.objects.create(
            run=run, indicator=indicator, jobcentre=jobcentre, user=user, name=name, content=content
        )
    try:
        import_upload.apply_async((run.pk,), retry=False)
    except Exception as exc:  # the broker is down: say so now rather than leave the file waiting
        QueuedUpload.objects.filter(run=run).delete()
        message = Msg(
            N_(
                "%(name)s could not be queued for import (the job queue is not answering); please try again in a moment"
            ),
            name=name,
        )
        _failed(run, message)
        raise SourceFormatError(message) from exc
    return run


def process_upload(run_id: int) -> int | None:
    """The worker's part of queue_upload. Bad files are the run's outcome, not the task's failure."""
    upload = QueuedUpload.objects.select_related("run", "indicator", "jobcentre", "user").filter(run_id=run_id).first()
    if upload is None:
        return None  # done already (a task delivered twice)
    try:
        import_values(
            upload.indicator, upload.jobcentre, bytes(upload.content), upload.name, upload.user, run=upload.run
        )
    except SourceError:
        pass  # recorded on the run, with its rejects
    finally:
        QueuedUpload.objects.filter(run_id=run_id).delete()
    return run_id


def _failed(run: ImportRun, message: Msg) -> None:
    run.status, run.phase, run.finished_at = ImportRun.Status.FAILED, "failed", timezone.now()
    run.error, run.error_message = message.english(), message.as_json()
    run.save(update_fields=["status", "phase", "finished_at", "error", "error_message"])


def recent_runs(indicator: Indicator):
    return ImportRun.objects.filter(source=Observation.Source.MANUAL, table=indicator.code).order_by("-pk")


def set_value(indicator: Indicator, jobcentre: Area, municipality: Municipality, period: str, value: Decimal, user):
    """One value from the form: the same pipeline, as a one-row CSV, in one transaction with its import run, so a
    value the pipeline refuses leaves nothing behind, not even a failed run on the ministry's import list."""
    text = f"Område;Periode;{VALUE_COLUMN}\n{municipality.code};{period};{str(value).replace('.', ',')}\n"
    before = _values(indicator)
    with transaction.atomic():
        run = ImportRun.objects.create(source=Observation.Source.MANUAL, created_by=user)
        payload = Payload(content=text.encode(), name=_("form"), source=Observation.Source.MANUAL, query="form")
        pipeline.run(_Upload(payload), import_run=run, table=indicator.code, areas=_allowed(jobcentre))
        _log(indicator, jobcentre, user, before, _("form"))
    return run


def _allowed(jobcentre: Area) -> dict[str, int]:
    areas = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__in=municipalities_of(jobcentre))
    index = {}
    for area in areas.select_related("municipality").prefetch_related("municipality__aliases"):
        index[normalise_name(area.name)] = area.pk
        index[area.municipality_id] = area.pk
        for alias in area.municipality.aliases.all():
            index[normalise_name(alias.name)] = area.pk
    return index


def _values(indicator: Indicator) -> dict[tuple[str, str], Decimal | None]:
    return {
        (name, period): value
        for name, period, value in Observation.objects.filter(indicator=indicator)
        .published()
        .values_list("area__name", "period", "value")
    }


def _log(indicator: Indicator, jobcentre: Area, user, before: dict, origin: str) -> None:
    after = _values(indicator)
    goal_id = GoalIndicator.objects.filter(indicator=indicator).order_by("pk").values_list("goal_id", flat=True).first()
    changes = [
        Change(
            user=user,
            jobcentre=jobcentre,
            goal_id=goal_id,
            indicator=indicator,
            what=_("%(name)s, %(area)s, %(period)s (%(origin)s)")
            % {"name": indicator.name_da, "area": key[0], "period": periods.in_words(key[1]), "origin": origin},
            old_value=Change.text(before.get(key)),
            new_value=Change.text(value),
        )
        for key, value in sorted(after.items())
        if key not in before or before[key] != value
    ]
    Change.objects.bulk_create(changes)
