"""A municipality's own indicators, for goals without a national one (STAR asked municipalities to choose
their own): defined by the jobcentre chief, filled in a form or from an uploaded CSV or XLSX file.

Values go through the same pipeline as Jobindsats figures, so the same validation, the same error messages
(file, row, field, reason), the same all-or-nothing writing and the same revision history apply; on top, every
change is written to the change log with who made it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import Change, Goal, GoalIndicator
from indicators import pipeline
from indicators.formats import SourceFormatError
from indicators.messages import N_, Msg, Number
from indicators.models import ImportRun, Indicator, Observation
from indicators.sources import Payload
from municipalities.models import Area, Municipality, normalise_name

VALUE_COLUMN = "Værdi"
SPEC = {"dimensions": {}, "measures": {VALUE_COLUMN: "value"}, "headline": "value"}
MAX_UPLOAD = 2 * 1024 * 1024
MAX_UNPACKED = 20 * 1024 * 1024
MAX_ROWS = 20_000  # a jobcentre's municipalities × decades of months, many times over


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
            user=user, jobcentre=jobcentre, what=_("New local indicator %(code)s") % {"code": indicator.code},
            new_value=f"{indicator.name_da} ({indicator.get_unit_display()})",
        )  # fmt: skip
    return indicator


class _Upload:
    table_id = None

    def __init__(self, payload: Payload):
        self.payload = payload

    def fetch(self) -> list[Payload]:
        return [self.payload]


def xlsx_to_csv(content: bytes, name: str) -> bytes:
    """The first sheet of a workbook as CSV text (';' and the numbers as Excel holds them). A workbook is a zip:
    what it unpacks to is limited before it is parsed, and rows are read one at a time up to a limit, so a small
    file that unpacks to a huge sheet is refused instead of holding a web worker."""
    from openpyxl import load_workbook

    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
        if unpacked > MAX_UNPACKED:
            raise SourceFormatError(
                Msg(N_("%(name)s unpacks to %(size)s MB; an upload may unpack to %(limit)s MB at most"),
                    name=name, size=unpacked // 2**20, limit=MAX_UNPACKED // 2**20)
            )  # fmt: skip
        # Values as Excel last saved them, and the formulas, to tell an empty cell from one never calculated.
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False).worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        rows = zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False)
        for n, (row, written) in enumerate(rows, start=1):
            if n > MAX_ROWS:
                raise SourceFormatError(
                    Msg(N_("%(name)s has more than %(limit)s rows"), name=name, limit=Number(MAX_ROWS))
                )
            for cell, formula in zip(row, written, strict=False):
                if cell is None and isinstance(formula, str) and formula.startswith("="):
                    raise SourceFormatError(
                        Msg(N_("%(name)s, row %(row)s: the formula %(formula)s has no saved result; open the file "
                               "in Excel and save it again, or paste the values"), name=name, row=n,
                            formula=formula[:60])
                    )  # fmt: skip
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


def _cell(value) -> str:
    if isinstance(value, float | int | Decimal):
        return str(value).replace(".", ",")  # the CSV is read with decimal comma, as Jobindsats writes it
    return str(value)


def import_values(indicator: Indicator, jobcentre: Area, content: bytes, name: str, user) -> ImportRun:
    """Import a CSV or XLSX file with the columns Område, Periode, Værdi. Areas may only be the jobcentre's own
    municipalities. Raises SourceError (rejects named by file, row and field); nothing is written then."""
    if len(content) > MAX_UPLOAD:
        raise SourceFormatError(Msg(N_("%(name)s: the file is larger than 2 MB"), name=name))
    if content[:2] == b"PK":  # a zip container: XLSX
        content = xlsx_to_csv(content, name)
    run = ImportRun.objects.create(source=Observation.Source.MANUAL, created_by=user)
    payload = Payload(content=content, name=name, source=Observation.Source.MANUAL, query=name)
    before = _values(indicator)
    pipeline.run(_Upload(payload), import_run=run, table=indicator.code, areas=_allowed(jobcentre))
    _log(indicator, jobcentre, user, before, name)
    return run


def set_value(indicator: Indicator, jobcentre: Area, municipality: Municipality, period: str, value: Decimal, user):
    """One value from the form: the same pipeline, as a one-row CSV."""
    text = f"Område;Periode;{VALUE_COLUMN}\n{municipality.code};{period};{str(value).replace('.', ',')}\n"
    run = ImportRun.objects.create(source=Observation.Source.MANUAL, created_by=user)
    payload = Payload(content=text.encode(), name=_("form"), source=Observation.Source.MANUAL, query="form")
    before = _values(indicator)
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
        for name, period, value in Observation.objects.filter(indicator=indicator, is_derived=False).values_list(
            "area__name", "period", "value"
        )
    }


def _log(indicator: Indicator, jobcentre: Area, user, before: dict, origin: str) -> None:
    after = _values(indicator)
    changes = [
        Change(user=user, jobcentre=jobcentre,
               what=_("%(code)s, %(area)s, %(period)s (%(origin)s)") % {"code": indicator.code, "area": key[0],
                                                                          "period": key[1], "origin": origin},
               old_value=Change.text(before.get(key)), new_value=Change.text(value))
        for key, value in sorted(after.items())
        if key not in before or before[key] != value
    ]  # fmt: skip
    Change.objects.bulk_create(changes)
