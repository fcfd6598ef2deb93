from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator


def _english() -> bool:
    return (get_language() or "da").startswith("en")


class GoalSetQuerySet(models.QuerySet):
    def current(self, year: int | None = None) -> GoalSet | None:
        """The goal set a page shows: the year asked for; else DEFAULT_GOAL_YEAR (2020) when it exists, else the
        newest. A later year's goals are added in the admin and shown with `?aar=<year>`, no code changed."""
        if year is not None:
            return self.filter(year=year).first()
        return self.filter(year=settings.DEFAULT_GOAL_YEAR).first() or self.order_by("-year").first()


class GoalSet(models.Model):
    """The minister's employment-policy goals for one year, as announced in a letter."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    letter_date = models.DateField(_("letter dated"))
    letter_from = models.CharField(_("from"), max_length=200)
    letter_to = models.CharField(_("to"), max_length=300)
    summary_da = models.TextField(_("summary (Danish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    objects = GoalSetQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("goal set")
        verbose_name_plural = _("goal sets")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def summary(self) -> str:
        return self.summary_en if _english() else self.summary_da


class Goal(models.Model):
    goal_set = models.ForeignKey(GoalSet, on_delete=models.CASCADE, related_name="goals", verbose_name=_("goal set"))
    number = models.PositiveSmallIntegerField(_("number"))
    text_da = models.TextField(_("wording (Danish, official)"))
    text_en = models.TextField(_("wording (English)"))
    note_da = models.TextField(_("note from the letter (Danish)"), blank=True)
    note_en = models.TextField(_("note from the letter (English)"), blank=True)
    indicators = models.ManyToManyField(
        Indicator, through="GoalIndicator", related_name="goals", blank=True, verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["goal_set", "number"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["goal_set", "number"], name="goal_number_unique_per_set")]

    def __str__(self) -> str:
        return f"{self.goal_set.year}.{self.number} {self.text_da}"

    @property
    def text(self) -> str:
        return self.text_en if _english() else self.text_da

    @property
    def note(self) -> str:
        return self.note_en if _english() else self.note_da


class GoalIndicator(models.Model):
    class Role(models.TextChoices):
        HEADLINE = "headline", _("Headline indicator")
        SUPPORTING = "supporting", _("Supporting indicator")
        PROXY = "proxy", _("Proxy indicator")
        LOCAL = "local", _("Local indicator")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="goal_indicators", verbose_name=_("goal"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="goal_links", verbose_name=_("indicator")
    )

    class Chart(models.TextChoices):
        TREND = "trend", _("Lines over time")
        INDEX = "index", _("Lines over time as an index (counts of areas of different size)")
        BARS = "bars", _("Bars over time")

    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # How the goal's pages, charts and reports show the indicator: the goal set is the one source of it (issue 22).
    # Where its figures exist (an indicator published only for RAR areas) is the indicator's own `area_level`.
    chart = models.CharField(_("chart"), max_length=8, choices=Chart.choices, default=Chart.TREND)
    with_country = models.BooleanField(_("with the whole country"), default=True)
    with_peers = models.BooleanField(_("with comparable municipalities"), default=True)
    lead_breakdown = models.CharField(
        _("breakdown the card leads with"),
        max_length=200,
        blank=True,
        help_text=_("As the source names it, e.g. kon=Kvinder; empty: the total."),
    )
    lead_label_da = models.CharField(_("its label (Danish)"), max_length=60, blank=True)
    lead_label_en = models.CharField(_("its label (English)"), max_length=60, blank=True)
    breakdown_charts = models.JSONField(
        _("charts by breakdown"),
        default=list,
        blank=True,
        help_text=_(
            'One chart per entry, in this order, before the headline chart: {"dimension": "kon", "key": "gender", '
            '"label_da": "Køn", "label_en": "Gender", "by_da": "efter køn", "by_en": "by gender", and either '
            '"series" ([[breakdown, Danish label, English label], …] in order) or "sort": "years" (every value, '
            "by years)}."
        ),
    )

    class Meta:
        ordering = ["goal", "order"]
        verbose_name = _("goal indicator")
        verbose_name_plural = _("goal indicators")
        constraints = [models.UniqueConstraint(fields=["goal", "indicator"], name="goal_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.goal} → {self.indicator.code}"

    @property
    def lead_label(self) -> str:
        return self.lead_label_en if _english() else self.lead_label_da

    def clean(self) -> None:
        """An invalid specification is refused where it is entered (the admin), naming the field and the entry."""
        errors = {}
        if self.lead_breakdown and "=" not in self.lead_breakdown:
            errors["lead_breakdown"] = _(
                "Write the breakdown as the source names it: dimension=value, e.g. kon=Kvinder."
            )
        if self.lead_breakdown and not (self.lead_label_da and self.lead_label_en):
            errors["lead_label_da"] = _("A card that leads with a breakdown needs its label in Danish and English.")
        problems = _chart_problems(self.breakdown_charts)
        if problems:
            errors["breakdown_charts"] = problems
        if errors:
            raise ValidationError(errors)


BREAKDOWN_CHART_TEXTS = ("dimension", "key", "label_da", "label_en", "by_da", "by_en")


def _series_entry(entry, prefix: str) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 3
        and all(isinstance(t, str) and t for t in entry)
        and (entry[0].startswith(prefix))
    )


def _chart_problems(entries) -> list[str]:
    if not isinstance(entries, list):
        return [_("Give a list of charts, one {…} per chart, or [] for none.")]
    problems, keys = [], set()
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            problems.append(_("Chart %(n)d: give it as {…} with its fields.") % {"n": n})
            continue
        missing = [name for name in BREAKDOWN_CHART_TEXTS if not str(entry.get(name) or "").strip()]
        if missing:
            problems.append(_("Chart %(n)d lacks %(fields)s.") % {"n": n, "fields": ", ".join(missing)})
        key = str(entry.get("key") or "")
        if key and not re.fullmatch(r"[a-z0-9]+", key):
            problems.append(_("Chart %(n)d: its key %(key)r may hold only a–z and 0–9.") % {"n": n, "key": key})
        elif key in keys:
            problems.append(_("Chart %(n)d: the key %(key)r is used twice.") % {"n": n, "key": key})
        keys.add(key)
        series, sort = entry.get("series"), entry.get("sort")
        if series is None and sort not in ("years", "labels"):
            problems.append(_('Chart %(n)d needs "series" or "sort": "years" or "labels".') % {"n": n})
        prefix = f"{entry.get('dimension')}="
        if series is not None and not (
            isinstance(series, list) and series and all(_series_entry(s, prefix) for s in series)
        ):
            problems.append(
                _('Chart %(n)d: "series" lists each breakdown as [%(dimension)s=…, Danish label, English label].')
                % {"n": n, "dimension": entry.get("dimension")}
            )
    return problems


class Target(models.Model):
    """A jobcentre's own target for an indicator in a year, e.g. from its beskæftigelsesplan."""

    jobcentre = models.ForeignKey(
        "municipalities.Area",
        on_delete=models.CASCADE,
        related_name="targets",
        limit_choices_to={"kind": "jobcentre"},
        verbose_name=_("jobcentre"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["jobcentre", "indicator", "year"]
        verbose_name = _("local target")
        verbose_name_plural = _("local targets")
        constraints = [
            models.UniqueConstraint(fields=["jobcentre", "indicator", "year"], name="target_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.jobcentre} {self.indicator.code} {self.year}: {self.value}"


class Commentary(models.Model):
    """The chief's short commentary on a goal, shown on the goal card."""

    jobcentre = models.ForeignKey(
        "municipalities.Area",
        on_delete=models.CASCADE,
        related_name="commentaries",
        limit_choices_to={"kind": "jobcentre"},
        verbose_name=_("jobcentre"),
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="commentaries", verbose_name=_("goal"))
    text = models.TextField(_("commentary"), max_length=1000)
    updated_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")
        constraints = [models.UniqueConstraint(fields=["jobcentre", "goal"], name="commentary_unique_per_goal")]

    def __str__(self) -> str:
        return f"{self.jobcentre} {self.goal}"


class Change(models.Model):
    """Every change a user makes to targets, commentary and local indicator values: who, when, old and new."""

    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    jobcentre = models.ForeignKey(
        "municipalities.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("jobcentre")
    )
    # What the change belongs to, so that a goal's page lists its own changes only: the goal of a target, of a
    # commentary or of an own indicator, and the indicator whose target or value changed (its values are numbers).
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes", verbose_name=_("goal")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("indicator")
    )
    what = models.CharField(_("what"), max_length=200)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.what}"

    @staticmethod
    def text(value) -> str:
        """A number for the log, the same however it was typed or stored (47.5, not 47.50); "" for none."""
        return "" if value is None else f"{Decimal(value).normalize():f}"


class ChartSnapshot(models.Model):
    """A chart rendered after an import, stored so that a page view does no chart work: the Plotly figure, its
    data table and its summary, per area, chart and language, with the data version it was built from."""

    area = models.ForeignKey(
        "municipalities.Area", on_delete=models.CASCADE, related_name="charts", verbose_name=_("area")
    )
    # Each year's goals have their own charts (their own indicators, targets and memberships), stored side by side
    # so that a page switching between years never draws a chart in the request.
    goal_set = models.ForeignKey(GoalSet, on_delete=models.CASCADE, related_name="charts", verbose_name=_("goal set"))
    key = models.CharField(_("chart"), max_length=60)
    language = models.CharField(_("language"), max_length=5)
    goal_number = models.PositiveSmallIntegerField(_("goal"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    data_version = models.PositiveIntegerField(_("data version"), help_text=_("The newest import run it includes."))
    title = models.CharField(_("title"), max_length=200)
    figure = models.JSONField(_("figure"))
    table = models.JSONField(_("table"))
    summary = models.TextField(_("summary"))
    is_demo = models.BooleanField(_("demo"), default=False)
    built_at = models.DateTimeField(_("built"), auto_now=True)

    class Meta:
        ordering = ["area", "goal_set", "goal_number", "order"]
        verbose_name = _("chart")
        verbose_name_plural = _("charts")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "goal_set", "key", "language"], name="chart_unique_per_area_goal_set_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.goal_set_id} {self.key} ({self.language}, v{self.data_version})"


class ChartRefresh(models.Model):
    """An area whose charts are queued to be rendered again (after a target or an own indicator changed). The
    page says "opdateres…" while it exists; the rebuild removes it. It lives in the database, not in the broker,
    so a rebuild that could not be queued (Redis down) is not forgotten: a sweep every minute picks it up."""

    area = models.OneToOneField(
        "municipalities.Area",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="chart_refresh",
        verbose_name=_("area"),
    )
    requested_at = models.DateTimeField(_("requested"))

    class Meta:
        verbose_name = _("chart refresh")
        verbose_name_plural = _("chart refreshes")

    def __str__(self) -> str:
        return f"{self.area_id} @ {self.requested_at:%Y-%m-%d %H:%M:%S}"


class QueuedUpload(models.Model):
    """An own-indicator file waiting for the worker: a large file or a workbook is parsed there, never in a web
    request. Kept in the database (at most MAX_UPLOAD bytes) so the worker finds it wherever it runs; deleted when
    the import is done, whatever its outcome."""

    run = models.OneToOneField(
        "indicators.ImportRun",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("import run"),
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator"))
    jobcentre = models.ForeignKey(
        "municipalities.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("jobcentre")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("queued upload")
        verbose_name_plural = _("queued uploads")

    def __str__(self) -> str:
        return f"{self.name} (import {self.run_id})"
