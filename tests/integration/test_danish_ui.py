"""The Danish UI speaks Danish to people (issue 12): every page each role opens is scanned, as text a person reads
(text and the names given to assistive technology, not URLs, form values or chart data), for source codes, period
codes, English words and English number formats. The source line of a figure may name the Jobindsats table, as
that is how a reader finds it on Jobindsats.dk; nothing else may."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from goals import rendering
from indicators import imports
from indicators.models import Indicator
from municipalities.models import Area
from tests import databases
from tests.factories import log_in

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    (re.compile(r"\b(?:MM1[03]|FORGREKR|Y\d\d[A-Z]\d\d)\b"), "a source code"),
    (re.compile(r"\bLOK-\d+-\d+\b"), "an own indicator's code"),
    (re.compile(r"\b\d{4}(?:M\d\d|QMAT\d\d|Q\d|H\d)\b"), "a period code"),
    (re.compile(r"\bproxy\b", re.I), "the word proxy"),
    (re.compile(r"\bseed\b|generated demo data|not real figures", re.I), "English demo text"),
    (re.compile(r"\b\d+\.\d\b(?!\.)"), "an English decimal point"),
    (re.compile(r"\b\d+k\b"), "an SI thousands suffix"),
    (re.compile(r"\b(?:Source|Change|Target|Comparable|Whole country|Download|Period|Value)\b"), "English words"),
]
SOURCE_LINE = re.compile(r"Jobindsats(?:\.dk)?,? tabel [A-Z0-9]+")


class Reader(HTMLParser):
    """The text a person reads: text nodes outside script, style and template, plus aria-label, title and alt."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def read(html: str) -> str:
    reader = Reader()
    reader.feed(html)
    return SOURCE_LINE.sub("", " ¶ ".join(reader.parts))


def _build():
    imports.demo()
    rendering.render(list(Area.objects.filter(code__in=["taarnby-dragoer", "185", "155", "751", "aarhus"])))
    Indicator.objects.create(
        code="LOK-155-1",
        name_da="Virksomhedsbesøg",
        name_en="Company visits",
        unit="count",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id="155",
    )


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with databases.for_module(django_db_blocker, databases.prepared("danish_ui", _build)):
        with django_db_blocker.unblock():
            own = Indicator.objects.get(code="LOK-155-1")
        yield own


PAGES = {
    "chief": [
        "/",
        "/jobcenter/taarnby-dragoer/",
        "/jobcenter/taarnby-dragoer/maal/1/",
        "/jobcenter/taarnby-dragoer/maal/2/",
        "/jobcenter/taarnby-dragoer/maal/3/",
        "/jobcenter/taarnby-dragoer/maal/2/maalsaetning/",
        "/jobcenter/taarnby-dragoer/lokale-indikatorer/",
        "/kommune/155/",
        "/sammenligning/",
        "/benchmark/",
        "/grupper/",
        "/jobcenter/taarnby-dragoer/sammenlignelige/",
        "/jobcenter/taarnby-dragoer/rapporter/",
        "/jobcenter/taarnby-dragoer/rapporter/tekster/",
    ],
    "chair": [
        "/",
        "/kommune/751/",
        "/kommune/751/maal/1/",
        "/kommune/751/maal/2/",
        "/kommune/751/maal/3/",
        "/kommune/751/sammenlignelige/",
        "/kommune/751/rapporter/",
    ],
    "ministry": [
        "/",
        "/sammenligning/",
        "/sammenligning/?niveau=jobcentre",
        "/benchmark/",
        "/import/",
        "/kommune/101/maal/2/",
    ],
    "anonymous": [
        "/",
        "/kommune/185/",
        "/kommune/155/maal/3/",
        "/jobcenter/taarnby-dragoer/maal/2/",
        "/kommune/185/sammenlignelige/",
        "/sammenligning/",
        "/benchmark/",
        "/konto/log-ind/",
    ],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_the_danish_ui_has_no_codes_or_english_for_people(client, data, role):
    if role != "anonymous":
        scope = {
            "chief": {"jobcentre": Area.objects.get(kind="jobcentre", code="taarnby-dragoer")},
            "chair": {"municipality_id": "751"},
            "ministry": {},
        }[role]
        log_in(client, role, role, first_name="Prøve", **scope)
    found = []
    for url in PAGES[role]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = read(response.content.decode())
        for pattern, what in FORBIDDEN:
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 60) : match.end() + 40].replace("\n", " ")
                found.append(f"{url}: {what} {match.group()!r} in …{context}…")
    assert found == [], "\n".join(found[:80]) + f"\n({len(found)} in all)"


ADMIN_ENGLISH = re.compile(
    r"\b(?:Django|Municipality|Indicator|Observation|Import run|Source column|Goal set|Status|Demo|Rows? \w+|Area|"
    r"Members|Jobcentre|User|Save|Delete|History|Add|Change|Search|Home)\b"
)


def test_the_admin_ministry_staff_use_is_jobmaals_and_danish(client, data):
    # Issue 21: "Django administration", English labels ("Municipality:") and the source columns as raw JSON.
    log_in(client, "ministeriet", "ministry", first_name="Prøve")
    mm10 = Indicator.objects.get(code="MM10")
    pages = [
        "/admin/",
        "/admin/indicators/indicator/",
        f"/admin/indicators/indicator/{mm10.pk}/change/",
        "/admin/indicators/sourcecolumn/",
        "/admin/municipalities/municipality/",
        "/admin/goals/goalset/",
        "/admin/goals/goal/",
    ]
    found = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Jobmål – administration" in html, url
        text = read(html)
        found += [
            f"{url}: {m.group()!r} in …{text[max(0, m.start() - 50) : m.end() + 30]}…"
            for m in ADMIN_ENGLISH.finditer(text)
        ]
    assert found == [], "\n".join(found[:60]) + f"\n({len(found)} in all)"
    change = client.get(f"/admin/indicators/indicator/{mm10.pk}/change/").content.decode()
    assert 'name="source_spec"' not in change and "jm-admin-columns" in change  # rows, not a JSON box
    assert "Samarbejde" in change  # the seeded dimension's label in the source, as a row


EXPORT_ENGLISH = re.compile(
    r"\b(?:DEMO DATA|generated|not real|Source|Change|Target|Period|Value|Area|Rank|Breakdown|Whole country|total|"
    r"Retrieved|Exported)\b|\b[a-z_]+=\S|\b(?:kon|opholdstid|samarbejde):"
)
EXPORTS = [
    "/sammenligning/?indikator=MM13&format=csv",
    "/sammenligning/?indikator=MM13&opdeling=kon%3DKvinder&format=xlsx",
    "/benchmark/?format=csv&tabel=rangering",
    "/benchmark/?format=xlsx&tabel=opfoelgning",
]


def test_the_exports_people_open_speak_danish_with_the_sources_labels(client, data):
    import io

    import openpyxl

    log_in(client, "ministeriet", "ministry", first_name="Prøve")
    found = []
    for url in EXPORTS:
        response = client.get(url)
        assert response.status_code == 200, url
        if "xlsx" in url:
            book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            text = " ¶ ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)
        else:
            text = response.content.decode("utf-8-sig")
        found += [
            f"{url}: {m.group()!r} in …{text[max(0, m.start() - 50) : m.end() + 30]}…"
            for m in EXPORT_ENGLISH.finditer(text)
        ]
    assert found == [], "\n".join(found[:60]) + f"\n({len(found)} in all)"
