import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_describes_the_production_stack(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
        assert services[name]["healthcheck"]["test"], name
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert set(compose["volumes"]) == {"pgdata", "redisdata"}
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_composes_redis_has_a_memory_limit_that_evicts_only_the_caches_keys(compose):
    """The same limit and policy as the embedded Redis of `make run` (config/services.REDIS_MEMORY)."""
    from config import services

    command = compose["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == services.REDIS_MEMORY[3] == "volatile-lru"
    assert command[command.index("--maxmemory") + 1] == "${REDIS_MAXMEMORY:-256mb}"


def test_compose_app_services_share_the_environment_and_wait_for_healthy_servers(compose):
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["env_file"] == ".env"
    assert compose["services"]["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_a_development_env_file_never_reaches_a_deployment(compose):
    # The image is built without it; a compose stack next to one (a developer trying the stack) keeps DEBUG off.
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", "var", "node_modules", ".git", "test-artifacts"} <= ignored
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["DEBUG"] == "false"


def test_no_secret_is_written_into_the_repository_files(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?", text)
    assert "SECRET_KEY" not in text


@pytest.mark.django_db
def test_healthz_answers_without_host_validation_and_names_each_dependency(client):
    from django.core.cache import cache

    from indicators import tasks

    cache.delete(tasks.HEARTBEAT_KEY)
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["postgresql"] == {"ok": True} and body["checks"]["redis"]["ok"]
    assert body["checks"]["worker"] == {"ok": False, "heartbeat_seconds_ago": None}
    # A stopped worker makes the strict probe fail, not the web's own.
    assert client.get("/healthz?strict=1").status_code == 503
    tasks.heartbeat()  # as the worker runs it every minute
    assert client.get("/healthz?strict=1").json()["checks"]["worker"]["ok"] is True
    assert client.get("/healthz?strict=1").status_code == 200


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_healthz_is_503_and_names_redis_when_redis_is_unreachable(client, settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"] == {"ok": False} and checks["postgresql"] == {"ok": True}
