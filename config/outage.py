"""When the database or the broker is down, a page that needs it answers 503 with a short Danish page saying so
(and Retry-After), instead of a 500 and a traceback. Pages that need neither keep working: the cache answers
"not cached" while Redis is down (config/cache.py)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def _outage(exc: BaseException) -> tuple[str, str] | None:
    """(Danish, English) wording of what is down, or None when the exception is not an outage."""
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from config.cache import RedisUnavailable

    if isinstance(exc, OperationalError | InterfaceError):
        return "Databasen svarer ikke lige nu.", "The database is not answering right now."
    if isinstance(exc, BrokerError | RedisConnectionError | RedisTimeoutError | RedisUnavailable):
        return "Køen til baggrundsjob (Redis) svarer ikke lige nu.", "The job queue (Redis) is not answering right now."
    return None


def unavailable_response(what: tuple[str, str]) -> HttpResponse:
    body = loader.get_template("503.html").render({"what_da": what[0], "what_en": what[1]})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        what = _outage(exception)
        if what is None:
            return None
        log.error("%s %s answered 503: %s: %s", request.method, request.path, exception.__class__.__name__, exception)
        return unavailable_response(what)
