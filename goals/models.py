from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator


def _english() -> bool:
    return (get_language() or "da").startswith("en")


class GoalSet(models.Model):
    """The minister's employment-policy goals for one year, as announced in a letter."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    letter_date = models.DateField(_("letter dated"))
    letter_from = models.CharField(_("from"), max_length=200)
    letter_to = models.CharField(_("to"), max_length=300)
    summary_da = models.TextField(_("summary (Danish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

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
    goal_set = models.ForeignKey(GoalSet, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text_da = models.TextField(_("wording (Danish, official)"))
    text_en = models.TextField(_("wording (English)"))
    note_da = models.TextField(_("note from the letter (Danish)"), blank=True)
    note_en = models.TextField(_("note from the letter (English)"), blank=True)
    indicators = models.ManyToManyField(Indicator, through="GoalIndicator", related_name="goals", blank=True)

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

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="goal_indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="goal_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["goal", "order"]
        verbose_name = _("goal indicator")
        verbose_name_plural = _("goal indicators")
        constraints = [models.UniqueConstraint(fields=["goal", "indicator"], name="goal_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.goal} → {self.indicator.code}"
