"""Jobindsats answering 429 (Too Many Requests) for a whole minute, from a real local HTTP server. The client
waits as Retry-After says, gives up after its attempts without writing anything, and the run says why; the task
is retried later by Celery (autoretry on TransientSourceError), and once the minute is over the retry writes
every row. The minute passes on a clock the server and the client's waits share, not on the wall."""

import json

import pytest
from werkzeug import Response

from indicators import imports, tasks
from indicators.models import ImportRun, Observation
from indicators.sources.jobindsats import TransientSourceError
from tests.factories import snapshot
from tests.integration.test_jobindsats_api import MM13_DATA, MM13_META

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


class Clock:
    def __init__(self):
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_a_minute_of_429_writes_nothing_then_the_retry_writes_everything(api):
    clock = Clock()
    answered = {"429": 0}

    def limited(body):
        def handler(request):
            if clock.now < 60:
                answered["429"] += 1
                return Response("rate limited", status=429, headers={"Retry-After": "20"})
            return Response(body, content_type="application/json")

        return handler

    api.expect_request("/v3/table/MM13").respond_with_handler(limited(json.dumps(MM13_META)))
    api.expect_request("/v3/data/MM13").respond_with_handler(limited(json.dumps(MM13_DATA)))
    before = snapshot()

    with pytest.raises(TransientSourceError, match="429"):
        imports.from_api("MM13", client_options={"sleep": clock.sleep})
    assert clock.waits == [20.0, 20.0] and answered["429"] == 3  # Retry-After obeyed, then given up
    assert snapshot() == before  # nothing written
    failed = ImportRun.objects.latest("pk")
    assert failed.status == ImportRun.Status.FAILED and "429" in failed.error

    # The task is retried by Celery with growing back-off; by the time it runs again the minute is over.
    assert TransientSourceError in tasks.import_table.autoretry_for and tasks.import_table.max_retries >= 3
    clock.sleep(tasks.import_table.retry_backoff)
    run = imports.from_api("MM13", client_options={"sleep": clock.sleep})
    assert run.status == ImportRun.Status.SUCCEEDED and run.rows_rejected == 0
    assert Observation.objects.filter(import_run=run, is_derived=False).count() == run.rows_created > 0
