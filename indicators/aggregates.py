"""Figures for the whole country, regions, RAR areas, jobcentres and groups, derived from the municipalities.

Counts are summed; shares are the summed numerators over the summed denominators, never an average of shares.
A derived figure is only given when every member municipality has one; otherwise it is stored as missing, so a
suppressed municipality never makes a total look smaller than it is. Figures the source gave for an area
itself are never overwritten.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from indicators import periods
from indicators.models import ImportRun, Indicator, Observation
from municipalities.models import Area, Membership


def derive(
    indicator: Indicator,
    period_codes: list[str],
    *,
    run: ImportRun | None = None,
    staged: str | None = None,
    demo: bool = False,
) -> int:
    """Recompute the derived figures of one indicator for the given periods; return rows written or changed.

    `staged` names the import's staging table (indicators/pipeline.py) when it holds every figure the indicator has,
    that is on its first import; `demo` says whether they are demo figures. The sums are then read from there."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT NOT EXISTS (SELECT 1 FROM {Observation._meta.db_table} WHERE indicator_id = %s AND is_derived)",
            [indicator.pk],
        )
        fresh = cursor.fetchone()[0]
        # Figures the source gave for a group itself (the whole country, a RAR area) are left alone; most files give
        # none, and then a first derivation need not look for them (a second pass over a million figures).
        given = not fresh or _gives_groups(cursor, indicator, period_codes)
        query = statement(indicator, period_codes, run=run, fresh=fresh, given=given, staged=staged, demo=demo)
        if query is None:
            return 0
        # The statement joins and groups whole sets: hash joins are right for it at every size. A nested loop chosen
        # on a row estimate that is off (figures written in this same transaction, statistics a moment old) made
        # one derivation take 30 s instead of 2 s, now and then.
        # No JIT either: the nested loops' penalty makes the planner's cost look huge, and compiling the statement
        # took 0.6 s of a 6 s derivation.
        # Sums by hashing, not by sorting the member figures first: a million municipal figures joined to their
        # five groups are two million rows, and sorting them by text keys took half the derivation.
        names = ["enable_nestloop", "jit", "enable_sort"]
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
        before = cursor.fetchone()
        for name in names:
            cursor.execute(f"SET LOCAL {name} = off")
        try:
            cursor.execute(*query)
            return cursor.rowcount
        finally:
            for name, value in zip(names, before, strict=True):  # as the caller had them (the import sets jit off)
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _gives_groups(cursor, indicator: Indicator, period_codes: list[str]) -> bool:
    """Whether the source gave figures for any area other than a municipality in these periods (an index probe per
    group, on the (area, indicator, period start) index)."""
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {Observation._meta.db_table} o WHERE o.area_id = ANY(ARRAY("
        f"SELECT id FROM {Area._meta.db_table} WHERE kind <> 'municipality')) AND o.indicator_id = %s "
        "AND o.period = ANY(%s) AND NOT o.is_derived)",
        [indicator.pk, list(period_codes)],
    )
    return cursor.fetchone()[0]


CONFLICT = """        ON CONFLICT (indicator_id, area_id, period, breakdown, measure) DO UPDATE SET
            value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
            status = EXCLUDED.status, is_demo = EXCLUDED.is_demo, retrieved_at = EXCLUDED.retrieved_at,
            import_run_id = EXCLUDED.import_run_id
        WHERE {obs}.is_derived AND ({obs}.value IS DISTINCT FROM EXCLUDED.value
            OR {obs}.numerator IS DISTINCT FROM EXCLUDED.numerator
            OR {obs}.denominator IS DISTINCT FROM EXCLUDED.denominator
            OR {obs}.status IS DISTINCT FROM EXCLUDED.status OR {obs}.is_demo <> EXCLUDED.is_demo)
"""


def statement(
    indicator: Indicator,
    period_codes: list[str],
    *,
    run: ImportRun | None = None,
    fresh: bool = False,
    given: bool = True,
    staged: str | None = None,
    demo: bool = False,
):
    """The one SQL statement (and its parameters) that derives the figures, or None when there is nothing to do."""
    spec = indicator.source_spec
    shares = spec.get("shares", {})
    measures = list(dict.fromkeys([*spec.get("counts", []), *shares]))
    if not measures or not period_codes:
        return None
    obs, area, membership = Observation._meta.db_table, Area._meta.db_table, Membership._meta.db_table
    # No derived figure of this indicator exists yet: nothing to update, only the figures the source gave for a
    # group itself (the whole country, a RAR area) to leave alone. They are few, so they are left out by a hash
    # anti-join, and the rest is a plain INSERT: ON CONFLICT probes the unique index once more per row, a third of
    # the derivation's time for the first import of a million figures. (The derivation runs with nested loops off,
    # so a planner that has not seen the new rows yet cannot make the anti-join quadratic.)
    merge = "" if fresh else CONFLICT.format(obs=obs)
    changed_only = "SELECT f.* FROM with_status f"
    if fresh and given:
        changed_only += (
            f" LEFT JOIN (SELECT o.area_id, o.period, o.breakdown, o.measure FROM {obs} o JOIN {area} a "
            "ON a.id = o.area_id AND a.kind <> 'municipality' WHERE o.indicator_id = %(indicator)s "
            "AND o.period = ANY(%(periods)s) AND NOT o.is_derived) given ON given.area_id = f.group_id "
            "AND given.period = f.period AND given.breakdown = f.breakdown AND given.measure = f.measure "
            "WHERE given.area_id IS NULL"
        )
    elif not fresh:
        changed_only += (
            f" LEFT JOIN {obs} o ON o.indicator_id = %(indicator)s AND o.area_id = f.group_id "
            "AND o.period = f.period AND o.breakdown = f.breakdown AND o.measure = f.measure "
            "WHERE o.id IS NULL OR (o.is_derived AND (o.value IS DISTINCT FROM f.value "
            "OR o.numerator IS DISTINCT FROM f.numerator OR o.denominator IS DISTINCT FROM f.denominator "
            "OR o.status IS DISTINCT FROM f.status OR o.is_demo <> f.demo))"
        )
    # Every aggregate is a state per group for two million joined rows: numerators and denominators are summed only
    # for shares, and a staged import's figures are all demo or all real.
    fractions = "0 AS n_num, NULL::numeric AS num, 0 AS n_den, NULL::numeric AS den"
    if shares:
        fractions = (
            "count(o.numerator) AS n_num, sum(o.numerator) AS num, count(o.denominator) AS n_den, "
            "sum(o.denominator) AS den"
        )
    any_demo = "%(demo)s" if staged else "bool_or(o.is_demo)"
    # The municipalities' figures. Read from the staging table when it holds all of them: the observations just
    # written fill more than the server's shared buffers, and reading them back had it write them out first (the
    # derivation of the first import of a million figures took twice as long).
    members = staged or f"(SELECT * FROM {obs} WHERE indicator_id = %(indicator)s AND NOT is_derived)"
    sql = f"""
    WITH gm AS (
        SELECT m.area_id AS group_id, ma.id AS member_area_id, m.valid_from, m.valid_to
        FROM {membership} m JOIN {area} ma ON ma.municipality_id = m.municipality_id
        -- a user's own group is summed when shown (goals/progress.py), not stored for every import
        JOIN {area} g ON g.id = m.area_id AND g.owner_id IS NULL
        UNION ALL
        SELECT c.id, ma.id, NULL::date, NULL::date
        FROM {area} c CROSS JOIN {area} ma WHERE c.kind = 'country' AND ma.kind = 'municipality'
    ),
    -- The periods and their ends, from the codes (no second pass over the figures to find them).
    spans AS (
        SELECT * FROM unnest(%(periods)s::varchar[], %(starts)s::date[], %(ends)s::date[])
            AS s(period, period_start, period_end)
    ),
    -- How many municipalities each group has at the end of each period: a figure is complete only when every
    -- one of them has a value.
    sizes AS (
        SELECT gm.group_id, s.period, s.period_start, s.period_end, count(*) AS n
        FROM gm JOIN spans s ON (gm.valid_from IS NULL OR gm.valid_from <= s.period_end)
                            AND (gm.valid_to IS NULL OR gm.valid_to >= s.period_end)
        GROUP BY 1, 2, 3, 4
    ),
    -- One pass over the municipalities' figures, hash-joined to the memberships valid at the period's end. Grouped
    -- on no more keys than make a figure: every key column is hashed and compared for two million joined rows.
    sums AS (
        SELECT gm.group_id, o.period, o.breakdown, o.measure,
               count(o.value) AS n_value, sum(o.value) AS total, {fractions},
               {any_demo} AS demo, bool_or(o.status = 'provisional') AS provisional
        FROM {members} o JOIN gm ON gm.member_area_id = o.area_id
         AND (gm.valid_from IS NULL OR gm.valid_from <= o.period_end)
         AND (gm.valid_to IS NULL OR gm.valid_to >= o.period_end)
        WHERE o.period = ANY(%(periods)s) AND o.measure = ANY(%(measures)s)
        GROUP BY 1, 2, 3, 4
    ),
    agg AS (
        SELECT sums.*, sizes.n, sizes.period_start, sizes.period_end FROM sums JOIN sizes USING (group_id, period)
    ),
    computed AS (
        SELECT agg.*,
          CASE WHEN agg.measure = ANY(%(shares)s) THEN
                 CASE WHEN n_num = n AND n_den = n AND den > 0 THEN round(num / den * 100, 6) END
               ELSE CASE WHEN n_value = n THEN total END END AS value,
          CASE WHEN agg.measure = ANY(%(shares)s) AND n_num = n AND n_den = n THEN num END AS numerator,
          CASE WHEN agg.measure = ANY(%(shares)s) AND n_num = n AND n_den = n THEN den END AS denominator
        FROM agg
    ),
    with_status AS (
        SELECT computed.*,
          CASE WHEN value IS NULL THEN 'suppressed' WHEN provisional THEN 'provisional' ELSE 'final' END AS status
        FROM computed
    ),
    -- Only what is new or differs from the stored figure goes through the per-row ON CONFLICT insert.
    figures AS (
        {changed_only}
    )
    -- The rows written or changed are the statement's row count (no RETURNING rows to collect and count).
    INSERT INTO {obs} (indicator_id, area_id, period, period_start, period_end, breakdown, measure, value,
                       numerator, denominator, status, is_demo, is_derived, source, query, retrieved_at,
                       import_run_id)
    SELECT %(indicator)s, group_id, period, period_start, period_end, breakdown, measure, value, numerator,
           denominator, status, demo, true, 'derived', 'sum of member municipalities', %(now)s, %(run)s
    FROM figures
    -- In the unique key's order: the indexes are appended to, not written all over (a second faster).
    ORDER BY group_id, period, breakdown, measure
{merge}    """
    codes = list(dict.fromkeys(period_codes))
    spans = [periods.parse(code) for code in codes]
    return sql, {
        "indicator": indicator.pk,
        "periods": codes,
        "starts": [span.start for span in spans],
        "ends": [span.end for span in spans],
        "measures": measures,
        "shares": list(shares),
        "demo": demo,
        "now": timezone.now(),
        "run": run.pk if run else None,
    }
