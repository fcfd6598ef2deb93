"""Whole pages kept in the cache per reader, choice, language and data version (ADR 0011).

A view that chiefs and ministry staff ask for again and again (the jobcentre page, the comparison) is decorated with
`keep`, which owns everything about keeping it, so the view itself only reads the request, calls and renders:

- the key: the view's name, the language, who reads (a page's header names its reader), and the choices the view's
  `key` function says make the page; a `None` key (a query string the page does not know, a download) means the page
  is rendered afresh, so no URL can fill the cache with pages nobody else sees;
- what is not kept: a page with a message to show, anything but a 200, and a response that says so
  (`response.kept = False`, e.g. a choice replaced by a default);
- the CSRF token, which Django masks anew for every request: a placeholder when kept, the request's token when served;
- what is checked again on every request: the view may attach `response.kept_facts`, kept with the page, and `check`
  says whether the page may still be served to this reader (a role changed since it was kept).

The data version (municipalities.data_version) decides when a kept page is stale; when Redis cannot say, the view's
`fallback` reads a version from PostgreSQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from municipalities import data_version

PLACEHOLDER = "\x00csrf\x00"  # never in a rendered page: a NUL cannot come from our templates or data
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')

Key = Callable[..., "str | None"]


def reader(user) -> str:
    """Who a kept page is for: its header names the reader (all anonymous readers share one)."""
    if not user.is_authenticated:
        return "anonymous"
    return hashlib.sha256(f"{user.pk}:{user.get_full_name()}:{user.username}".encode()).hexdigest()[:16]


def without_csrf_token(html: str) -> str:
    """The rendered page with its CSRF token replaced by the placeholder, so it can be served with each request's."""
    return _CSRF_INPUT.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), html)


def with_csrf_token(request: HttpRequest, html: str) -> HttpResponse:
    return HttpResponse(html.replace(PLACEHOLDER, get_token(request)))


class _NotKept(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def keep(
    key: Key,
    *,
    check: Callable[[HttpRequest, object], bool] | None = None,
    fallback: Callable[..., tuple] | None = None,
):
    """Decorate a view whose page is kept whole. `key(request, *args, **kwargs)` names the page among the view's
    pages (None: render afresh); `check(request, facts)` whether a kept page may still be served to this reader;
    `fallback(*args, **kwargs)` the data version from PostgreSQL when Redis cannot say."""

    def decorate(view):
        @wraps(view)
        def kept(request, *args, **kwargs):
            choice = key(request, *args, **kwargs) if request.method in ("GET", "HEAD") else None
            if choice is None or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            language = "en" if (get_language() or "da").startswith("en") else "da"
            name = f"page:{view.__name__}:{language}:{reader(request.user)}:{choice}"

            def render() -> tuple[str, object]:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or not getattr(response, "kept", True):
                    raise _NotKept(response)
                return without_csrf_token(response.content.decode()), getattr(response, "kept_facts", None)

            since = (lambda: fallback(*args, **kwargs)) if fallback else None
            try:
                html, facts = data_version.cached(name, render, fallback=since)
                if check is not None and not check(request, facts):
                    html, facts = render()  # the reader's rights changed since the page was kept
            except _NotKept as refused:
                return refused.response
            return with_csrf_token(request, html)

        return kept

    return decorate
