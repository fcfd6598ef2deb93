"""dashboard.kept_pages on its own: a small view decorated with `keep`, asked for through Django's request factory,
kept in the real Redis cache under the real data version."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory
from django.utils import translation

from dashboard import kept_pages
from municipalities import data_version
from tests.factories import user

pytestmark = pytest.mark.django_db

calls: list[str] = []
rights = {"work": True}


def _choice(request, name: str) -> str | None:
    return None if request.GET.get("download") else name


def _may_still(request, facts) -> bool:
    return facts == rights["work"]


@kept_pages.keep(_choice, check=_may_still)
def _view(request, name: str):
    calls.append(name)
    if name == "missing":
        return HttpResponse("gone", status=404)
    token = get_token(request)
    response = HttpResponse(f'<p>{name} for {request.user}</p><input name="csrfmiddlewaretoken" value="{token}">')
    response.kept = name != "adjusted"
    response.kept_facts = rights["work"]
    return response


@pytest.fixture(autouse=True)
def fresh():
    calls.clear()
    rights["work"] = True
    data_version.bump()  # nothing kept from an earlier test


def _get(who=None, path="/page/", method="get", **query):
    request = getattr(RequestFactory(), method)(path, query)
    request.user = who or AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    CsrfViewMiddleware(lambda r: None).process_request(request)
    return request


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_a_page_is_kept_per_reader_and_language_until_the_data_changes():
    kim, lis = user("kim"), user("lis")
    first = _view(_get(kim), name="jobcentre")
    again = _view(_get(kim), name="jobcentre")
    assert calls == ["jobcentre"] and "for kim" in again.content.decode()
    assert "for lis" in _view(_get(lis), name="jobcentre").content.decode()  # the header names its own reader
    with translation.override("en"):
        _view(_get(kim), name="jobcentre")
    assert calls == ["jobcentre"] * 3
    data_version.bump()
    _view(_get(kim), name="jobcentre")
    assert calls == ["jobcentre"] * 4
    assert first.status_code == again.status_code == 200


def test_each_request_gets_its_own_csrf_token_and_the_kept_page_holds_none():
    first = _view(_get(), name="comparison")
    again = _view(_get(), name="comparison")
    assert calls == ["comparison"]
    assert _token(first) != _token(again) and "\x00" not in again.content.decode()
    name = f"page:_view:da:anonymous:comparison:{data_version.database()}"
    from django.core.cache import cache

    kept_html = cache.get(name)[1][0]
    assert kept_pages.PLACEHOLDER in kept_html and _token(first) not in kept_html


@pytest.mark.parametrize(
    ("name", "query", "method"),
    [
        ("jobcentre", {"download": "csv"}, "get"),  # the key says: render afresh
        ("missing", {}, "get"),  # not a 200
        ("adjusted", {}, "get"),  # the response says it is not a page of its own
        ("jobcentre", {}, "post"),
    ],
)
def test_what_is_not_kept_is_rendered_every_time(name, query, method):
    for _ in range(2):
        _view(_get(method=method, **query), name=name)
    assert calls == [name, name]


def test_a_page_with_a_message_to_show_is_rendered_afresh():
    _view(_get(), name="jobcentre")
    request = _get()
    request._messages.add(25, "Gemt")
    _view(request, name="jobcentre")
    assert calls == ["jobcentre", "jobcentre"]


def test_a_kept_page_is_not_served_once_the_readers_rights_changed():
    _view(_get(), name="jobcentre")
    _view(_get(), name="jobcentre")
    rights["work"] = False
    _view(_get(), name="jobcentre")
    assert calls == ["jobcentre", "jobcentre"]
