"""Figures for the whole country, regions, RAR areas, jobcentres and groups, derived from the municipalities.

Counts are summed; shares are the summed numerators over the summed denominators, never an average of shares.
A derived figure is only given when every member municipality has one; otherwise it is stored as missing, so a
suppressed municipality never makes a total look smaller than it is. Figures the source gave for an area
itself are never overwritten.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from indicators.models import ImportRun, Indicator, Observation
from municipalities.models import Area, Membership, Municipality


def derive(indicator: Indicator, period_codes: list[str], *, run: ImportRun | None = None) -> int:
    """Recompute the derived figures of one indicator for the given periods; return rows written or changed."""
    spec = indicator.source_spec
    shares = spec.get("shares", {})
    measures = list(dict.fromkeys([*spec.get("counts", []), *shares]))
    if not measures or not period_codes:
        return 0
    obs, area, membership = Observation._meta.db_table, Area._meta.db_table, Membership._meta.db_table
    municipality = Municipality._meta.db_table
    sql = f"""
    WITH gm AS (
        SELECT m.area_id AS group_id, m.municipality_id, m.valid_from, m.valid_to
        FROM {membership} m JOIN {area} g ON g.id = m.area_id
        UNION ALL
        SELECT c.id, mu.code, NULL::date, NULL::date FROM {area} c CROSS JOIN {municipality} mu WHERE c.kind = 'country'
    ),
    keys AS (
        SELECT DISTINCT o.period, o.period_start, o.period_end, o.breakdown, o.measure
        FROM {obs} o JOIN {area} a ON a.id = o.area_id AND a.kind = 'municipality'
        WHERE o.indicator_id = %(indicator)s AND o.period = ANY(%(periods)s) AND o.measure = ANY(%(measures)s)
    ),
    grid AS (
        SELECT gm.group_id, ma.id AS municipality_area_id, k.*
        FROM gm JOIN keys k ON (gm.valid_from IS NULL OR gm.valid_from <= k.period_end)
                           AND (gm.valid_to IS NULL OR gm.valid_to >= k.period_end)
        JOIN {area} ma ON ma.municipality_id = gm.municipality_id
    ),
    agg AS (
        SELECT grid.group_id, grid.period, grid.period_start, grid.period_end, grid.breakdown, grid.measure,
               count(*) AS n, count(o.value) AS n_value, sum(o.value) AS total,
               count(o.numerator) AS n_num, sum(o.numerator) AS num,
               count(o.denominator) AS n_den, sum(o.denominator) AS den,
               coalesce(bool_or(o.is_demo), false) AS demo,
               coalesce(bool_or(o.status = 'provisional'), false) AS provisional
        FROM grid LEFT JOIN {obs} o
          ON o.indicator_id = %(indicator)s AND o.area_id = grid.municipality_area_id
         AND o.period = grid.period AND o.breakdown = grid.breakdown AND o.measure = grid.measure
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING count(o.id) > 0
    ),
    figures AS (
        SELECT agg.*,
          CASE WHEN agg.measure = ANY(%(shares)s) THEN
                 CASE WHEN n_num = n AND n_den = n AND den > 0 THEN round(num / den * 100, 6) END
               ELSE CASE WHEN n_value = n THEN total END END AS value,
          CASE WHEN agg.measure = ANY(%(shares)s) AND n_num = n AND n_den = n THEN num END AS numerator,
          CASE WHEN agg.measure = ANY(%(shares)s) AND n_num = n AND n_den = n THEN den END AS denominator
        FROM agg
    ),
    up AS (
        INSERT INTO {obs} (indicator_id, area_id, period, period_start, period_end, breakdown, measure, value,
                           numerator, denominator, status, is_demo, is_derived, source, query, retrieved_at,
                           import_run_id)
        SELECT %(indicator)s, group_id, period, period_start, period_end, breakdown, measure, value, numerator,
               denominator,
               CASE WHEN value IS NULL THEN 'suppressed' WHEN provisional THEN 'provisional' ELSE 'final' END,
               demo, true, 'derived', 'sum of member municipalities', %(now)s, %(run)s
        FROM figures
        ON CONFLICT (indicator_id, area_id, period, breakdown, measure) DO UPDATE SET
            value = EXCLUDED.value, numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator,
            status = EXCLUDED.status, is_demo = EXCLUDED.is_demo, retrieved_at = EXCLUDED.retrieved_at,
            import_run_id = EXCLUDED.import_run_id
        WHERE {obs}.is_derived AND ({obs}.value IS DISTINCT FROM EXCLUDED.value
            OR {obs}.numerator IS DISTINCT FROM EXCLUDED.numerator
            OR {obs}.denominator IS DISTINCT FROM EXCLUDED.denominator
            OR {obs}.status IS DISTINCT FROM EXCLUDED.status OR {obs}.is_demo <> EXCLUDED.is_demo)
        RETURNING 1
    )
    SELECT count(*) FROM up
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "indicator": indicator.pk,
                "periods": list(period_codes),
                "measures": measures,
                "shares": list(shares),
                "now": timezone.now(),
                "run": run.pk if run else None,
            },
        )
        return cursor.fetchone()[0]
