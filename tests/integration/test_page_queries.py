"""A cached page costs a logged-in user no SQL query (session, user and role, the jobcentre, the data version and the
page all come from Redis), and is never stale: an import, a target, a role or a membership changed shows on the
very next request."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from goals import targets
from goals.models import Goal
from indicators import imports
from indicators.models import ImportRun, Indicator, Observation
from municipalities import data_version
from municipalities.models import Area, Membership, UserRole
from tests import databases
from tests.factories import DATA, log_in

pytestmark = pytest.mark.django_db

JOBCENTRE = "/jobcenter/taarnby-dragoer/"
GOAL = "/jobcenter/taarnby-dragoer/maal/2/"


def _jobcentre(slug: str = "taarnby-dragoer") -> Area:
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


def _mm13() -> Observation:
    """The newest share on the jobcentre's goal-2 card."""
    return Observation.objects.get(
        indicator__code="MM13", area=_jobcentre(), period="2021M12", measure="andel", breakdown=""
    )


def _pct(value) -> str:
    return f"{value:.1f}".replace(".", ",") + " pct."


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    demo = databases.demo(("MM13", "Y30R21"), (("jobcentre", "taarnby-dragoer"), ("municipality", "155")))
    with databases.for_module(django_db_blocker, demo):
        yield


@pytest.fixture
def chief(client) -> User:
    return log_in(client, "chief", "chief", jobcentre=_jobcentre())


@pytest.mark.parametrize(
    ("role", "scope", "pages"),
    [
        ("chief", {"jobcentre": "taarnby-dragoer"}, [JOBCENTRE, GOAL]),
        ("chair", {"municipality_id": "751"}, ["/jobcenter/aarhus/", "/jobcenter/aarhus/maal/2/"]),
        ("ministry", {}, [JOBCENTRE, GOAL]),
    ],
)
def test_a_cached_page_needs_no_query(client, demo_data, django_assert_num_queries, role, scope, pages):
    if "jobcentre" in scope:
        scope = {"jobcentre": _jobcentre(scope["jobcentre"])}
    log_in(client, role, role, **scope)
    for url in pages:
        assert client.get(url).status_code == 200  # caches the user, the jobcentre and the page
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_an_import_shows_on_the_next_request(client, chief, demo_data, django_capture_on_commit_callbacks):
    obs = _mm13()
    assert _pct(obs.value) in client.get(JOBCENTRE).content.decode()
    Observation.objects.filter(pk=obs.pk).update(value=Decimal("12.3"))  # sends no signal: only the import's does
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.from_file(str(DATA / "y08a02_v3.csv")).status == ImportRun.Status.SUCCEEDED
    assert _pct(Decimal("12.3")) in client.get(JOBCENTRE).content.decode()


def test_a_saved_target_and_commentary_show_on_the_next_request(
    client, chief, demo_data, django_capture_on_commit_callbacks
):
    assert "Et mål vi når" not in client.get(JOBCENTRE).content.decode()
    mm13 = Indicator.objects.get(code="MM13")
    with django_capture_on_commit_callbacks(execute=True):
        targets.save(
            _jobcentre(),
            Goal.objects.get(goal_set__year=2020, number=2),
            chief,
            {mm13.pk: (Decimal("99"), "")},
            "Et mål vi når",
        )
    html = client.get(JOBCENTRE).content.decode()
    assert "Et mål vi når" in html and _pct(Decimal("99")) in html
    assert "data-charts-pending" in client.get(GOAL).content.decode()  # the rebuild is asked for: said at once


def test_a_changed_role_takes_effect_on_the_next_request(client, chief, demo_data, django_capture_on_commit_callbacks):
    assert _sees_work(client, JOBCENTRE) and _sees_work(client, JOBCENTRE)  # the second from the cache
    role = UserRole.objects.get(user=chief)
    role.jobcentre = _jobcentre("aarhus")
    with django_capture_on_commit_callbacks(execute=True):
        role.save()
    assert not _sees_work(client, JOBCENTRE)
    assert _sees_work(client, "/jobcenter/aarhus/")
    with django_capture_on_commit_callbacks(execute=True):
        role.delete()
    assert not _sees_work(client, "/jobcenter/aarhus/")


