"""Which source column is which: a table's header matched to an indicator's measures and dimensions.

Jobindsats names its columns by id where the format carries one (v2 JSON `Variables[].Name`, column objects in
v3) and always by a Danish label, which for measures is "<measure group>: <measure>" in v2 exports. Jobmål keeps
its own key per measure and dimension (`Indicator.source_spec`) and the source's labels and ids for each key:
the seeded ones in the spec, more in `SourceColumn` rows (from the table metadata by `sync_columns`, or added
in the admin). A column is matched by id first, else by label after normalising case, spacing and punctuation
(`pct. point` = `pct.-point`), with or without the measure-group prefix. A column that matches nothing, or two
things, is refused with what was expected: a wrong figure in the wrong place is worse than no import.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from indicators.formats import SourceFormatError, Table
from indicators.messages import N_, Msg, Number

AREA, PERIOD, DIMENSION, MEASURE, IGNORE = "area", "period", "dimension", "measure", "ignore"

# The area and period columns are the same in every table.
AREA_LABELS = ["Område", "Area", "Kommune", "Områdenavn", "Areaname"]
AREA_IDS = ["area", "_omrade", "omrade"]
PERIOD_LABELS = ["Periode", "Period", "Perioder", "Tid", "Time"]
PERIOD_IDS = ["period", "_tid", "tid"]
MAX_PROBLEMS = 10  # header problems named in a message; the rest are counted


def normalise(text: str) -> str:
    """Case, accents' composition, spacing and punctuation do not tell two labels apart."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", str(text)).casefold()))


def split_label(label: str) -> tuple[str | None, str]:
    """('group', 'measure') for "<measure group>: <measure>", (None, 'label') otherwise; both normalised."""
    group, colon, name = str(label).rpartition(":")
    if colon and normalise(group) and normalise(name):
        return normalise(group), normalise(name)
    return None, normalise(label)


@dataclass
class Mapping:
    """Everything known about one indicator's source columns: (role, key) → labels and ids."""

    code: str
    labels: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    required: list[tuple[str, str]] = field(default_factory=list)

    def add(self, role: str, key: str, label: str = "", source_id: str = "") -> None:
        if label and label not in self.labels[(role, key)]:
            self.labels[(role, key)].append(label)
        elif not label:
            self.labels.setdefault((role, key), [])
        if source_id:
            self.ids[normalise(source_id)].add((role, key))

    def by_label(self, label: str) -> set[tuple[str, str]]:
        group, name = split_label(label)
        exact, loose = set(), set()
        for target, labels in self.labels.items():
            for known in labels:
                known_group, known_name = split_label(known)
                if known_name != name:
                    continue
                if known_group == group:
                    exact.add(target)
                elif known_group is None or group is None:
                    loose.add(target)
        return exact or loose

    def expected(self) -> list[str]:
        return [labels[0] if labels else key for (role, key), labels in self.labels.items() if role != IGNORE]


def mapping(indicator) -> Mapping:
    """The indicator's columns: area and period, the spec's labels and ids, then its SourceColumn rows."""
    spec = indicator.source_spec or {}
    found = Mapping(indicator.code)
    for label in AREA_LABELS:
        found.add(AREA, AREA, label)
    for source_id in AREA_IDS:
        found.add(AREA, AREA, source_id=source_id)
    for label in PERIOD_LABELS:
        found.add(PERIOD, PERIOD, label)
    for source_id in PERIOD_IDS:
        found.add(PERIOD, PERIOD, source_id=source_id)
    dimensions = spec.get("dimensions", {})
    measures = spec.get("measures", {})
    for label, key in dimensions.items():
        found.add(DIMENSION, key, label)
    for label, key in measures.items():
        found.add(MEASURE, key, label)
    measure_keys = set(measures.values())
    for source_id, key in spec.get("ids", {}).items():
        found.add(MEASURE if key in measure_keys else DIMENSION, key, source_id=source_id)
    for label in spec.get("ignore", []):
        found.add(IGNORE, label, label)
    if indicator.pk:
        for column in indicator.source_columns.all():
            role = column.role
            found.add(
                role, column.key if role != IGNORE else column.label or column.source_id, column.label, column.source_id
            )
    found.required = [(AREA, AREA), (PERIOD, PERIOD), *((MEASURE, key) for key in dict.fromkeys(measures.values()))]
    return found


@dataclass
class Layout:
    area: int
    period: int
    dimensions: list[tuple[int, str]]
    measures: list[tuple[int, str]]


def match(table: Table, found: Mapping) -> tuple[dict[tuple[str, str], int], list[Msg]]:
    """Column index per (role, key), and every problem with the header."""
    problems: list[Msg] = []
    placed: dict[tuple[str, str], int] = {}
    ids = table.ids or [None] * len(table.columns)
    for i, (label, source_id) in enumerate(zip(table.columns, ids, strict=False)):
        targets = found.ids.get(normalise(source_id), set()) if source_id else set()
        if not targets:
            targets = found.by_label(label)
        if not targets:
            problems.append(Msg(N_("column '%(column)s' matches nothing in %(table)s"), column=label, table=found.code))
            continue
        if len(targets) > 1:
            names = ", ".join(sorted(key for _, key in targets))
            problems.append(Msg(N_("column '%(column)s' matches more than one of %(keys)s"), column=label, keys=names))
            continue
        target = targets.pop()
        if target[0] == IGNORE:
            continue
        if target in placed:
            problems.append(
                Msg(
                    N_("columns '%(first)s' and '%(second)s' are both %(key)s"),
                    first=table.columns[placed[target]],
                    second=label,
                    key=target[1],
                )
            )
            continue
        placed[target] = i
    for target in found.required:
        if target not in placed:
            labels = found.labels.get(target) or [target[1]]
            problems.append(Msg(N_("missing the column '%(label)s'"), label=labels[0]))
    return placed, problems


def layout(table: Table, indicator, name: str, found: Mapping | None = None) -> Layout:
    """Where area, period, each dimension and each measure are; SourceFormatError naming every problem."""
    found = found or mapping(indicator)
    placed, problems = match(table, found)
    if len(problems) > MAX_PROBLEMS:  # named up to a point, then counted: the message is read, and stored
        rest = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], Msg(N_("%(count)s more problems like these"), count=Number(rest))]
    if problems:
        raise SourceFormatError(
            Msg(
                N_("%(name)s: the header does not match table %(table)s: %(problems)s. Expected columns: %(expected)s"),
                name=name,
                table=indicator.code,
                problems=problems,
                expected=", ".join(found.expected()),
            )
        )
    return Layout(
        area=placed[(AREA, AREA)],
        period=placed[(PERIOD, PERIOD)],
        dimensions=sorted((i, key) for (role, key), i in placed.items() if role == DIMENSION),
        measures=sorted((i, key) for (role, key), i in placed.items() if role == MEASURE),
    )


def fits(table: Table, indicator) -> bool:
    """True when the header is exactly this indicator's (used to tell which table an unnamed file holds)."""
    return not match(table, mapping(indicator))[1]
