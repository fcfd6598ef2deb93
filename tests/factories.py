"""Small builders for test input."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone

from indicators import periods
from indicators.models import FIGURE_FIELDS, Observation
from municipalities.models import UserRole

DATA = Path(__file__).resolve().parent / "data"

MM13_HEADER = [
    "Område",
    "Periode",
    "Køn",
    "Opholdstid",
    "Andel i beskæftigelse (pct.)",
    "Beskæftigede",
    "Personer i alt",
]


def csv_bytes(rows: list[list], header: list[str] = MM13_HEADER, encoding: str = "utf-8") -> bytes:
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def v3_json(table_id: str, columns: list[str], rows: list[list]) -> bytes:
    return json.dumps({"table_id": table_id, "columns": columns, "rows": rows}, ensure_ascii=False).encode()


def observation(indicator, area, period: str = "2020M01", value=None, **fields) -> Observation:
    """One stored figure of `indicator` for `area` (objects), its dates from the period code; entered by hand unless
    `source=` says otherwise, suppressed when it has no value."""
    span = periods.parse(period)
    fields.setdefault("source", Observation.Source.MANUAL)
    fields.setdefault("retrieved_at", timezone.now())
    if value is None:
        fields.setdefault("status", Observation.Status.SUPPRESSED)
    return Observation.objects.create(
        indicator=indicator,
        area=area,
        period=period,
        period_start=span.start,
        period_end=span.end,
        value=value,
        **fields,
    )


def snapshot() -> list[tuple]:
    """Everything stored about observations, to prove a failed import changed nothing."""
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk", "indicator_id", "area_id", *FIGURE_FIELDS, "is_demo", "source", "retrieved_at", "import_run_id"
        )
    )


# The key the local stand-in for the Jobindsats API expects (tests/integration/conftest.py), and client options
# that skip the back-off waits.
API_KEY = "test-key-0123456789"
NO_WAIT = {"sleep": lambda seconds: None}


def user(
    username: str,
    role: str | None = None,
    *,
    password: str | None = "x",  # noqa: S107 (a test user's)
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    **scope,
) -> User:
    """A user with a Jobmål role (a chief's `jobcentre=`, a chair's `municipality_id=`), or none when `role` is None;
    `password=None` makes one that cannot log in with a password."""
    created = User.objects.create_user(
        username, email=email, password=password, first_name=first_name, last_name=last_name
    )
    if role:
        UserRole.objects.create(user=created, role=role, **scope)
    return created


def superuser(username: str, *, password: str = "x", email: str = "") -> User:  # noqa: S107 (a test user's)
    """A superuser: the admin with every permission (the test of what only a superuser may do)."""
    return User.objects.create_superuser(username, email or f"{username}@example.dk", password)


def log_in(client, username: str, role: str | None = None, **kwargs) -> User:
    """`user(...)` made and logged in on the Django test `client` (no form, no password check), returned."""
    created = user(username, role, **kwargs)
    client.force_login(created)
    return created


def xlsx_bytes(*rows) -> bytes:
    """A workbook whose first sheet holds the rows, as Excel would save it (formulas without cached results)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
