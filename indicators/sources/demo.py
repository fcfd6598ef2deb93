"""Generated demo figures for every seeded indicator, so Jobmål can be tried without an API key.

The figures are invented: deterministic for a seed, plausible in size (they follow each municipality's size),
with seasonality, a dip in 2020 and a few suppressed cells. They are emitted in the Jobindsats v3 response shape
({"columns", "rows"}) and go through the same parser and validation as real answers; every observation they
produce is marked as demo, and pages, API answers and exports say so.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable

from indicators.catalogue import Y30R21_SPEC
from indicators.formats import SourceFormatError
from indicators.periods import months
from indicators.sources import Payload
from municipalities import reference

MONTHS = months("2016M01", "2021M12")
HALF_YEARS = [f"{year}H{half}" for year in range(2016, 2022) for half in (1, 2)]
ROLLING_YEARS = [f"{year}QMAT0{q}" for year in range(2016, 2022) for q in (2, 4)]
COUNTRY = reference.COUNTRY_NAME
SUPPRESSED = ".."

# Rough residents per DST municipality group, and known outliers, so a capital and an island differ as they
# should. Only the order of magnitude matters: these figures are never shown as facts.
GROUP_SIZE = {1: 55_000, 2: 220_000, 3: 55_000, 4: 45_000, 5: 32_000}
KNOWN_SIZE = {
    "101": 630_000,
    "751": 350_000,
    "851": 215_000,
    "461": 205_000,
    "825": 1_800,
    "563": 3_400,
    "741": 3_700,
    "492": 6_000,
    "411": 2_500,
    "400": 39_000,
}


def _municipalities(seed: int) -> list[tuple[str, str, float]]:
    """(kommunekode, name, residents) for the 98 municipalities."""
    out = []
    for code, name, _region, _rar, group, *_ in reference.MUNICIPALITIES:
        code = f"{code:03d}"
        rng = random.Random(f"{seed}:size:{code}")
        size = KNOWN_SIZE.get(code) or GROUP_SIZE[group] * math.exp(rng.gauss(0, 0.35))
        out.append((code, name, size))
    return out


def _month_index(period: str) -> int:
    return (int(period[:4]) - 2016) * 12 + int(period[5:]) - 1


def _dip(period: str) -> float:
    """0 outside the 2020 crisis, up to 1 in spring 2020, fading out over the rest of the year."""
    i = _month_index(period) - _month_index("2020M03")
    if i < 0 or i > 11:
        return 0.0
    return 1.0 if i < 3 else max(0.0, 1 - (i - 2) / 9)


def _season(period: str) -> float:
    """+1 in high summer, -1 in midwinter."""
    return math.sin((int(period[5:]) - 4) / 12 * 2 * math.pi)


def _share(numerator: float, denominator: float) -> float:
    return round(numerator / denominator * 100, 2) if denominator else 0.0


class _Table:
    """Rows of one table, with a whole-country row summed from the municipalities' counts."""

    def __init__(self, columns: list[str]):
        self.columns = columns
        self.rows: list[list] = []

    def add(self, *row) -> None:
        self.rows.append(list(row))


def _mm10(seed: int) -> _Table:
    table = _Table(
        [
            "Område",
            "Periode",
            "Samarbejde",
            "Samarbejdsgrad (pct.)",
            "Virksomheder med samarbejde",
            "Virksomheder i alt",
        ]
    )
    variants = [("Eget jobcenter", 0.19), ("Andre jobcentre", 0.07), ("Alle jobcentre", 0.23)]
    totals: dict[tuple[str, str], list[int]] = {}
    for code, name, size in _municipalities(seed):
        rng = random.Random(f"{seed}:MM10:{code}")
        companies0 = size * 0.03
        level = rng.gauss(1.0, 0.15)
        for period in MONTHS:
            t = _month_index(period)
            companies = round(companies0 * (1 + 0.004 * t / 12) * (1 - 0.02 * _dip(period)))
            for variant, base in variants:
                share = base * level * (1 + 0.02 * t / 12) * (1 - 0.15 * _dip(period)) + rng.gauss(0, 0.003)
                cooperating = min(companies, max(0, round(companies * share)))
                table.add(name, period, variant, _share(cooperating, companies), cooperating, companies)
                total = totals.setdefault((period, variant), [0, 0])
                total[0] += cooperating
                total[1] += companies
    for (period, variant), (cooperating, companies) in totals.items():
        table.add(COUNTRY, period, variant, _share(cooperating, companies), cooperating, companies)
    return table


RESIDENCE = [("Under 3 år", 0.25, 0.55), ("3-5 år", 0.30, 1.0), ("Over 5 år", 0.45, 1.25)]


