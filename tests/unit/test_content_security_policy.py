import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import POLICY, ContentSecurityPolicyMiddleware


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


def test_policy_allows_no_inline_script_or_style_and_lists_every_directive():
    assert "unsafe" not in POLICY  # neither 'unsafe-inline' nor 'unsafe-eval' nor 'unsafe-hashes'
    assert _directives(POLICY) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }


def test_static_files_go_out_without_the_policy():
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())

    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/static/plotly/plotly.css")).headers
    assert middleware(RequestFactory().get("/")).headers["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_a_page_carries_the_policy_and_the_other_security_headers(client):
    headers = client.get("/konto/log-ind/").headers

    assert headers["Content-Security-Policy"] == POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
