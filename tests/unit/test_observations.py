import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import Indicator, Observation
from municipalities.models import Area

pytestmark = pytest.mark.django_db


def _observation(**overrides) -> Observation:
    fields = {
        "indicator": Indicator.objects.get(code="MM13"),
        "area": Area.objects.get(kind="municipality", code="101"),
        "period": "2020M01",
        "period_start": dt.date(2020, 1, 1),
        "period_end": dt.date(2020, 1, 31),
        "breakdown": "",
        "measure": "andel",
        "value": Decimal("41.3"),
        "source": Observation.Source.FILE,
        "retrieved_at": timezone.now(),
    }
    fields.update(overrides)
    return Observation(**fields)


def test_the_key_is_unique():
    _observation().save()
    with pytest.raises(IntegrityError, match="observation_key_unique"), transaction.atomic():
        _observation(value=Decimal("40.0")).save()


def test_the_same_figure_for_another_breakdown_measure_or_area_is_a_new_row():
    _observation().save()
    _observation(breakdown="kon=Kvinder").save()
    _observation(measure="antal").save()
    _observation(area=Area.objects.get(kind="country")).save()
    assert Observation.objects.count() == 4


def test_a_missing_value_must_be_stored_as_suppressed():
    with pytest.raises(IntegrityError, match="observation_missing_is_suppressed"), transaction.atomic():
        _observation(value=None).save()
    _observation(value=None, status=Observation.Status.SUPPRESSED).save()
    assert Observation.objects.get().value is None