def test_a_new_password_logs_out_other_sessions(client, chief, demo_data, django_capture_on_commit_callbacks):
    assert _sees_work(client, JOBCENTRE) and _sees_work(client, JOBCENTRE)
    chief.set_password("a new one")
    with django_capture_on_commit_callbacks(execute=True):
        chief.save()
    assert not _sees_work(client, JOBCENTRE)  # logged out: the public figures only
    response = client.get("/jobcenter/taarnby-dragoer/rapporter/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/")


def test_a_changed_membership_takes_effect_on_the_next_request(client, demo_data, django_capture_on_commit_callbacks):
    log_in(client, "chair", "chair", municipality_id="751")
    assert _sees_work(client, "/jobcenter/aarhus/") and _sees_work(client, "/jobcenter/aarhus/")
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(area=_jobcentre("aarhus"), municipality_id="727")  # Odder joins Aarhus
    assert not _sees_work(client, "/jobcenter/aarhus/")  # a neighbour's work is on it now


def _sees_work(client, url: str) -> bool:
    """Whether the page shows the area's own work (targets, commentary, reports) or only its public figures."""
    response = client.get(url)
    assert response.status_code == 200, url
    return 'class="jm-public-note"' not in response.content.decode()


def test_a_lost_data_version_renders_every_page_again(client, chief, demo_data):
    obs = _mm13()
    assert _pct(obs.value) in client.get(JOBCENTRE).content.decode()
    Observation.objects.filter(pk=obs.pk).update(value=Decimal("12.3"))
    cache.delete(data_version.key())  # as if Redis had lost it, keeping the pages (evicted, say)
    assert _pct(Decimal("12.3")) in client.get(JOBCENTRE).content.decode()


def test_without_a_data_version_the_page_asks_postgresql(client, chief, demo_data, monkeypatch):
    monkeypatch.setattr(data_version, "current", lambda: None)  # what it says while Redis cannot be reached
    obs = _mm13()
    assert _pct(obs.value) in client.get(JOBCENTRE).content.decode()
    Observation.objects.filter(pk=obs.pk).update(value=Decimal("12.3"))
    ImportRun.objects.create(source="file", status=ImportRun.Status.SUCCEEDED)  # a new version in PostgreSQL
    assert _pct(Decimal("12.3")) in client.get(JOBCENTRE).content.decode()


