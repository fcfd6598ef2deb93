"""Committee reports: a municipality's or jobcentre's progress as PDF, Excel and CSV, built by the worker and kept
per area × data release × format, so that a report once built is served again as it was (frozen per release)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    area = models.ForeignKey(
        "municipalities.Area", on_delete=models.CASCADE, related_name="reports", verbose_name=_("area")
    )
    # The data release: the newest import that wrote figures when the report was asked for (reports.releases).
    release = models.ForeignKey(
        "indicators.ImportRun", on_delete=models.CASCADE, related_name="reports", verbose_name=_("data release")
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    year = models.PositiveSmallIntegerField(_("goal year"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Times the sweep sent a waiting report's task again, its message taken for lost; each wait is twice the last.
    resends = models.PositiveSmallIntegerField(_("resends"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    is_demo = models.BooleanField(_("demo"), default=False)
    in_pack = models.BooleanField(_("part of the release pack"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written with every step: a report that has said nothing for a while lost its worker and is queued again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)

    class Meta:
        ordering = ["-release_id", "format"]
        constraints = [
            models.UniqueConstraint(fields=["area", "release", "format", "year"], name="one_report_per_release"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.area} #{self.release_id} {self.format} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE


class ReportText(models.Model):
    """The sentence a goal's section opens with: generated from the figures, and as the jobcentre's chief edited
    it before the report goes out. Kept per area and release; every edit is logged (ReportTextEdit)."""

    area = models.ForeignKey("municipalities.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    release = models.ForeignKey(
        "indicators.ImportRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("data release")
    )
    year = models.PositiveSmallIntegerField(_("goal year"))
    goal_number = models.PositiveSmallIntegerField(_("goal"))
    text = models.TextField(_("text"), max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "release", "year", "goal_number"], name="one_text_per_goal"),
        ]
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")

    def __str__(self) -> str:
        return f"{self.area} #{self.release_id} goal {self.goal_number}"


class ReportTextEdit(models.Model):
    area = models.ForeignKey("municipalities.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    release = models.ForeignKey(
        "indicators.ImportRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("data release")
    )
    year = models.PositiveSmallIntegerField(_("goal year"))
    goal_number = models.PositiveSmallIntegerField(_("goal"))
    old_text = models.TextField(_("before"))
    new_text = models.TextField(_("after"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("report text edit")
        verbose_name_plural = _("report text edits")

    def __str__(self) -> str:
        return f"{self.area} #{self.release_id} goal {self.goal_number} at {self.at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """A user who is e-mailed a link when a new release pack holds a report for the area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions", verbose_name=_("user")
    )
    area = models.ForeignKey("municipalities.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sent_release = models.ForeignKey(
        "indicators.ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last release sent"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="one_subscription_per_area")]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")

    def __str__(self) -> str:
        return f"{self.user} → {self.area}"


class Pack(models.Model):
    """A data release's pack, queued once: however often the import's end is announced (per table, again after a
    retry), one row per release says it is on its way (reports/packs.py)."""

    release = models.OneToOneField(
        "indicators.ImportRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("data release")
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("release pack")
        verbose_name_plural = _("release packs")

    def __str__(self) -> str:
        return f"pack #{self.release_id}"
