import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_the_three_goals_and_every_municipality_and_jobcentre(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft." in html
    assert "Flere flygtninge og familiesammenførte skal være selvforsørgende." in html
    assert "Flere personer med handicap skal i beskæftigelse." in html
    assert "kvinder med indvandrerbaggrund" in html
    assert len(set(re.findall(r'href="/kommune/(\d{3})/"', html))) == 98
    assert len(set(re.findall(r'href="/jobcenter/([a-z0-9-]+)/"', html))) == 94
    assert "98 kommuner" in html and "94 jobcentre" in html
    assert "Beskæftigelsespolitiske mål 2020" in html  # a year is not a number: no thousands dot
    assert "21. februar 2019" in html


def test_home_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Companies must be ensured the necessary and qualified labour." in html
    assert "98 municipalities" in html


@pytest.fixture
def ministry(client):
    from municipalities.models import UserRole
    from tests.factories import log_in

    log_in(client, "ministry", UserRole.Role.MINISTRY)
    return client


def test_municipality_page_shows_its_reference_data(ministry):
    html = ministry.get("/kommune/563/").content.decode()
    assert "Fanø" in html
    assert "Region Syddanmark" in html
    assert "RAR Sydjylland" in html
    assert 'href="/jobcenter/esbjerg-fanoe/"' in html


def test_jobcentre_page_lists_the_municipalities_it_serves(ministry):
    html = ministry.get("/jobcenter/ishoej-vallensbaek/").content.decode()
    assert "/kommune/183/" in html and "/kommune/187/" in html


@pytest.mark.parametrize("url", ["/kommune/999/", "/kommune/abc/", "/jobcenter/atlantis/"])
def test_unknown_areas_are_404(ministry, url):
    assert ministry.get(url).status_code == 404


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy


def test_static_assets_are_served_by_the_app(client, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("dkfds/css/dkfds.min.css")
    assert finders.find("dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2")
    assert finders.find("plotly/plotly.min.js")
