"""The read layer on observations (indicators.models.ObservationQuerySet), against real rows."""

from decimal import Decimal

import pytest

from indicators.models import Indicator, Observation
from municipalities.models import Area
from tests import factories

pytestmark = pytest.mark.django_db

MM10_TOTAL = "samarbejde=Alle jobcentre"


def _area(code: str, kind: str = "municipality") -> Area:
    return Area.objects.get(kind=kind, code=code)


def _observe(
    indicator: str,
    area: Area,
    month: int,
    value: str,
    *,
    measure: str = "value",
    breakdown: str = "",
    year: int = 2020,
    **extra,
) -> Observation:
    return factories.observation(
        Indicator.objects.get(code=indicator),
        area,
        f"{year}M{month:02d}",
        Decimal(value),
        breakdown=breakdown,
        measure=measure,
        source=Observation.Source.API_V3,
        **extra,
    )


def _values(observations) -> set[tuple]:
    return {(o.indicator.code, o.area.code, o.period, o.breakdown, o.measure, o.value) for o in observations}


def test_for_areas_takes_area_objects_or_ids():
    taarnby, dragoer, aarhus = _area("185"), _area("155"), _area("751")
    for area, value in [(taarnby, "10"), (dragoer, "20"), (aarhus, "30")]:
        _observe("MM13", area, 1, value, measure="andel")

    by_object = Observation.objects.for_areas([taarnby, dragoer])
    by_id = Observation.objects.for_areas([aarhus.pk])

    assert sorted(by_object.values_list("area__code", "value")) == [("155", Decimal("20")), ("185", Decimal("10"))]
    assert list(by_id.values_list("area__code", "value")) == [("751", Decimal("30"))]


def test_published_leaves_out_derived_figures():
    _observe("MM13", _area("185"), 1, "10", measure="andel")
    _observe("MM13", _area("taarnby-dragoer", "jobcentre"), 1, "15", measure="andel", is_derived=True)

    assert list(Observation.objects.published().values_list("area__code", "value")) == [("185", Decimal("10"))]


def test_headline_is_the_measure_and_breakdown_the_source_spec_declares():
    taarnby = _area("185")
    _observe("MM10", taarnby, 1, "41.5", measure="samarbejdsgrad", breakdown=MM10_TOTAL)
    _observe("MM10", taarnby, 1, "30", measure="samarbejdsgrad", breakdown="samarbejde=Eget jobcenter")
    _observe("MM10", taarnby, 1, "800", measure="virksomheder", breakdown=MM10_TOTAL)
    _observe("MM13", taarnby, 1, "38.2", measure="andel")
    _observe("MM13", taarnby, 1, "40", measure="andel", breakdown="kon=Kvinder")

    mm10 = Observation.objects.headline(Indicator.objects.get(code="MM10"))
    mm13 = Observation.objects.headline(Indicator.objects.get(code="MM13"))

    assert _values(mm10) == {("MM10", "185", "2020M01", MM10_TOTAL, "samarbejdsgrad", Decimal("41.5"))}
    assert _values(mm13) == {("MM13", "185", "2020M01", "", "andel", Decimal("38.2"))}


def test_headline_of_a_local_indicator_is_its_value():
    local = Indicator.objects.create(
        code="LOK-185-1",
        name_da="Egne",
        name_en="Own",
        unit="percent",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id="185",
        source_spec={"dimensions": {}, "measures": {}, "headline": "value"},
    )
    bare = Indicator.objects.create(
        code="LOK-185-2",
        name_da="Egne 2",
        name_en="Own 2",
        unit="count",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id="185",
    )
    _observe(local.code, _area("185"), 3, "12.5")
    _observe(bare.code, _area("185"), 3, "7")

    assert list(Observation.objects.headline(local).values_list("value", flat=True)) == [Decimal("12.5")]
    assert list(Observation.objects.headline(bare).values_list("value", flat=True)) == [Decimal("7")]


def test_newest_per_series_is_the_newest_period_of_each_series():
    taarnby, dragoer = _area("185"), _area("155")
    for month, value in [(1, "10"), (3, "13"), (2, "12")]:
        _observe("MM13", taarnby, month, value, measure="andel")
        _observe("MM13", taarnby, month, str(int(value) * 10), measure="personer")
    _observe("MM13", taarnby, 2, "50", measure="andel", breakdown="kon=Kvinder")
    _observe("MM13", dragoer, 1, "21", measure="andel")
    _observe("MM13", taarnby, 12, "9", measure="andel", year=2019)

    latest = Observation.objects.select_related("indicator", "area").newest_per_series()

    assert _values(latest) == {
        ("MM13", "185", "2020M03", "", "andel", Decimal("13")),
        ("MM13", "185", "2020M03", "", "personer", Decimal("130")),
        ("MM13", "185", "2020M02", "kon=Kvinder", "andel", Decimal("50")),
        ("MM13", "155", "2020M01", "", "andel", Decimal("21")),
    }


def test_newest_per_series_chains_with_the_other_filters_in_one_query(django_assert_num_queries):
    taarnby, dragoer = _area("185"), _area("155")
    mm13 = Indicator.objects.get(code="MM13")
    for month in (1, 2):
        _observe("MM13", taarnby, month, f"{month}0", measure="andel")
        _observe("MM13", dragoer, month, f"{month}5", measure="andel")
        _observe("MM13", taarnby, month, "99", measure="personer")
    _observe("MM13", taarnby, 3, "30", measure="andel", is_derived=True)

    with django_assert_num_queries(1):
        rows = list(Observation.objects.for_areas([taarnby]).published().headline(mm13).newest_per_series())

    assert [(o.period, o.value) for o in rows] == [("2020M02", Decimal("20"))]


def test_latest_with_fields_is_still_djangos_latest():
    _observe("MM13", _area("185"), 1, "10", measure="andel")
    newest = _observe("MM13", _area("185"), 2, "20", measure="andel")

    assert Observation.objects.latest("period_start") == newest


def test_headlines_reads_several_indicators_headline_figures_in_one_query(django_assert_num_queries):
    taarnby = _area("185")
    mm13, mm10 = Indicator.objects.get(code="MM13"), Indicator.objects.get(code="MM10")
    for indicator in (mm13, mm10):
        measure, breakdown = indicator.headline_key
        _observe(indicator.code, taarnby, 1, "40", measure=measure, breakdown=breakdown)
        _observe(indicator.code, taarnby, 1, "41", measure=measure, breakdown="kon=Kvinder")
        _observe(indicator.code, taarnby, 1, "42", measure="noget_andet")
    with django_assert_num_queries(1):
        rows = set(
            Observation.objects.headlines([mm13, mm10]).values_list("indicator__code", "measure", "breakdown", "value")
        )
    assert rows == {("MM13", *mm13.headline_key, Decimal("40")), ("MM10", *mm10.headline_key, Decimal("40"))}
