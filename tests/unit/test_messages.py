"""Messages about bad input are kept as templates and shown in the reader's language (indicators/messages.py)."""

import datetime as dt

from django.utils import translation

from indicators.messages import N_, Date, Msg, Number, text


def test_a_message_is_translated_when_shown_not_when_made():
    message = Msg(N_("the share %(value)s is outside 0–100"), value="140,50")
    with translation.override("da"):
        assert str(message) == "andelen 140,50 ligger uden for 0–100"
    with translation.override("en"):
        assert str(message) == "the share 140,50 is outside 0–100"


def test_numbers_and_dates_are_written_the_readers_way():
    message = Msg(
        N_("the difference %(value)s is not %(actual)s − %(expected)s = %(computed)s (within rounding, %(tolerance)s)"),
        value="0,25",
        actual="9,28",
        expected="9,08",
        computed=Number("0.20"),
        tolerance=Number("1234.5"),
    )
    with translation.override("da"):
        assert str(message).endswith("= 0,2 (inden for afrunding, 1.234,5)")
    with translation.override("en"):
        assert str(message).endswith("= 0.2 (within rounding, 1,234.5)")
    assert str(Number(940)) == "940" and str(Number("9.4E+2")) == "940"
    ends = Msg(
        N_("period '%(period)s' lies in the future (it ends %(end)s)"), period="2027M01", end=Date(dt.date(2027, 1, 31))
    )
    with translation.override("da"):
        assert str(ends) == "perioden '2027M01' ligger i fremtiden (den slutter 31. januar 2027)"


def test_a_stored_message_comes_back_in_either_language():
    stored = Msg(N_("the count %(value)s is negative"), value="-10").as_json()
    assert stored == {"message": "the count %(value)s is negative", "params": {"value": "-10"}}
    with translation.override("da"):
        assert text(stored) == "antallet -10 er negativt"
    with translation.override("en"):
        assert text(stored) == "the count -10 is negative"
    assert text("plain text from an older run") == "plain text from an older run"
    numbered = Msg(N_("%(value)s is too large"), value=Number("1e15")).as_json()
    with translation.override("da"):
        assert text(numbered) == "1.000.000.000.000.000 er for stort"
