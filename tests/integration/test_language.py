"""Danish first (issue 12): the browser's Accept-Language never decides; English only when chosen, and a logged-in
user's choice follows them to another browser."""

import pytest
from django.test import Client

from municipalities.models import Area, UserRole
from tests import factories

pytestmark = pytest.mark.django_db


def lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_danish_until_english_is_chosen(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
    page = client.get("/konto/log-ind/", **english_browser)
    assert lang(page) == "da" and "Log ind" in page.content.decode() and page["Content-Language"] == "da"
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/log-ind/"}, **english_browser)
    assert chosen.status_code == 302 and chosen["Location"] == "/konto/log-ind/"
    page = client.get("/konto/log-ind/", **english_browser)
    assert lang(page) == "en" and "Log in" in page.content.decode()


def test_a_users_choice_follows_them_to_another_browser():
    first = Client()
    user = factories.log_in(first, "chef", "chief", jobcentre=Area.objects.get(kind="jobcentre", code="aarhus"))
    first.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert UserRole.objects.get(user=user).language == "en"
    other = Client()  # no cookie: another browser
    other.force_login(user)
    assert lang(other.get("/jobcenter/aarhus/", HTTP_ACCEPT_LANGUAGE="da")) == "en"
    other.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert lang(first.get("/jobcenter/aarhus/")) == "da"  # the first browser's cookie says en; the user said da


def test_an_unknown_language_changes_nothing(client):
    user = factories.log_in(client, "formand", "chair", municipality_id="751")
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert UserRole.objects.get(user=user).language == ""
    assert lang(client.get("/kommune/751/")) == "da"
