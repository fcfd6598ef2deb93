"""Issue 22: the charts are drawn from the goal set's specification (GoalIndicator), not from code naming the 2020
indicators. For the 2020 goal set, what is stored is what the code drew before: every chart of Tårnby, in both
languages, equal to the copy in tests/data/charts_2020.json (made by the code before the change,
from the same deterministic demo data)."""

import json
from pathlib import Path

import pytest

from goals import rendering
from goals.catalogue import WOMEN_FIRST
from goals.models import ChartSnapshot, GoalIndicator
from indicators import imports
from municipalities.models import Area

pytestmark = [pytest.mark.django_db, pytest.mark.long]  # imports seven indicators: scheduled early
BEFORE = Path(__file__).resolve().parents[1] / "data" / "charts_2020.json"


def _stored(areas: list[Area]) -> list[dict]:
    charts = ChartSnapshot.objects.filter(area__in=areas).select_related("area")
    fields = ["key", "language", "goal_number", "order", "title", "figure", "table", "summary"]
    return [
        {"area": c.area.code, **{f: getattr(c, f) for f in fields}}
        for c in charts.order_by("area__code", "language", "order")
    ]


def test_the_2020_charts_drawn_from_the_goal_set_are_the_ones_drawn_before():
    imports.demo(["MM10", "FORGREKR", "MM13", "Y08A02", "Y09A02", "Y11A02", "Y12A02"])
    areas = [Area.objects.get(kind="municipality", code="185")]
    rendering.render(areas)

    stored = json.loads(json.dumps(_stored(areas)))  # as JSON holds it: tuples are lists
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert len(stored) == len(before) == 18
    for now, then in zip(stored, before, strict=True):
        assert now == then, (now["area"], now["language"], now["key"])


def test_a_changed_specification_changes_the_charts():
    """The specification is read, not decorative: goal 2 drawn without its charts by breakdown and without the
    comparable municipalities has neither."""
    imports.demo(["MM13"])
    area = Area.objects.get(kind="municipality", code="185")
    GoalIndicator.objects.filter(indicator__code="MM13").update(breakdown_charts=[], with_peers=False)
    rendering.render([area])
    charts = ChartSnapshot.objects.filter(area=area, language="da", goal_number=2)
    assert [c.key for c in charts] == ["MM13"]
    assert [trace["name"] for trace in charts[0].figure["data"]] == ["Tårnby", "Hele landet"]


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("lead_breakdown", "Kvinder", "dimension=værdi"),
        ("breakdown_charts", {"dimension": "kon"}, "liste af grafer"),
        ("breakdown_charts", [{"dimension": "kon", "key": "køn"}], "Graf 1 mangler label_da, label_en, by_da, by_en"),
        ("breakdown_charts", [{**WOMEN_FIRST["breakdown_charts"][0], "series": [["Kvinder", "K", "W"]]}], "series"),
    ],
)
def test_an_invalid_specification_is_refused_naming_the_field(field, value, said):
    from django.core.exceptions import ValidationError

    link = GoalIndicator.objects.get(indicator__code="MM13")
    setattr(link, field, value)
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert list(refused.value.message_dict) == [field]
    assert said in " ".join(refused.value.message_dict[field])


def test_the_migration_gives_an_existing_2020_goal_set_the_catalogues_specification():
    """A database made before the specification existed gets, from migration 0009, what a new one gets from the
    catalogue."""
    import importlib

    from django.apps import apps

    def shown() -> dict:
        links = GoalIndicator.objects.select_related("indicator")
        fields = ["chart", "with_country", "with_peers", "lead_breakdown", "lead_label_da", "lead_label_en"]
        return {gi.indicator.code: [*(getattr(gi, f) for f in fields), gi.breakdown_charts] for gi in links}

    from_catalogue = shown()
    defaults = {"lead_breakdown": "", "lead_label_da": "", "lead_label_en": "", "breakdown_charts": []}
    GoalIndicator.objects.update(chart="trend", with_country=True, with_peers=True, **defaults)
    importlib.import_module("goals.migrations.0009_seed_2020_specification").seed(apps, None)

    assert len(from_catalogue) == 7 and shown() == from_catalogue