def test_with_redis_unreachable_the_page_comes_from_postgresql(client, chief, demo_data, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:9/0"}}
    obs = _mm13()
    assert _pct(obs.value) in client.get(JOBCENTRE).content.decode()  # the session from PostgreSQL too
    Observation.objects.filter(pk=obs.pk).update(value=Decimal("12.3"))
    ImportRun.objects.create(source="file", status=ImportRun.Status.SUCCEEDED)  # its bump is lost: no matter
    assert _pct(Decimal("12.3")) in client.get(JOBCENTRE).content.decode()


def test_a_cached_page_is_its_readers_own_and_carries_a_working_csrf_token(demo_data):
    from django.test import Client

    pages = []
    for name in ["kim", "lis"]:
        client = Client(enforce_csrf_checks=True)
        log_in(client, name, "chief", jobcentre=_jobcentre())
        User.objects.filter(username=name).update(first_name=name.title())
        client.get(JOBCENTRE)
        html = client.get(JOBCENTRE).content.decode()  # from the cache
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(tokens) == 1 and "\x00" not in html
        assert name.title() in html or name in html  # the header names its own reader
        pages.append((client, tokens.pop()))
    assert pages[0][1] != pages[1][1]
    client, token = pages[0]
    assert client.post("/konto/log-ud/", {"csrfmiddlewaretoken": token}).status_code == 302  # the token works
    assert not _sees_work(client, JOBCENTRE)  # logged out: the public figures only


@pytest.mark.parametrize(
    "choice",
    [
        "?indikator=MM13",
        "?indikator=MM13&region=1084&sorter=navn&retning=ned",
        "?indikator=MM13&niveau=jobcentre&gruppe=2",
    ],
)
def test_a_comparison_asked_for_again_needs_no_query(client, demo_data, django_assert_num_queries, choice):
    log_in(client, "ministry", "ministry")
    first = client.get("/sammenligning/" + choice)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/sammenligning/" + choice)
    assert again.status_code == 200
    assert _rows(again) == _rows(first) and len(_rows(first)) > 3


def _rows(response) -> list[str]:
    import re

    table = response.content.decode().split('id="comparison"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)', table)


def test_a_new_group_shows_at_once_and_a_bad_choice_is_not_kept(client, demo_data, django_capture_on_commit_callbacks):
    from municipalities import groups

    user = log_in(client, "ministry", "ministry")
    assert "Mine storbyer" not in client.get("/sammenligning/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        groups.save(user, "Mine storbyer", ["101", "751"])
    assert "Mine storbyer" in client.get("/sammenligning/").content.decode()
    assert client.get("/sammenligning/?sorter=tilfaeldig").status_code == 400
    assert client.get("/sammenligning/?sorter=tilfaeldig").status_code == 400  # an error is never served from cache


def test_the_comparison_costs_the_same_queries_whatever_the_filter_and_sort(client, demo_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from municipalities import data_version, groups

    user = log_in(client, "ministry", "ministry")
    group = groups.save(user, "Mine", ["101", "751", "155"])
    levels = {
        "kommuner": [
            "",
            "&region=1084",
            "&region=1084&gruppe=1&rar=hovedstaden",
            f"&egengruppe={group.code}",
            "&sorter=navn&retning=ned",
            "&gruppe=5&sorter=aendring",
        ],
        "jobcentre": ["", "&gruppe=2", "&region=1082&sorter=vaerdi", f"&egengruppe={group.code}&retning=ned"],
    }
    for level, choices in levels.items():
        counts = {}
        for choice in ["", *choices]:  # the first only warms what is cached apart from the page (user, demo banner)
            data_version.bump()  # nothing of the page in the cache
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/sammenligning/?indikator=MM13&niveau={level}{choice}").status_code == 200
            counts[choice] = len(captured)
        counts.pop("")
        assert len(set(counts.values())) == 1, (level, counts)


def _kept_pages(name: str = "page:comparison") -> list[bytes]:
    import redis
    from django.conf import settings

    server = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return sorted(server.scan_iter(match=f"{cache.key_prefix}:*{name}*", count=1000))
    finally:
        server.close()


def test_no_url_multiplies_the_kept_comparison_pages(client, demo_data):
    """R12 (issue 20): 100 variants of ?retning=x$i&kort=y$i made 101 kept pages. Invalid values are a 400 and are not
    kept; unknown parameters and defaults spelled out make no page of their own."""
    log_in(client, "ministry", "ministry")
    before = set(_kept_pages())  # other tests' readers' pages
    assert client.get("/sammenligning/").status_code == 200
    kept = set(_kept_pages()) - before
    assert len(kept) == 1

    answers = {client.get("/sammenligning/", {"retning": f"x{i}", "kort": f"y{i}"}).status_code for i in range(100)}
    answers |= {client.get("/sammenligning/", {"kort": f"y{i}"}).status_code for i in range(5)}
    assert answers == {400}
    same = [{"foo": i} for i in range(50)] + [
        {"retning": "op"},
        {"kort": "vaerdi"},
        {"niveau": "kommuner"},
        {"sorter": "placering", "utm_source": "mail"},
    ]
    assert {client.get("/sammenligning/", query).status_code for query in same} == {200}
    assert set(_kept_pages()) - before == kept


def test_every_key_the_cache_writes_expires_so_the_memory_limit_evicts_only_the_caches(client, demo_data):
    """The broker and the cache share a Redis whose policy (volatile-lru, config/services.py, docker-compose.yml)
    evicts only keys that expire: every key of the cache must have a timeout, or it could fill the memory the job
    queue needs."""
    import redis
    from django.conf import settings

    chief = log_in(client, "chief", "chief", jobcentre=_jobcentre())
    for url in [JOBCENTRE, GOAL, "/sammenligning/", "/benchmark/"]:
        assert client.get(url).status_code == 200, url
    client.post("/konto/log-ud/")
    client.post("/konto/log-ind/", {"username": chief.username, "password": "wrong"})
    server = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(server.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    forever = [key for key in keys if server.ttl(key) == -1]
    server.close()
    assert len(keys) > 5 and forever == []
