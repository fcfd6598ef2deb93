import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import ChartSnapshot, Target
from indicators import imports
from indicators.models import Indicator
from municipalities.models import Area
from tests import databases, factories
from tests.factories import log_in

pytestmark = pytest.mark.django_db

DEMO = ["MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"]


def _jobcentre(slug: str) -> Area:
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


@pytest.fixture
def chief(client):
    log_in(client, "chief", "chief", jobcentre=_jobcentre("taarnby-dragoer"))
    return client


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    areas = (("jobcentre", "taarnby-dragoer"), ("municipality", "155"))
    with databases.for_module(django_db_blocker, databases.demo(tuple(DEMO), areas)):
        yield


def test_the_national_figures_are_public_and_the_work_needs_a_log_in(client):
    for url in ["/kommune/101/", "/jobcenter/aarhus/", "/kommune/101/maal/1/"]:
        response = client.get(url)
        assert response.status_code == 200 and response.context["work"] is False, url
    for url in ["/kommune/101/rapporter/", "/jobcenter/aarhus/rapporter/", "/jobcenter/aarhus/maal/1/maalsaetning/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/"), url


def test_each_role_sees_its_own_areas_work_and_elsewhere_the_national_figures_only(client):
    def work(url: str) -> bool:
        response = client.get(url)
        assert response.status_code == 200, url
        return response.context["work"]

    log_in(client, "chief", "chief", jobcentre=_jobcentre("taarnby-dragoer"))
    assert work("/jobcenter/taarnby-dragoer/") and work("/kommune/185/") and work("/kommune/155/maal/2/")
    assert not work("/jobcenter/aarhus/") and not work("/kommune/751/")
    assert client.get("/kommune/751/rapporter/").status_code == 403
    log_in(client, "chair", "chair", municipality_id="751")
    assert work("/kommune/751/") and work("/jobcenter/aarhus/")
    assert not work("/kommune/101/") and not work("/jobcenter/taarnby-dragoer/")
    assert client.get("/kommune/101/rapporter/").status_code == 403
    log_in(client, "dragoer-chair", "chair", municipality_id="155")
    assert not work("/jobcenter/taarnby-dragoer/")  # it shows Tårnby's work too
    log_in(client, "ministry", "ministry")
    for url in ["/kommune/101/", "/jobcenter/aarhus/", "/jobcenter/taarnby-dragoer/maal/3/"]:
        assert work(url), url
    assert client.get("/import/").status_code == 200
    log_in(client, "nobody", None)
    assert not work("/kommune/101/") and client.get("/import/").status_code == 403


def test_the_jobcentre_page_shows_three_goal_cards_with_the_figures_of_the_store(chief, demo_data):
    html = chief.get("/jobcenter/taarnby-dragoer/").content.decode()
    assert html.count('class="card jm-card"') == 3
    for number in (1, 2, 3):
        assert f'id="goal-{number}"' in html
    from indicators.models import Observation

    latest = Observation.objects.get(
        indicator__code="MM13", area=_jobcentre("taarnby-dragoer"), period="2021M12", measure="andel", breakdown=""
    )
    shown = f"{latest.value:.1f}".replace(".", ",")
    assert f'<span class="jm-mid">{shown} pct.</span>' in html  # the total, beside the women's figure (goal 2)
    assert "december 2021" in html
    assert "Dragør" in html and "Tårnby" in html  # each municipality apart
    assert "Sammenlignelige kommuner (nærmest i forventet andel" in html  # peers from the benchmark, said so
    assert "demodata" in html.lower() and "Personer i fleksjob" in html and "proxy" in html


def test_a_target_gives_a_status_on_the_card(chief, demo_data):
    jobcentre = _jobcentre("taarnby-dragoer")
    Target.objects.create(jobcentre=jobcentre, indicator=Indicator.objects.get(code="MM13"), year=2020, value=99)
    html = chief.get("/jobcenter/taarnby-dragoer/").content.decode()
    assert "99,0 pct." in html and ("Bagud" in html or "I risiko" in html)
    target = Target.objects.get(jobcentre=jobcentre)
    target.value = 1
    target.save()  # as the target form saves it: the page's figures get a new version
    assert "På rette spor" in chief.get("/jobcenter/taarnby-dragoer/").content.decode()


