"""What a committee report holds, gathered once and handed to each exporter (PDF, XLSX, CSV): the same cards,
charts and own indicators as the dashboard shows (goals.progress, the stored charts), the sentence per goal, and
the notes on the data. Always in Danish: the report goes to a Danish committee."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone, translation

from goals import local_indicators, progress
from goals import peers as peer_groups
from goals.models import ChartSnapshot, Commentary, Goal, GoalIndicator, GoalSet
from indicators.models import ImportRun, Indicator, Observation
from indicators.periods import in_words
from municipalities import access
from municipalities.models import Area, danish_sort_key
from reports import releases, texts
from reports.models import ReportText

LANGUAGE = "da"


@dataclass
class Section:
    goal: Goal
    cards: list[progress.Card]
    generated: str  # the sentence as written from the figures
    text: str  # as it goes out: the chief's edit, or the generated one
    edited: ReportText | None
    charts: list[ChartSnapshot]
    own: list[tuple[Indicator, Observation | None]]
    commentary: Commentary | None


@dataclass
class Source:
    indicator: Indicator
    table: str
    retrieved_at: dt.datetime | None
    is_demo: bool


@dataclass
class Content:
    area: Area
    jobcentre: Area | None
    members: list[Area]
    release: ImportRun
    goal_set: GoalSet
    peers: peer_groups.Peers
    sections: list[Section]
    sources: list[Source]
    notes: list[str]
    definitions: list[tuple[Indicator, str]]
    is_demo: bool
    latest_period: str | None
    rar: Area | None = None  # the RAR area of the area's municipalities: forgæves rekrutteringer is published for it
    built_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def year(self) -> int:
        return self.goal_set.year

    @property
    def data_as_of(self) -> str:
        return in_words(self.latest_period) if self.latest_period else "–"

    @property
    def cards(self) -> list[progress.Card]:
        return [card for section in self.sections for card in section.cards]


def scope(area: Area) -> tuple[list[Area], Area | None]:
    """The municipalities an area's report covers and the jobcentre whose targets and texts apply (as on its page)."""
    if area.kind == Area.Kind.JOBCENTRE:
        codes = list(area.members_on().values_list("code", flat=True))
        members = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes)
        return sorted(members, key=lambda a: danish_sort_key(a.name)), area
    return [area], access.jobcentre_of(area)


def generated_texts(area: Area, year: int) -> dict[int, str]:
    """The sentence per goal number, from the figures as they are now."""
    with translation.override(LANGUAGE):
        members, jobcentre = scope(area)
        cards, _peers = progress.cards(area, members, jobcentre, year)
        return _sentences(cards, area)


def _sentences(cards: list[progress.Card], area: Area) -> dict[int, str]:
    """Each goal's sentences, one per card with a figure, as one text per goal number."""
    out: dict[int, list[str]] = {}
    for card in cards:
        if sentence := texts.sentence(card, area.name):
            out.setdefault(card.goal.number, []).append(sentence)
    return {number: " ".join(parts) for number, parts in out.items()}


def gather(area: Area, release: ImportRun, year: int) -> Content:
    with translation.override(LANGUAGE):
        return _gather(area, release, year)


