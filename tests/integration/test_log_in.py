"""Log-in hardening (issue 10): failed log-ins are throttled per username and per address, and the demo users,
whose password is published, log in on development machines only."""

import importlib
import time

import pytest
import redis
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import RequestFactory

from config import run
from municipalities import demo_users
from municipalities.login_throttle import _username_key, client_address
from municipalities.models import Area, UserRole
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/konto/log-ind/"
LOCKED_DA = "For mange mislykkede forsøg på at logge ind. Vent 15 minutter, og prøv igen."
LOCKED_EN = "Too many failed log-in attempts. Wait 15 minutes and try again."
WRONG_DA = "Indtast venligst korrekt brugernavn og adgangskode"


@pytest.fixture
def chief():
    aarhus = Area.objects.get(kind="jobcentre", code="aarhus")
    return factories.user("kim", "chief", password="the-right-password", jobcentre=aarhus)


def log_in(client, username, password, address="192.0.2.1", **headers):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(client) -> bool:
    return client.get("/grupper/").status_code == 200  # a page for logged-in readers only


def test_the_sixth_attempt_is_locked_even_with_the_right_password(client, chief):
    for _ in range(5):
        response = log_in(client, "kim", "a-guess")
        assert response.status_code == 200 and WRONG_DA in response.content.decode()
    response = log_in(client, "kim", "the-right-password")
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert LOCKED_DA in html and WRONG_DA not in html
    assert '<form method="post"' in html  # the log-in page itself, with the reason above the form
    assert not logged_in(client)
    # Not by another door either: the admin's log-in and any other caller of authenticate() are refused too.
    chief.is_staff = True
    chief.save()
    client.post("/admin/login/", {"username": "kim", "password": "the-right-password"}, REMOTE_ADDR="192.0.2.9")
    assert not logged_in(client)
    assert not client.login(username="kim", password="the-right-password")


def test_the_lock_is_said_in_english_when_the_page_is_english(client, chief):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # chosen, as the browser's language never decides
    for _ in range(5):
        log_in(client, "kim", "a-guess")
    response = log_in(client, "kim", "a-guess")
    assert response.status_code == 429 and LOCKED_EN in response.content.decode()


def test_failures_for_one_username_count_from_every_address(client, chief):
    for n in range(5):
        assert log_in(client, "kim", "a-guess", address=f"198.51.100.{n}").status_code == 200
    assert log_in(client, "kim", "the-right-password", address="198.51.100.99").status_code == 429
    # A differently written username is the same username.
    assert log_in(client, " KIM", "the-right-password", address="198.51.100.98").status_code == 429
    # Other users are not locked by it.
    factories.user("lone", password="her-own-password")
    assert log_in(client, "lone", "her-own-password", address="198.51.100.1").status_code == 302


def test_failures_from_one_address_count_across_usernames(client, chief, settings):
    assert settings.LOGIN_FAILURES_PER_ADDRESS == 20
    for n in range(20):
        assert log_in(client, f"guess-{n}", "password1", address="203.0.113.7").status_code == 200
    assert log_in(client, "kim", "the-right-password", address="203.0.113.7").status_code == 429
    assert log_in(client, "kim", "the-right-password", address="203.0.113.8").status_code == 302


def test_a_successful_log_in_clears_the_usernames_count(client, chief):
    for _ in range(4):
        log_in(client, "kim", "a-guess")
    assert log_in(client, "kim", "the-right-password").status_code == 302
    client.post("/konto/log-ud/")
    for _ in range(4):
        log_in(client, "kim", "a-guess", address="192.0.2.2")
    assert log_in(client, "kim", "the-right-password", address="192.0.2.2").status_code == 302


def test_the_lock_ends_after_the_lockout_time(client, chief, settings):
    """The lock is the count's expiry in Redis: the test reads the expiry Redis was given and then brings it
    forward, instead of waiting the lockout time out on the wall clock."""
    settings.LOGIN_LOCKOUT_SECONDS = 600
    for _ in range(5):
        log_in(client, "kim", "a-guess")
    assert log_in(client, "kim", "the-right-password").status_code == 429
    server = redis.Redis.from_url(settings.REDIS_URL)
    key = cache.make_key(_username_key("kim"))
    assert 590 < server.ttl(key) <= 600
    server.pexpire(key, 1)  # the ten minutes are over
    deadline = time.monotonic() + 5
    while server.exists(key):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    server.close()
    assert log_in(client, "kim", "the-right-password").status_code == 302