def test_goal_page_embeds_the_stored_figures_with_table_summary_and_downloads(chief, demo_data):
    html = chief.get("/jobcenter/taarnby-dragoer/maal/2/").content.decode()
    charts = ChartSnapshot.objects.filter(area=_jobcentre("taarnby-dragoer"), language="da", goal_number=2)
    assert {c.key for c in charts} == {"MM13", "MM13-gender", "MM13-residence"}
    for chart in charts:
        assert f'<script id="figure-{chart.pk}" type="application/json">' in html
        assert chart.summary in html and f'href="/graf/{chart.pk}.csv"' in html
    assert html.index("Kvinder") < html.index("Mænd")  # women first
    assert 'id="breakdown-switch"' in html and "plotly/plotly.min.js" in html
    assert "<script>" not in html  # no inline scripts


def test_the_page_makes_the_same_number_of_queries_whatever_the_data(chief, demo_data):
    from django.core.cache import cache

    def queries(url, cold: bool):
        if cold:
            cache.clear()
        else:
            chief.get(url)  # fills the cache
        with CaptureQueriesContext(connection) as captured:
            assert chief.get(url).status_code == 200
        return len(captured)

    pages = ["/jobcenter/taarnby-dragoer/", "/jobcenter/taarnby-dragoer/maal/2/"]
    cold, warm = [queries(p, True) for p in pages], [queries(p, False) for p in pages]
    imports.demo(["Y09A02", "Y11A02"])
    assert [queries(p, True) for p in pages] == cold
    assert [queries(p, False) for p in pages] == warm
    assert all(w < c for w, c in zip(warm, cold, strict=True))  # served from the cache: no figures read


def test_a_new_import_shows_at_once_despite_the_cache(chief, demo_data):
    from indicators.models import Observation

    before = chief.get("/jobcenter/taarnby-dragoer/").content.decode()
    obs = Observation.objects.get(
        indicator__code="MM13", area=_jobcentre("taarnby-dragoer"), period="2021M12", measure="andel", breakdown=""
    )
    assert f"{obs.value:.1f}".replace(".", ",") + " pct." in before
    Observation.objects.filter(pk=obs.pk).update(value=12.3)
    from indicators.models import ImportRun

    ImportRun.objects.create(source="file", status=ImportRun.Status.SUCCEEDED)  # a newer import: a new version
    assert "12,3 pct." in chief.get("/jobcenter/taarnby-dragoer/").content.decode()
    Observation.objects.filter(pk=obs.pk).update(value=obs.value)


def test_chart_csv_is_danish_says_demo_and_is_public(client, chief, demo_data):
    chart = ChartSnapshot.objects.get(area=_jobcentre("taarnby-dragoer"), key="MM13", language="da")
    response = chief.get(f"/graf/{chart.pk}.csv")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and text.startswith("DEMODATA")
    assert "Periode;Jobcenter Tårnby-Dragør (pct.);Hele landet (pct.)" in text and ";" in text
    # A chart's table holds national figures only (a target is a line in the figure): anyone may download it.
    assert client.get(f"/graf/{chart.pk}.csv").content == response.content


def test_the_dashboard_in_english(chief, demo_data):
    chief.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = chief.get("/jobcenter/taarnby-dragoer/maal/2/").content.decode()
    assert '<html lang="en">' in html and "All, change on a year before" in html and "percentage points" in html
    assert "More refugees and family-reunified persons must be self-supporting." in html
    assert "December 2021" in html and "by gender" in html  # the charts of the English set


def test_the_user_comes_with_the_role_in_one_query_and_a_password_log_in_works(client, django_assert_num_queries):
    from municipalities.backends import RoleBackend

    user = factories.user("pw-chief", "chief", password="secret-for-test", jobcentre=_jobcentre("taarnby-dragoer"))
    with django_assert_num_queries(1):
        loaded = RoleBackend().get_user(user.pk)
        assert loaded.jobmaal_role.role == "chief"
    assert client.login(username="pw-chief", password="secret-for-test")
    assert client.get("/jobcenter/taarnby-dragoer/").status_code == 200
    no_role = factories.user("nobody", password="x")
    assert RoleBackend().get_user(no_role.pk) is not None
