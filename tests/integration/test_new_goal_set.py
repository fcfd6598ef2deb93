"""Issue 22: a new year's goal set, added by ministry staff in the admin, reaches the cards, the charts, the
comparison and the committee's PDF with no code change; the 2020 goal set is shown as before beside it.

The fourth goal's indicator is a made-up test indicator (OPKV21) whose figures come from a file made by hand in the
Jobindsats v2 CSV format (tests/data/OPKV21_v2.csv: `;`, thousands dot, UTF-8 BOM; a plain pattern, no real figures),
imported with `import_jobindsats --file`. The charts are drawn and the report is built by a real Celery worker."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from goals.models import ChartSnapshot, Goal, GoalIndicator, GoalSet, Target
from indicators.models import Indicator, Observation
from municipalities.models import Area, UserRole
from reports.models import Report
from tests.factories import log_in
from tests.integration.test_celery_worker import _start_worker
from tests.integration.test_report_worker import _stop, _wait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]  # a worker, a PDF: scheduled early
FILE = Path(__file__).resolve().parents[1] / "data" / "OPKV21_v2.csv"
PAGE = "/jobcenter/taarnby-dragoer/"
GOAL_4 = "Flere ledige skal opkvalificeres (testmål)"


@pytest.fixture
def worker(demo_db, settings):
    demo_db(["MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"], [("jobcentre", "taarnby-dragoer")])
    queue, proc = _start_worker("--pool", "solo", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings.REPORTS_QUEUE = queue
    yield queue
    _stop(proc)


def _admin_post(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    if response.status_code != 302:  # the admin's form again, with what it refused
        context = response.context or {}
        errors = [context["adminform"].form.errors] if "adminform" in context else []
        errors += [(f.formset.errors, f.formset.non_form_errors()) for f in context.get("inline_admin_formsets", [])]
        pytest.fail(f"{url} refused: {errors or response.content.decode()[:2000]}")


def _add_the_2021_goals(client) -> Indicator:
    """As ministry staff do it: the new indicator in the catalogue, next year's goals as a copy of 2020's, and a
    fourth goal with the new indicator."""
    _admin_post(
        client,
        "/admin/indicators/indicator/add/",
        {
            "code": "OPKV21",
            "name_da": "Personer i opkvalificering (testindikator)",
            "name_en": "Persons in re-skilling (test indicator)",
            "unit": "persons",
            "polarity": "higher",
            "frequency": "M",
            "area_level": "municipality",
            "source_table": "OPKV21",
            "source_measure": "",
            "definition_da": "",
            "definition_en": "",
            "headline_measure": "personer",
            "count_measures": "personer",
            "measure_lines": "Antal personer = personer",
            "dimension_lines": "",
            "source_columns-TOTAL_FORMS": "0",
            "source_columns-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )
    indicator = Indicator.objects.get(code="OPKV21")
    _admin_post(
        client,
        "/admin/goals/goalset/",
        {
            "action": "copy_to_next_year",
            "_selected_action": [GoalSet.objects.get(year=2020).pk],
        },
    )
    goals_2021 = GoalSet.objects.get(year=2021)
    _admin_post(
        client,
        "/admin/goals/goal/add/",
        {
            "goal_set": goals_2021.pk,
            "number": "4",
            "text_da": GOAL_4,
            "text_en": "More unemployed re-skilled (test)",
            "note_da": "",
            "note_en": "",
            "goal_indicators-TOTAL_FORMS": "1",
            "goal_indicators-INITIAL_FORMS": "0",
            "goal_indicators-0-indicator": indicator.pk,
            "goal_indicators-0-role": "headline",
            "goal_indicators-0-order": "0",
            "goal_indicators-0-chart": "index",
            "goal_indicators-0-with_country": "on",
            "goal_indicators-0-with_peers": "on",
            "goal_indicators-0-lead_breakdown": "",
            "goal_indicators-0-lead_label_da": "",
            "goal_indicators-0-lead_label_en": "",
            "goal_indicators-0-breakdown_charts": "[]",
            "_save": "1",
        },
    )
    return indicator


def _figures(area: Area, year: int) -> list[tuple]:
    charts = ChartSnapshot.objects.filter(area=area, goal_set__year=year).order_by("language", "order")
    return [(c.key, c.language, c.title, c.figure, c.table, c.summary) for c in charts]


def test_a_2021_goal_set_added_in_the_admin_reaches_cards_charts_comparison_and_the_pdf(worker, client):
    from goals.tasks import render_charts

    queue = worker
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    mm13 = Indicator.objects.get(code="MM13")
    Target.objects.create(jobcentre=jobcentre, indicator=mm13, year=2020, value=99)  # not met by the end of 2020
    assert render_charts.apply_async(args=[[jobcentre.pk]], queue=queue).get(timeout=300) > 0
    charts_2020 = _figures(jobcentre, 2020)  # with the 2020 target's line
    assert charts_2020

    log_in(client, "ministerie", UserRole.Role.MINISTRY)
    indicator = _add_the_2021_goals(client)
    assert [g.number for g in Goal.objects.filter(goal_set__year=2021)] == [1, 2, 3, 4]
    assert GoalIndicator.objects.filter(goal__goal_set__year=2021).count() == 8  # 2020's seven and the new one
    call_command("import_jobindsats", file=str(FILE), table="OPKV21", verbosity=0)
    derived = Observation.objects.get(indicator=indicator, area=jobcentre, period="2021M12", measure="personer")
    assert derived.value == 121 and derived.is_derived  # Tårnby 86 + Dragør 35

    client.logout()
    log_in(client, "chef", UserRole.Role.CHIEF, jobcentre=jobcentre)
    saved = client.post(f"{PAGE}maal/4/maalsaetning/?aar=2021", {f"target_{indicator.pk}": "150", "commentary": ""})
    assert saved.status_code == 302
    assert render_charts.apply_async(args=[[jobcentre.pk]], queue=queue).get(timeout=300) > 0

    # The 2020 goals are still the default page, their charts unchanged by the new year's.
    default = client.get(PAGE).content.decode()
    assert GOAL_4 not in default and 'id="goal-3"' in default and 'id="goal-4"' not in default
    assert _figures(jobcentre, 2020) == charts_2020

    # The 2021 page: four cards, the new one with its figure, status against the 2021 target and sparkline.
    page = client.get(f"{PAGE}?aar=2021").content.decode()
    card = page[page.index('id="goal-4"') : page.index("jm-card-link", page.index('id="goal-4"'))]
    assert GOAL_4 in card and "Personer i opkvalificering (testindikator)" in card
    assert '<span class="jm-big">121</span>' in card and "december 2021" in card
    assert 'data-mark="at_risk"' in card and "I risiko" in card  # 121 below 150, up from 85 a year before
    assert '<svg class="jm-spark" role="img"' in card and "+42,4 %" in card
    # Goal 2 continues from 2020: the year's final figure and its target, not met.
    goal_2 = page[page.index('id="goal-2"') : page.index('id="goal-3"')]
    assert "Fortsætter mål 2 fra 2020." in goal_2 and "Lokalt mål 2020: 99,0 pct." in goal_2
    assert 'data-final="not_met"' in goal_2 and "ikke nået" in goal_2
    assert "Fortsætter" not in card
    # The year switch: both years, the one shown marked.
    assert 'href="/jobcenter/taarnby-dragoer/?aar=2021" aria-current="page">Mål 2021' in page
    assert 'href="/jobcenter/taarnby-dragoer/">Mål 2020' in page

    # The goal page's charts, stored for the 2021 goal set and read from there.
    goal_page = client.get(f"{PAGE}maal/4/?aar=2021").content.decode()
    stored = ChartSnapshot.objects.get(area=jobcentre, goal_set__year=2021, key="OPKV21", language="da")
    assert f'id="figure-{stored.pk}"' in goal_page and "Personer i opkvalificering (testindikator)" in stored.title
    names = [trace["name"] for trace in stored.figure["data"]]
    assert names[:2] == ["Jobcenter Tårnby-Dragør", "Hele landet"]
    assert stored.table["rows"][-1][0] == "december 2021" and "121" in stored.table["rows"][-1]
    assert not ChartSnapshot.objects.filter(goal_set__year=2020, key="OPKV21").exists()

    # The comparison offers the new indicator and ranks on it.
    comparison = client.get("/sammenligning/").content.decode()
    assert '<option value="OPKV21"' in comparison
    ranked = client.get("/sammenligning/?indikator=OPKV21&periode=2021M12").content.decode()
    assert "Tårnby" in ranked and "Dragør" in ranked and "86" in ranked

    # The committee's PDF for 2021: a section for goal 4 with the sentence and the figure as the card shows them.
    asked = client.post("/jobcenter/taarnby-dragoer/rapporter/?aar=2021", {"format": "pdf"})
    assert asked.status_code == 302
    report = _wait(Report.objects.get(year=2021).pk, "done", "failed")
    assert report.status == "done", report.error
    pdf = client.get(f"/rapport/{report.pk}/hent/")
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=b"".join(pdf.streaming_content) if pdf.streaming else pdf.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    flat = " ".join(text.split())
    assert GOAL_4 in flat
    assert (
        "Antallet af personer i opkvalificering (testindikator) i Jobcenter Tårnby-Dragør var 121 i december 2021"
        in flat
    )
    assert "42,4 % flere end et år før" in flat and "Det lokale mål for 2021 er 150, og status er: i risiko." in flat


def test_charts_stored_before_the_migration_are_kept_byte_for_byte_as_the_default_goal_sets(demo_db):
    """Migration 0010 gives the charts already stored to the goal set they were drawn for, unchanged to the byte."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    demo_db(["MM13"], [("municipality", "185")])
    area = Area.objects.get(kind=Area.Kind.MUNICIPALITY, code="185")

    def stored() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT key, language, figure::text, "table"::text, summary FROM goals_chartsnapshot '
                "WHERE area_id = %s ORDER BY language, key",
                [area.pk],
            )
            return cursor.fetchall()

    before = stored()
    assert "MM13" in {row[0] for row in before}
    executor = MigrationExecutor(connection)
    executor.migrate([("goals", "0009_seed_2020_specification")])  # the schema before: no goal set on a chart
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE column_name = 'goal_set_id' "
            "AND table_name = 'goals_chartsnapshot'"
        )
        assert cursor.fetchone()[0] == 0
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert stored() == before
    assert set(ChartSnapshot.objects.filter(area=area).values_list("goal_set__year", flat=True)) == {2020}