def _gather(area: Area, release: ImportRun, year: int) -> Content:
    goal_set = GoalSet.objects.get(year=year)
    members, jobcentre = scope(area)
    cards, peers = progress.cards(area, members, jobcentre, year)
    edits = {t.goal_number: t for t in ReportText.objects.filter(area=area, release=release, year=year)}
    commentaries = {c.goal_id: c for c in Commentary.objects.filter(jobcentre=jobcentre)} if jobcentre else {}
    charts = list(
        ChartSnapshot.objects.filter(area=area, goal_set=goal_set, language=LANGUAGE).order_by("goal_number", "order")
    )
    own = local_indicators.latest(members)
    own_goal = dict(
        GoalIndicator.objects.filter(indicator__in=[i for i, _obs in own], goal__goal_set=goal_set).values_list(
            "indicator_id", "goal__number"
        )
    )
    sections, sentences = [], _sentences(cards, area)
    for goal in goal_set.goals.order_by("number"):
        goal_cards = [c for c in cards if c.goal.pk == goal.pk]
        generated = sentences.get(goal.number, "")
        edited = edits.get(goal.number)
        sections.append(
            Section(
                goal=goal,
                cards=goal_cards,
                generated=generated,
                text=edited.text if edited else generated,
                edited=edited,
                charts=[c for c in charts if c.goal_number == goal.number],
                own=[(i, obs) for i, obs in own if own_goal.get(i.pk) == goal.number],
                commentary=commentaries.get(goal.pk),
            )
        )
    rar = (
        Area.objects.filter(kind=Area.Kind.RAR, memberships__municipality_id=members[0].municipality_id)
        .order_by("-memberships__valid_from")
        .first()
    )
    shown = [c for c in cards if c.period]
    latest = max(shown, key=lambda c: c.period).period if shown else None
    return Content(
        area=area,
        jobcentre=jobcentre,
        members=members,
        release=release,
        goal_set=goal_set,
        peers=peers,
        sections=sections,
        sources=_sources(cards, charts, own, [area, *members, rar] if rar else [area, *members]),
        notes=_notes(cards, release, area, members),
        definitions=_definitions(cards, charts, own),
        is_demo=any(c.is_demo for c in cards) or any(c.is_demo for c in charts) or release.is_demo,
        latest_period=latest,
        rar=rar,
    )


def _indicators(cards, charts, own) -> list[Indicator]:
    """Every indicator the report shows, in the order it shows them."""
    codes = [c.indicator.code for c in cards] + [c.key.split("-")[0] for c in charts]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    found.update({i.code: i for i, _obs in own})
    ordered = dict.fromkeys([*codes, *(i.code for i, _obs in own)])
    return [found[code] for code in ordered if code in found]


def _sources(cards, charts, own, areas: list[Area]) -> list[Source]:
    """Each indicator's source and when the report's own figures of it were fetched (the area, its municipalities,
    the country and the RAR area: what the report shows)."""
    indicators = _indicators(cards, charts, own)
    areas = [*areas, Area.objects.get(kind=Area.Kind.COUNTRY)]
    retrieved = dict(
        Observation.objects.for_areas(areas)
        .filter(indicator__in=indicators)
        .order_by()  # else the model's ordering joins the GROUP BY: a row per figure, not per indicator
        .values("indicator_id")
        .annotate(at=Max("retrieved_at"))
        .values_list("indicator_id", "at")
    )
    demo = set(
        Observation.objects.for_areas(areas)
        .filter(indicator__in=indicators, is_demo=True)
        .order_by()
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return [Source(i, i.source_table, retrieved.get(i.pk), i.pk in demo) for i in indicators]


def _notes(cards, release: ImportRun, area: Area, members: list[Area]) -> list[str]:
    notes = []
    for card in cards:
        if "provisional" in card.flags:
            notes.append(
                f"{card.indicator.name_da}: tallet for {in_words(card.period)} er foreløbigt og kan blive "
                "rettet, når Jobindsats opdaterer det."
            )
    areas = {area.pk, *(m.pk for m in members)}
    headline = [c.indicator for c in cards]
    before = releases.previous(release)
    figures = Observation.objects.for_areas(areas).filter(indicator__in=headline)
    revised = figures.filter(status=Observation.Status.REVISED)
    if before is not None:
        revised = revised.filter(import_run_id__gt=before.pk)
    count = revised.count()
    if count:
        notes.append(f"{count} tidligere offentliggjorte tal for området er rettet siden sidste udgivelse.")
    elif before is not None:
        notes.append("Ingen tidligere offentliggjorte tal for området er rettet siden sidste udgivelse.")
    suppressed = figures.filter(status=Observation.Status.SUPPRESSED).count()
    if suppressed:
        notes.append(f"{suppressed} tal er diskretioneret af Jobindsats (for få personer) og vises som –.")
    return notes


def _definitions(cards, charts, own) -> list[tuple[Indicator, str]]:
    return [(i, i.definition_da) for i in _indicators(cards, charts, own)]
