"""Messages about bad input that speak the reader's language.

A message keeps its English template and its parameters and is translated when it is shown, not when it is
made: a reject recorded by the worker is read later, in Danish or English, by whoever opens the import run, and
`manage.py` prints it in the language it runs in. Templates are marked with `N_` so makemessages finds them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_noop as N_  # noqa: N812 (the conventional name for a no-op marker)

__all__ = ["N_", "Date", "Msg", "Number", "text", "visible"]


class Number:
    """A figure in a message, written as the reader writes numbers (0,20 in Danish, 0.20 in English)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = Decimal(str(value)).normalize() if value is not None else None

    def __str__(self) -> str:
        if self.value is None:
            return "–"
        value = self.value
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # normalize() writes 940 as 9.4E+2
        return number_format(value, use_l10n=True, force_grouping=True)

    def __eq__(self, other) -> bool:
        return isinstance(other, Number) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


class Date:
    """A date in a message, written as the reader writes dates (30. juni 2027 / June 30, 2027)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    def __str__(self) -> str:
        return date_format(self.value, "DATE_FORMAT", use_l10n=True)

    def __eq__(self, other) -> bool:
        return isinstance(other, Date) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


class Msg:
    """An English template with %(name)s parameters, translated when turned into text."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params

    def __str__(self) -> str:
        translated = gettext(self.template)
        return translated % {k: _shown(v) for k, v in self.params.items()} if self.params else translated

    def __repr__(self) -> str:
        return f"Msg({self.english()!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and (self.template, self.params) == (other.template, other.params)

    __hash__ = None  # type: ignore[assignment]

    def english(self) -> str:
        with override("en"):
            return visible(str(self))

    def as_json(self) -> dict:
        return {"message": self.template, "params": {k: _plain(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Msg:
        params = {k: _typed(v) for k, v in data.get("params", {}).items()}
        return cls(data["message"], **params)


def _shown(value) -> str:
    # A list parameter (several problems in one header, say) reads as one sentence of parts.
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v) for v in value)
    return str(value)


def _plain(value):
    # Parameters are stored as JSON; a nested message is stored as the text it has in English.
    if isinstance(value, Msg):
        return value.english()
    if isinstance(value, Number):
        return {"number": None if value.value is None else str(value.value)}
    if isinstance(value, Date):
        return {"date": value.value.isoformat()}
    if isinstance(value, Promise):  # a lazily translated label
        with override("en"):
            return str(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_plain(v)) for v in value)
    if isinstance(value, int):
        return value
    return visible(str(value))


def visible(text: str) -> str:
    """PostgreSQL stores no NUL in text or JSON: a bad file's NUL is kept as the visible escape."""
    return text.replace("\x00", "\\x00")


def _typed(value):
    if isinstance(value, dict) and "number" in value:
        return Number(value["number"])
    if isinstance(value, dict) and "date" in value:
        return Date(value["date"])
    return value


def text(message) -> str:
    """A stored message (dict from `as_json`, or plain text from before messages were stored) in the active
    language."""
    if isinstance(message, dict) and "message" in message:
        return str(Msg.from_json(message))
    return str(message or "")
