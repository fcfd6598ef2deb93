"""Jobmål is Danish first: the language a page is shown in is the one its reader chose — remembered on their role
when they are logged in, in a cookie otherwise — and Danish when they chose none. Never the browser's
Accept-Language: an English browser in a Danish jobcentre still gets Danish (issue 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from municipalities import access


def chosen(request) -> str:
    languages = dict(settings.LANGUAGES)
    user = getattr(request, "user", None)
    try:
        role = access.role_of(user) if user is not None else None
    except (OperationalError, InterfaceError):
        # The database is down: the page is still worded in the cookie's language, and the view that needs the
        # database answers 503 (config/outage.py) — a middleware's exception would be a 500.
        role = None
    if role is not None and role.language in languages:
        return role.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in languages else settings.LANGUAGE_CODE


class DanishFirstMiddleware:
    """Django's LocaleMiddleware without the browser's say (and without language prefixes in URLs, which Jobmål does
    not use). After AuthenticationMiddleware: a logged-in reader's choice is on their role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


@access.rule("public")
def set_language(request):
    """Django's set_language (the cookie, the redirect back), and for a logged-in user with a role the choice kept
    on the role, so that it follows them to another browser."""
    response = django_set_language(request)
    language = request.POST.get("language")
    role = access.role_of(request.user) if request.method == "POST" else None
    if role is not None and language in dict(settings.LANGUAGES) and role.language != language:
        role.language = language
        role.save(update_fields=["language"])  # its post_save forgets the cached user and role
    return response
