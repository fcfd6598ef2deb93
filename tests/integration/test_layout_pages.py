"""Issue 12: each role lands on their own page after logging in, the header's menu and the front page offer them
their own areas and only the pages they may open, and a refused or missing page says so in Danish with the way back."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from municipalities.models import Area
from tests.factories import log_in, user

pytestmark = pytest.mark.django_db
PASSWORD = "kodeord-til-test"
JOBCENTRE = "taarnby-dragoer"


def _details(name: str, scope: dict) -> dict:
    """Kim <Name> with the password the form takes, and a jobcentre's code in the scope resolved to its Area."""
    scope = dict(scope)
    if "jobcentre" in scope:
        scope["jobcentre"] = Area.objects.get(kind=Area.Kind.JOBCENTRE, code=scope["jobcentre"])
    return {"password": PASSWORD, "first_name": "Kim", "last_name": name.title(), **scope}


def _user(name: str, role: str | None, **scope) -> User:
    return user(name, role, **_details(name, scope))


USERS = {
    "chief": ("chief", {"jobcentre": JOBCENTRE}),
    "chair": ("chair", {"municipality_id": "751"}),
    "ministry": ("ministry", {}),
    "no role": (None, {}),
}


def _logged_in(client, who: str) -> Client:
    role, scope = USERS[who]
    name = who.replace(" ", "-")
    log_in(client, name, role, **_details(name, scope))
    return client


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("chief", f"/jobcenter/{JOBCENTRE}/"),
        ("chair", "/kommune/751/"),
        ("ministry", "/sammenligning/"),
        ("no role", "/"),
    ],
)
def test_logging_in_lands_on_the_readers_own_page(client, who, landing):
    role, scope = USERS[who]
    _user("kim", role, **dict(scope))
    response = client.post("/konto/log-ind/", {"username": "kim", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_page_that_sent_the_reader_to_log_in_wins_over_the_landing(client):
    _user("kim", "chief", jobcentre=JOBCENTRE)
    response = client.post(
        "/konto/log-ind/?next=/benchmark/", {"username": "kim", "password": PASSWORD, "next": "/benchmark/"}
    )
    assert response["Location"] == "/benchmark/"


def _menu(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('<nav class="nav"') : html.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" class="nav-link"[^>]*><span>([^<]+)</span>', nav)


def test_the_menu_names_the_chiefs_jobcentre_and_its_municipalities_and_marks_the_page_shown(client):
    html = _logged_in(client, "chief").get(f"/jobcenter/{JOBCENTRE}/maal/1/").content.decode()
    assert _menu(html) == [
        ("/", "Forside"),
        (f"/jobcenter/{JOBCENTRE}/", "Jobcenter Tårnby-Dragør"),
        ("/kommune/155/", "Dragør Kommune"),
        ("/kommune/185/", "Tårnby Kommune"),
        (f"/jobcenter/{JOBCENTRE}/rapporter/", "Rapporter"),  # the committee report of the chief's jobcentre
        ("/sammenligning/", "Sammenligning"),
        ("/benchmark/", "Benchmark"),
        ("/benchmark/#follow-up-heading", "Opfølgningsliste"),
        ("/grupper/", "Dine grupper"),
    ]
    assert f'<li class="active"><a href="/jobcenter/{JOBCENTRE}/" class="nav-link" aria-current="true">' in html
    html = client.get("/sammenligning/").content.decode()
    assert '<li class="active current"><a href="/sammenligning/" class="nav-link" aria-current="page">' in html


def test_the_menu_gives_a_chair_their_municipality_and_ministry_staff_the_import_runs(client):
    assert _menu(_logged_in(client, "chair").get("/").content.decode())[1] == ("/kommune/751/", "Aarhus Kommune")
    client.logout()
    menu = _menu(_logged_in(Client(), "ministry").get("/").content.decode())
    assert menu[1] == ("/sammenligning/", "Sammenligning")  # no own areas: they look after them all
    assert menu[-2:] == [("/import/", "Importkørsler"), ("/admin/", "Administration")]


def test_the_phone_menu_holds_the_account_and_the_language_switch(client):
    html = _logged_in(client, "chief").get("/").content.decode()
    drawer = html[html.index('<div class="mobile-drawer"') : html.index('<div class="overlay">')]
    assert 'class="navigation-menu-mobile"' in drawer and "Log ud" in drawer and 'value="en"' in drawer
    assert "Kim Chief" in drawer and 'aria-labelledby="menu-heading"' in drawer
    anonymous = Client().get("/").content.decode()
    drawer = anonymous[anonymous.index('<div class="mobile-drawer"') : anonymous.index('<div class="overlay">')]
    assert 'href="/konto/log-ind/"' in drawer and "navigation-menu-mobile" in drawer  # the public pages
    public = [("/", "Forside"), ("/sammenligning/", "Sammenligning"), ("/benchmark/", "Benchmark")]
    assert _menu(anonymous) == [*public, ("/benchmark/#follow-up-heading", "Opfølgningsliste")]


def _links(html: str, kind: str) -> set[str]:
    return set(re.findall(rf'href="/{kind}/([^/"]+)/"', html))


def test_the_front_page_lists_a_chiefs_own_areas_first_with_their_goals_then_every_area(client):
    html = _logged_in(client, "chief").get("/").content.decode()
    own = html[html.index('id="own-areas"') : html.index("</section>")]
    assert own.index("Jobcenter Tårnby-Dragør") < own.index("Dragør Kommune") < own.index("Tårnby Kommune")
    assert own.count("Mål 1</a>:") == 3 and own.count("Mål 3</a>:") == 3
    assert f'href="/jobcenter/{JOBCENTRE}/maal/2/"' in own and 'href="/kommune/155/maal/2/"' in own
    # Every area's national figures are public, so the lists hold them all.
    lists = html[html.index('id="municipalities-heading"') :]
    assert len(_links(lists, "kommune")) == 98 and len(_links(lists, "jobcenter")) == 94
    assert "98 kommuner" in lists and "94 jobcentre" in lists


def test_the_front_page_gives_a_chair_their_municipality_first(client):
    html = _logged_in(client, "chair").get("/").content.decode()
    own = html[html.index('id="own-areas"') : html.index("</section>")]
    assert "Aarhus Kommune" in own and _links(own, "kommune") == {"751"}


@pytest.mark.parametrize("who", ["ministry", "anonymous"])
def test_ministry_staff_and_visitors_get_every_area_and_no_own_ones(client, who):
    if who == "ministry":
        _logged_in(client, who)
    html = client.get("/").content.decode()
    assert 'id="own-areas"' not in html
    assert len(_links(html, "kommune")) == 98 and len(_links(html, "jobcenter")) == 94


def test_a_refused_page_says_so_in_danish_with_the_way_back(client):
    response = _logged_in(client, "chief").get("/kommune/751/rapporter/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Du har ikke adgang til denne side</h1>" in html and "Log ud" in html  # the site's own layout
    back = html[html.index('id="way-back"') :]
    assert 'href="/"' in back and f'href="/jobcenter/{JOBCENTRE}/">Jobcenter Tårnby-Dragør' in back


def test_a_missing_page_says_so_in_danish_with_the_way_back(client):
    response = _logged_in(client, "ministry").get("/kommune/999/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="da">' in html
    assert "<h1>Siden findes ikke</h1>" in html
    assert 'href="/sammenligning/">Sammenligning' in html[html.index('id="way-back"') :]
    anonymous = Client().get("/findes/ikke/").content.decode()
    assert 'href="/konto/log-ind/">Log ind' in anonymous[anonymous.index('id="way-back"') :]


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_the_500_page_needs_neither_the_database_nor_a_request(django_assert_num_queries):
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and "<h1>Der opstod en fejl</h1>" in html and 'href="/"' in html
    response = defaults.bad_request(request, Exception("bad"))
    assert response.status_code == 400 and "Forespørgslen kunne ikke forstås" in response.content.decode()
