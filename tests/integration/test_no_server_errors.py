"""No request is a server error (issue 20, "0 × 500"): every URL of the URLconf, every query parameter and form
field a view reads, given what a careless user or an attacker sends (digits of other scripts, NUL, deep nesting,
huge values), is answered with a page or a refusal that names what was wrong, never a 500.

The seen cases come first; then a property-based test (hypothesis) draws URLs, parameters and values over the whole
URLconf, as the chief (who may write the most) and as ministry staff (who may read the most)."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from municipalities.models import Area
from tests.integration.test_access_matrix import CannotBuild, World, client_for, patterns, urls
from tests.integration.test_access_matrix import world as world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "dashboard", "goals", "indicators", "municipalities", "reports"]


@pytest.mark.parametrize("value", ["²", "¹²", "①", "٣", "2\x00"])
def test_the_benchmarks_number_of_periods_in_another_script_is_a_400_naming_it(client, value):
    """R1: /benchmark/?perioder=² was a ValueError (str.isdigit takes superscripts, int() does not)."""
    from tests.factories import log_in

    log_in(client, "ministerie", "ministry")
    response = client.get("/benchmark/", {"perioder": value})
    assert response.status_code == 400
    if "\x00" not in value:
        assert "antallet af perioder skal være et helt tal" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/indicators/", "/api/v1/observations/"])
def test_a_deeply_nested_json_body_is_a_400_not_a_recursion_error(url):
    """R2: 100,000 '[' as a JSON body exhausted the parser's stack before CSRF was checked."""
    from tests.factories import user

    # As a browser without the CSRF token (the CSRF check reads the body), and as one with it.
    for client in [Client(enforce_csrf_checks=True), client_for(AnonymousUser())]:
        client.force_login(user(f"ministerie-{len(client.cookies)}", "ministry"))
        for method in ["POST", "PUT", "PATCH"]:
            response = client.generic(method, url, "[" * 100_000, content_type="application/json")
            assert response.status_code in {400, 403, 405}, method
            if response.status_code == 400:
                assert "nested deeper than 32 levels" in response.content.decode()


@pytest.mark.parametrize("field", [{"name": "\x00"}, {"name": "Mine", "kommuner": ["101\x00", "147"]}])
def test_a_nul_in_a_form_field_is_a_400_and_nothing_is_saved(client, field):
    """R3: POST /grupper/ with name=%00 or kommuner=101%00 was 'A string literal cannot contain NUL'."""
    from tests.factories import log_in

    log_in(client, "ministerie", "ministry")
    before = Area.objects.filter(kind=Area.Kind.CUSTOM).count()
    response = client.post("/grupper/", {"kommuner": ["101", "147"], **field})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert Area.objects.filter(kind=Area.Kind.CUSTOM).count() == before


def parameter_names() -> list[str]:
    """Every name a view reads from the query string or a form: read from the source (`GET.get("x")`,
    `params.get("x")`, `POST.getlist("x")`, the API's `query_values(request, "x")`) and from every form class's
    fields, so that a parameter added later is tried without this list being kept."""
    names: set[str] = set()
    reads = re.compile(
        r"""(?:GET|POST|params|query)\.get(?:list)?\(\s*["'](\w+)["']|query_values\(request, ["'](\w+)["']"""
    )
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for match in reads.finditer(path.read_text()):
                names.add(match[1] or match[2])
    for form in _form_classes():
        names.update(form.base_fields)
    return sorted(names)


def _form_classes() -> list[type]:
    import importlib

    found = []
    for app in APPS:
        if (ROOT / app / "forms.py").exists():
            module = importlib.import_module(f"{app}.forms")
            found += [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, django_forms.Form)]
    return found


# What is typed, pasted or forged into a field: digits of other scripts, NUL and other control characters, deep
# nesting, very long or very large values, markup and formulas, and anything else text can hold.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "²",
            "¹²",
            "①",
            "٣٤",
            "߂",
            "Ⅻ",
            "\x00",
            "101\x00",
            "\x1b[0m",
            "\ufeff",
            "\u202e",
            "-0",
            "1e309",
            "NaN",
            "-1",
            "99999999999999999999",
            "0,0000001",
            "2020M13",
            "9999Q9",
            "[" * 5000,
            "{" * 5000,
            "x" * 20_000,
            '=HYPERLINK("http://evil.example")',
            "<script>",
            "'; DROP TABLE x; --",
            "..",
            "%00",
            "%C2%B2",
            " ",
            "",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.text(st.sampled_from("0123456789²①٣\x00[{,.;-=% é"), min_size=1, max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def _targets(of: World) -> list[str]:
    """Every buildable URL but the admin's (its forms are Django's own) and the log-out (it ends the session)."""
    found = []
    for pattern in patterns():
        if pattern.namespaces[:1] == ("admin",) or pattern.name in {"logout", "login"}:
            continue
        try:
            found += [url for _, url, _ in urls(pattern, of)]
        except CannotBuild:
            continue
    return sorted(set(found))


ANSWERS: collections.Counter = collections.Counter()  # status codes seen, printed for the record


def _probe(client: Client, url: str, method: str, data: dict, failures: list[str]) -> None:
    if method == "GET":
        response = client.get(url, data)
    elif method == "POST":
        response = client.post(url, data)
    else:
        response = client.post(url, data["body"], content_type="application/json")
    ANSWERS[response.status_code] += 1
    if response.status_code >= 500:
        failures.append(f"{method} {url} {data!r:.300}: {response.status_code}")


@pytest.mark.parametrize("role", ["chief", "ministry"])
def test_no_url_parameter_or_form_field_makes_a_server_error(world, role):
    """Property-based: for each URL, hypothesis draws methods, names and values (10 requests per URL and role)."""
    user = world.users.get(role) or AnonymousUser()
    client = client_for(user)
    targets, names = _targets(world), parameter_names()
    assert len(targets) > 30 and {"perioder", "kommuner", "name", "indicator", "retning", "value"} <= set(names)
    failures: list[str] = []

    def probe_url(url: str) -> None:
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(
            method=st.sampled_from(["GET", "POST", "JSON"]),
            # A few fields, or every name at once (what this view reads, the rest of the URLconf's beside it).
            data=st.one_of(
                st.dictionaries(st.sampled_from(names), HOSTILE, min_size=1, max_size=4),
                st.fixed_dictionaries({name: HOSTILE for name in names}),
            ),
        )
        def probe(method, data):
            if method == "JSON":
                data = {"body": data.popitem()[1]}
            _probe(client, url, method, data, failures)
            if "_auth_user_id" not in client.session:
                client.force_login(user)

        probe()

    for url in targets:
        probe_url(url)
    print(f"{role}: {sum(ANSWERS.values())} requests to {len(targets)} URLs, answers {dict(sorted(ANSWERS.items()))}")
    ANSWERS.clear()
    assert not failures, "server errors:\n" + "\n".join(failures)