def _shipped_num_proxies() -> int:
    """NUM_PROXIES as the web service of docker-compose.yml gets it: production settings in a fresh process, with
    the environment the compose file gives (its ${NAME:-default} values at their defaults)."""
    import json
    import re
    import subprocess
    import sys

    import yaml

    from tests.unit.test_settings import PRODUCTION, ROOT, _clean_environ

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    shipped = {k: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(v)) for k, v in compose["x-app"]["environment"].items()}
    code = "import django, json; django.setup(); from django.conf import settings; print(settings.NUM_PROXIES)"
    env = {**_clean_environ(), **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("NUM_PROXIES", None)
    if "NUM_PROXIES" in shipped:
        env["NUM_PROXIES"] = shipped["NUM_PROXIES"]
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_forged_forwarded_addresses_do_not_escape_the_lock_in_the_shipped_stack(client, chief, settings):
    """R7 (issue 20): with production settings defaulting NUM_PROXIES to 1 and compose publishing gunicorn
    directly, 30 wrong log-ins with varied usernames and a forged X-Forwarded-For each were never locked."""
    settings.NUM_PROXIES = _shipped_num_proxies()
    answers = [
        log_in(client, f"guess-{i}", "password1", address="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.{i}.{i + 1}")
        for i in range(30)
    ]
    assert [a.status_code for a in answers] == [200] * 20 + [429] * 10
    assert (
        log_in(
            client, "kim", "the-right-password", address="198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.99.1"
        ).status_code
        == 429
    )


def test_the_address_is_the_one_the_proxies_saw(settings):
    factory = RequestFactory()
    settings.NUM_PROXIES = 0
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "10.0.0.2"
    settings.NUM_PROXIES = 1
    assert client_address(request) == "203.0.113.5"
    # What the client wrote itself stands left of what our proxy appended, and is ignored.
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_address(spoofed) == "203.0.113.5"
    assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    assert client_address(factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")) is None
    assert client_address(None) is None


# Demo users


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    assert demo_users.create() == ["chef", "formand", "ministerie"]
    settings.DEBUG = False


def test_demo_users_are_flagged_and_log_in_on_a_development_machine(client, demo, settings):
    assert set(UserRole.objects.filter(is_demo=True).values_list("user__username", flat=True)) == {
        "chef",
        "formand",
        "ministerie",
    }
    settings.DEBUG = True
    assert log_in(client, "chef", "jobmaal-demo").status_code == 302
    assert client.get("/jobcenter/taarnby-dragoer/").status_code == 200


@pytest.mark.parametrize("username", ["chef", "formand", "ministerie"])
def test_demo_users_are_refused_without_debug(client, demo, username):
    response = log_in(client, username, "jobmaal-demo")
    assert response.status_code == 200 and WRONG_DA in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not client.login(username=username, password="jobmaal-demo")


def test_a_demo_users_session_ends_without_debug(client, demo):
    client.force_login(User.objects.get(username="chef"))
    response = client.get("/jobcenter/taarnby-dragoer/rapporter/")
    assert response.status_code == 302 and response["Location"].startswith(URL)


def test_a_real_user_called_like_a_demo_user_logs_in(client, settings):
    assert settings.DEBUG is False
    aarhus = Area.objects.get(kind="jobcentre", code="aarhus")
    factories.user("chef", "chief", password="a-real-password", first_name="Kim", last_name="Chef", jobcentre=aarhus)
    assert log_in(client, "chef", "a-real-password").status_code == 302


def test_demo_users_are_not_created_without_debug(settings, capsys):
    from django.core.exceptions import ImproperlyConfigured

    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        demo_users.create()
    run._demo_users_and_charts(rendered_after_import=True)  # what `make run` does after loading the data
    assert "no demo users are created" in capsys.readouterr().out
    assert not User.objects.filter(username__in=["chef", "formand", "ministerie"]).exists()


def test_demo_users_made_before_the_flag_are_flagged_by_the_migration():
    migration = importlib.import_module("municipalities.migrations.0003_userrole_is_demo")
    jobcentre = Area.objects.get(kind="jobcentre", code="taarnby-dragoer")
    names = {"first_name": "Jobcenterchef", "last_name": "Tårnby-Dragør (demo)"}
    factories.user("chef", "chief", password=None, jobcentre=jobcentre, **names)
    factories.user("ministerie", "ministry", password=None, first_name="Ministeriets medarbejder (demo)")
    factories.user("formand", "chair", password=None, first_name="Kim", last_name="Formand", municipality_id="751")
    migration.flag_demo_users(apps, None)
    assert set(UserRole.objects.filter(is_demo=True).values_list("user__username", flat=True)) == {"chef", "ministerie"}


def test_a_page_that_needs_a_log_in_says_why(client):
    # Issue 21: anonymous readers followed links that all ended at the log-in page with no word of why.
    response = client.get("/kommune/185/rapporter/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(URL) and "kræver log-ind" in html and "eget arbejde" in html
    assert "kræver log-ind" not in client.get(URL).content.decode()  # opened on purpose: no explanation needed