def _mm13(seed: int) -> _Table:
    table = _Table(
        ["Område", "Periode", "Køn", "Opholdstid", "Andel i beskæftigelse (pct.)", "Beskæftigede", "Personer i alt"]
    )
    totals: dict[tuple[str, str, str], list[int]] = {}

    def emit(area: str, period: str, gender: str, residence: str, employed: int, persons: int, small: bool):
        if small and persons < 5:
            # Jobindsats hides small cells; the row stays, its figures are suppressed.
            table.add(area, period, gender, residence, SUPPRESSED, SUPPRESSED, SUPPRESSED)
        else:
            table.add(area, period, gender, residence, _share(employed, persons), employed, persons)

    for code, name, size in _municipalities(seed):
        rng = random.Random(f"{seed}:MM13:{code}")
        refugees0 = size * 0.011 * math.exp(rng.gauss(0, 0.3))
        level = rng.gauss(0, 0.04)
        for period in MONTHS:
            t = _month_index(period)
            rate = 0.27 + 0.035 * t / 12 + level + 0.012 * _season(period) - 0.05 * _dip(period)
            cells = {}
            for residence, weight, factor in RESIDENCE:
                persons = round(refugees0 * (1 + 0.02 * t / 12) * weight)
                women = round(persons * 0.45)
                men = persons - women
                women_employed = round(women * min(0.95, max(0.0, rate * factor * 0.65 + rng.gauss(0, 0.01))))
                men_employed = round(men * min(0.95, max(0.0, rate * factor * 1.3 + rng.gauss(0, 0.01))))
                cells[residence] = (women_employed, women, men_employed, men)
            we, w, me, m = (sum(c[i] for c in cells.values()) for i in range(4))
            rows = [("I alt", "I alt", we + me, w + m), ("Kvinder", "I alt", we, w), ("Mænd", "I alt", me, m)]
            rows += [("I alt", residence, c[0] + c[2], c[1] + c[3]) for residence, c in cells.items()]
            for gender, residence, employed, persons in rows:
                emit(
                    name, period, gender, residence, employed, persons, small=(gender, residence) != ("I alt", "I alt")
                )
                total = totals.setdefault((period, gender, residence), [0, 0])
                total[0] += employed
                total[1] += persons
    for (period, gender, residence), (employed, persons) in totals.items():
        emit(COUNTRY, period, gender, residence, employed, persons, small=False)
    return table


# Persons per resident, yearly growth and how the 2020 crisis moved the count (goal-3 proxies).
PROXIES = {
    "Y08A02": (0.0130, 0.025, -0.02),
    "Y09A02": (0.0026, -0.01, 0.18),
    "Y11A02": (0.0042, 0.06, -0.04),
    "Y12A02": (0.0021, -0.03, 0.05),
}


def _proxy(table_id: str) -> Callable[[int], _Table]:
    per_resident, growth, crisis = PROXIES[table_id]

    def generate(seed: int) -> _Table:
        table = _Table(["Område", "Periode", "Antal personer", "Antal fuldtidspersoner"])
        totals: dict[str, list[float]] = {}
        for code, name, size in _municipalities(seed):
            rng = random.Random(f"{seed}:{table_id}:{code}")
            persons0 = size * per_resident * math.exp(rng.gauss(0, 0.25))
            for period in MONTHS:
                t = _month_index(period)
                persons = round(
                    persons0 * (1 + growth) ** (t / 12) * (1 + crisis * _dip(period)) * (1 + 0.01 * _season(period))
                    + rng.gauss(0, persons0 * 0.01)
                )
                persons = max(persons, 0)
                fulltime = round(persons * rng.uniform(0.88, 0.96), 1)
                total = totals.setdefault(period, [0, 0.0])
                total[0] += persons
                total[1] += fulltime
                # A few cells are suppressed, as Jobindsats does for small counts.
                if persons < 1 or rng.random() < 0.001:
                    table.add(name, period, SUPPRESSED, SUPPRESSED)
                else:
                    table.add(name, period, persons, fulltime)
        for period, (persons, fulltime) in totals.items():
            table.add(COUNTRY, period, persons, round(fulltime, 1))
        return table

    return generate