def test_ministry_staff_are_told_what_is_wrong_with_a_new_indicators_columns(client):
    log_in(client, "ministerie", UserRole.Role.MINISTRY)
    base = {
        "code": "X1",
        "name_da": "X",
        "name_en": "X",
        "unit": "persons",
        "polarity": "higher",
        "frequency": "M",
        "area_level": "municipality",
        "source_table": "X1",
        "source_measure": "",
        "definition_da": "",
        "definition_en": "",
        "dimension_lines": "",
        "source_columns-TOTAL_FORMS": "0",
        "source_columns-INITIAL_FORMS": "0",
        "_save": "1",
    }
    cases = [
        ({"measure_lines": "Antal personer personer"}, "measure_lines", "Linje 1: skriv navnet, = og nøglen"),
        ({"measure_lines": "Antal personer = Personer"}, "measure_lines", "'Personer' er ikke en nøgle"),
        (
            {"measure_lines": "Antal = antal", "headline_measure": "personer"},
            "headline_measure",
            "Ikke en af målingernes nøgler: antal",
        ),
        (
            {"measure_lines": "Antal = antal", "count_measures": "antal, fuldtid"},
            "count_measures",
            "Ikke en af målingernes nøgler: fuldtid",
        ),
    ]
    for fields, field, said in cases:
        response = client.post("/admin/indicators/indicator/add/", {**base, **fields})
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == [field] and said in errors[field][0], (fields, errors)
    assert not Indicator.objects.filter(code="X1").exists()