def _forgaeves(seed: int) -> _Table:
    """Recruitment survey: per RAR area, half-yearly; shortages grew to 2019, fell in 2020, rose in 2021."""
    table = _Table(["Område", "Periode", "Forgæves rekrutteringer", "Rekrutteringsforsøg"])
    sizes: dict[str, float] = {}
    for (_code, _name, size), row in zip(_municipalities(seed), reference.MUNICIPALITIES, strict=True):
        sizes[row[3]] = sizes.get(row[3], 0) + size
    cycle = {2016: 0.17, 2017: 0.20, 2018: 0.23, 2019: 0.22, 2020: 0.15, 2021: 0.24}
    totals: dict[str, list[int]] = {}
    for rar, name in reference.RAR_AREAS.items():
        rng = random.Random(f"{seed}:FORGREKR:{rar}")
        for period in HALF_YEARS:
            attempts = round(sizes[rar] * 0.045 * rng.uniform(0.95, 1.05) * (0.85 if period == "2020H1" else 1))
            failed = round(attempts * cycle[int(period[:4])] * rng.uniform(0.85, 1.15))
            table.add(name, period, failed, attempts)
            total = totals.setdefault(period, [0, 0])
            total[0] += failed
            total[1] += attempts
    for period, (failed, attempts) in totals.items():
        table.add(COUNTRY, period, failed, attempts)
    return table


BENEFITS = [("A-dagpenge mv.", 0.030, 0.6), ("Sygedagpenge mv.", 0.024, 0.0), ("Kontanthjælp mv.", 0.040, -0.1)]


def _y30r21(seed: int) -> _Table:
    """The benchmark: expected and actual full-time persons on public support, rank 1–98 by actual minus
    expected share (1 = furthest below expectation), counts rounded to tens."""
    # The source's own header (shared/jobindsats.md §3), as a real v2 export of Y30R21 has it.
    table = _Table(["Area", "Periode", *Y30R21_SPEC["dimensions"], *Y30R21_SPEC["measures"]])
    for period in ROLLING_YEARS:
        crisis = 1.0 if period in ("2020QMAT04", "2021QMAT02") else 0.0
        groups: dict[str, list[tuple]] = {name: [] for name, *_ in BENEFITS}
        groups["Ydelsesgrupper i alt"] = []
        for code, name, size in _municipalities(seed):
            rng = random.Random(f"{seed}:Y30R21:{code}:{period}")
            effect = random.Random(f"{seed}:Y30R21:{code}").gauss(0, 0.08)  # lasting local performance
            population = size * 0.64
            expected_sum = actual_sum = 0.0
            for benefit, base, lift in BENEFITS:
                expected = population * base * (1 + lift * crisis) * math.exp(rng.gauss(0, 0.15))
                actual = expected * (1 + effect + rng.gauss(0, 0.03))
                groups[benefit].append((name, expected, actual, population))
                expected_sum += expected
                actual_sum += actual
            groups["Ydelsesgrupper i alt"].append((name, expected_sum, actual_sum, population))
        for benefit, rows in groups.items():
            figures = []
            for name, expected, actual, population in rows:
                expected_share, actual_share = (
                    round(expected / population * 100, 1),
                    round(actual / population * 100, 1),
                )
                figures.append((name, round(expected, -1), round(actual, -1), expected_share, actual_share))
            ranked = sorted(figures, key=lambda f: (f[4] - f[3], f[0]))
            for rank, (name, expected, actual, expected_share, actual_share) in enumerate(ranked, start=1):
                table.add(
                    name,
                    period,
                    benefit,
                    int(expected),
                    int(actual),
                    int(actual - expected),
                    expected_share,
                    actual_share,
                    round(actual_share - expected_share, 1),
                    rank,
                )
    return table


GENERATORS: dict[str, Callable[[int], _Table]] = {
    "MM10": _mm10,
    "FORGREKR": _forgaeves,
    "MM13": _mm13,
    **{table_id: _proxy(table_id) for table_id in PROXIES},
    "Y30R21": _y30r21,
}


class DemoSource:
    """Yields one v3-shaped payload per demo table (all of them unless `tables` names some)."""

    table_id = None

    def __init__(self, tables: list[str] | None = None, seed: int = 2019):
        wanted = [t.upper() for t in tables] if tables else list(GENERATORS)
        unknown = [t for t in wanted if t not in GENERATORS]
        if unknown:
            raise SourceFormatError(f"no demo data for {', '.join(unknown)}; demo tables: {', '.join(GENERATORS)}")
        self.tables, self.seed = wanted, seed

    def fetch(self) -> list[Payload]:
        payloads = []
        for table_id in self.tables:
            table = GENERATORS[table_id](self.seed)
            body = {"table_id": table_id, "columns": table.columns, "rows": table.rows}
            payloads.append(
                Payload(
                    content=json.dumps(body, ensure_ascii=False).encode(),
                    name=f"demo:{table_id}",
                    source="demo",
                    query=f"generated demo data, seed {self.seed} (not real figures)",
                    table_id=table_id,
                    is_demo=True,
                )
            )
        return payloads
