from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import benchmark, messages
from municipalities.models import Area, Municipality


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", _("Per cent")
        PERSONS = "persons", _("Persons")
        FULLTIME = "fulltime", _("Full-time persons")
        COUNT = "count", _("Count")
        RANK = "rank", _("Rank")

    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher", _("Higher is better")
        LOWER_BETTER = "lower", _("Lower is better")
        NEUTRAL = "neutral", _("Neutral")

    class Frequency(models.TextChoices):
        MONTHLY = "M", _("Monthly")
        QUARTERLY = "Q", _("Quarterly")
        HALF_YEARLY = "H", _("Half-yearly")
        ROLLING_YEAR = "QMAT", _("Rolling four quarters")
        YEARLY = "Y", _("Yearly")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local to one municipality")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices)
    frequency = models.CharField(_("frequency"), max_length=5, choices=Frequency.choices)
    area_level = models.CharField(
        _("published for"), max_length=20, choices=Area.Kind.choices, default=Area.Kind.MUNICIPALITY
    )
    source_table = models.CharField(_("source table"), max_length=40, blank=True)
    source_measure = models.CharField(_("source measure"), max_length=200, blank=True)
    definition_da = models.TextField(_("definition (Danish)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    is_proxy = models.BooleanField(
        _("proxy"), default=False, help_text=_("Stands in for a goal that has no direct indicator.")
    )
    source_spec = models.JSONField(
        _("source columns"),
        default=dict,
        blank=True,
        help_text=_("How the source table's columns map to dimensions and measures (see the seeded indicators)."),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.NATIONAL)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_indicators",
        verbose_name=_("municipality"),
        help_text=_("Only for local indicators: the municipality that defined it."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="national", municipality__isnull=True) | Q(scope="local", municipality__isnull=False),
                name="indicator_local_has_municipality",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def headline_key(self) -> tuple[str, str]:
        """(measure, breakdown) of the figure that stands for the indicator; a local indicator has one, "value"."""
        spec = self.source_spec or {}
        return spec.get("headline", "value"), spec.get("headline_breakdown", "")

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "da").startswith("en") else self.name_da

    @property
    def definition(self) -> str:
        return self.definition_en if (get_language() or "da").startswith("en") else self.definition_da


class ImportRunQuerySet(models.QuerySet):
    def fail(self, message: messages.Msg) -> int:
        """Mark these runs failed now with `message` (kept in English and as the message, shown translated)."""
        return self.update(
            status=ImportRun.Status.FAILED,
            phase="failed",
            finished_at=timezone.now(),
            error=message.english(),
            error_message=message.as_json(),
        )


class ImportRun(models.Model):
    """One pass of figures into the store: from the API, a file, the demo generator or a derivation."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=20)
    table = models.CharField(_("table"), max_length=300, blank=True)
    periods = models.TextField(_("periods"), blank=True)
    origin = models.TextField(_("origin"), blank=True, help_text=_("File name or API query"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    is_demo = models.BooleanField(_("demo"), default=False)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_derived = models.PositiveIntegerField(_("rows derived"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written with every step of a run: a run that has said nothing for a long while has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The task that runs it (name, keyword arguments, queue), to send again when its whole worker is gone, and how
    # many times that was done (indicators/runs.py).
    task = models.JSONField(_("task"), null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(_("resumed"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rejects = models.JSONField(_("first rejects"), default=list, blank=True)
    # Figures that were imported but look wrong against each other (a benchmark rank the shares contradict, a
    # country total that is not the sum of the municipalities): kept, and shown on the run.
    warnings = models.JSONField(_("data warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The error as a message (indicators/messages.py), shown in the reader's language; `error` is its English text.
    error_message = models.JSONField(_("error (message)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.table} ({self.status})"

    @property
    def periods_in_words(self) -> str:
        from indicators.periods import text_in_words

        return text_in_words(self.periods)

    def table_names(self, names: dict[str, str]) -> str:
        """The tables as people name them, from {code: name} (a code the catalogue does not know stays a code)."""
        return ", ".join(names.get(c.strip(), c.strip()) for c in self.table.split(",") if c.strip())

    @property
    def source_display(self) -> str:
        return str(dict(Observation.Source.choices).get(self.source, self.source))

    @property
    def error_text(self) -> str:
        return messages.text(self.error_message) if self.error_message else self.error

    @property
    def reject_list(self) -> list[dict]:
        return [{**r, "reason": messages.text(r.get("reason_message") or r.get("reason"))} for r in self.rejects]

    @property
    def warning_list(self) -> list[dict]:
        return [{**w, "text": messages.text(w.get("message_json") or w.get("text"))} for w in self.warnings]

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.started_at and self.finished_at else None


class SourceColumn(models.Model):
    """A label or id by which the source names one of an indicator's columns (see indicators/columns.py).

    The seeded labels live in `Indicator.source_spec`; these add to them, from the table's metadata
    (`manage.py sync_catalogue --columns`) or by hand in the admin, so a relabelled column is a data change."""

    class Role(models.TextChoices):
        MEASURE = "measure", _("Measure")
        DIMENSION = "dimension", _("Breakdown (dimension)")
        IGNORE = "ignore", _("Known column, not imported")

    class Origin(models.TextChoices):
        METADATA = "metadata", _("Table metadata")
        ADMIN = "admin", _("Entered in the admin")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="source_columns", verbose_name=_("indicator")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEASURE)
    key = models.CharField(
        _("Jobmål key"), max_length=60, blank=True, help_text=_("The measure or dimension key in the source columns.")
    )
    label = models.CharField(
        _("label"), max_length=300, blank=True, help_text=_("The column header as the source writes it.")
    )
    source_id = models.CharField(
        _("source id"), max_length=100, blank=True, help_text=_("E.g. _ygrp_y30r21 or a measure id.")
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.ADMIN)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator", "role", "key", "label"]
        verbose_name = _("source column")
        verbose_name_plural = _("source columns")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "role", "key", "label", "source_id"], name="source_column_unique"
            ),
            models.CheckConstraint(condition=~Q(label="", source_id=""), name="source_column_label_or_id"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.key or '—'}: {self.label or self.source_id}"

    def clean(self):
        from django.core.exceptions import ValidationError

        spec = self.indicator.source_spec or {} if self.indicator_id else {}
        keys = {
            self.Role.MEASURE: set(spec.get("measures", {}).values()),
            self.Role.DIMENSION: set(spec.get("dimensions", {}).values()),
        }.get(self.role)
        if keys is not None and self.key not in keys:
            raise ValidationError(
                {"key": _("Choose one of this indicator's keys: %(keys)s") % {"keys": ", ".join(sorted(keys)) or "—"}}
            )
        if not self.label and not self.source_id:
            raise ValidationError(_("Give the label, the source id or both."))


class SourceTable(models.Model):
    """A table in Jobindsats' catalogue, as /v3/tables lists it."""

    table_id = models.CharField(_("table"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    update_latest = models.CharField(_("last updated"), max_length=40, blank=True)
    update_next = models.CharField(_("next update"), max_length=40, blank=True)
    update_freq = models.CharField(_("update frequency"), max_length=40, blank=True)
    synced_at = models.DateTimeField(_("synced at"))

    class Meta:
        ordering = ["table_id"]
        verbose_name = _("source table")
        verbose_name_plural = _("source tables")

    def __str__(self) -> str:
        return f"{self.table_id} {self.name}"


def headline_q(indicator: Indicator, *, breakdown: str | None = None, every_breakdown: bool = False) -> Q:
    """The filter for an indicator's headline figures: its headline measure and breakdown, or another `breakdown` of
    the same measure (the one a card leads with), or the measure in `every_breakdown` (a report's data sheet). One
    place knows what "the indicator's figure" is."""
    measure, headline_breakdown = indicator.headline_key
    if every_breakdown:
        return Q(indicator=indicator, measure=measure)
    return Q(indicator=indicator, measure=measure, breakdown=headline_breakdown if breakdown is None else breakdown)


# A figure's own fields beside its indicator and area: what an import stages per row, the API shows, a test compares.
FIGURE_FIELDS = (
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "measure",
    "value",
    "numerator",
    "denominator",
    "status",
)


class ObservationQuerySet(models.QuerySet):
    """The reads of figures that the cards, charts, comparison and API share."""

    def for_areas(self, areas) -> ObservationQuerySet:
        """Areas as objects, ids or a queryset of areas."""
        return self.filter(area__in=areas)

    def published(self) -> ObservationQuerySet:
        """As the source published them: without the figures Jobmål derived (jobcentre and country sums)."""
        return self.filter(is_derived=False)

    def headline(self, indicator: Indicator) -> ObservationQuerySet:
        return self.filter(headline_q(indicator))

    def headlines(self, indicators) -> ObservationQuerySet:
        """The headline figures of several indicators, in one query."""
        wanted = Q(pk__in=[])
        for indicator in indicators:
            wanted |= headline_q(indicator)
        return self.filter(wanted)

    def benchmark(self, measure: str | None = None) -> ObservationQuerySet:
        """The ministry's benchmark (Y30R21) of the municipalities; of one `measure` in total (no benefit group)."""
        figures = self.filter(indicator__code=benchmark.CODE, area__kind=Area.Kind.MUNICIPALITY)
        return figures if measure is None else figures.filter(measure=measure, breakdown="")

    def newest_per_series(self) -> ObservationQuerySet:
        """The newest period's figure of each series (indicator × area × breakdown × measure), in one query. (Not
        named `latest`: Django's `latest()` gives one object.)"""
        series = ["indicator_id", "area_id", "breakdown", "measure"]
        return self.order_by(*series, "-period_start").distinct(*series)


class Observation(models.Model):
    """One figure: indicator × area × period × breakdown × measure."""

    class Status(models.TextChoices):
        FINAL = "final", _("Final")
        PROVISIONAL = "provisional", _("Provisional")
        SUPPRESSED = "suppressed", _("Suppressed")
        REVISED = "revised", _("Revised")

    class Source(models.TextChoices):
        API_V3 = "api_v3", _("Jobindsats API v3")
        API_V2 = "api_v2", _("Jobindsats API v2")
        FILE = "file", _("Jobindsats file")
        DEMO = "demo", _("Demo data (generated)")
        DERIVED = "derived", _("Derived by Jobmål")
        MANUAL = "manual", _("Entered by the municipality")

    # No database constraints on these two keys: PostgreSQL checks a foreign key row by row at COMMIT, which cost
    # a million-row import 11 of its 28 seconds (bench/bench_import.py). The pipeline checks both set-wise instead
    # (its area ids come from the area table, and it joins the staged rows to it before writing), and Django keeps
    # PROTECT and CASCADE on delete.
    # Nor single-column indexes: the unique key leads with the indicator, observation_area_series with the area.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        db_constraint=False,
        db_index=False,
        verbose_name=_("indicator"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="observations",
        db_constraint=False,
        db_index=False,
        verbose_name=_("area"),
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("Raw code, e.g. 2020M01, 2020Q1, 2020QMAT02"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Canonical "dimension=value" pairs joined by "|", sorted; "" is the total. A string keeps the unique
    # key simple and indexable.
    breakdown = models.CharField(_("breakdown"), max_length=200, default="", blank=True)
    measure = models.CharField(_("measure"), max_length=60, default="value")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FINAL)
    is_demo = models.BooleanField(_("demo"), default=False)
    is_derived = models.BooleanField(_("derived"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    query = models.TextField(_("query"), blank=True)
    retrieved_at = models.DateTimeField(_("retrieved at"))
    # No database constraint: provenance only, and a deferred foreign-key check per row at COMMIT costs a third of
    # a large import's commit time (bench/bench_import.py). Django still sets it to NULL when a run is deleted.
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        db_constraint=False,
        verbose_name=_("import run"),
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "area", "period_start", "breakdown", "measure"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown", "measure"], name="observation_key_unique"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="observation_period"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(status="suppressed"), name="observation_missing_is_suppressed"
            ),
        ]
        indexes = [
            models.Index(fields=["area", "indicator", "period_start"], name="observation_area_series"),
            models.Index(fields=["indicator"], condition=Q(is_demo=True), name="observation_demo"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.breakdown or 'total'} {self.measure}"


class ObservationRevision(models.Model):
    """A figure the source changed after Jobmål had stored it (late registrations, corrections)."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("observation")
    )
    old_value = models.DecimalField(_("old value"), max_digits=20, decimal_places=6, null=True, blank=True)
    new_value = models.DecimalField(_("new value"), max_digits=20, decimal_places=6, null=True, blank=True)
    old_numerator = models.DecimalField(_("old numerator"), max_digits=20, decimal_places=6, null=True, blank=True)
    new_numerator = models.DecimalField(_("new numerator"), max_digits=20, decimal_places=6, null=True, blank=True)
    old_denominator = models.DecimalField(_("old denominator"), max_digits=20, decimal_places=6, null=True, blank=True)
    new_denominator = models.DecimalField(_("new denominator"), max_digits=20, decimal_places=6, null=True, blank=True)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, related_name="revisions", verbose_name=_("import run")
    )
    revised_at = models.DateTimeField(_("revised at"))

    class Meta:
        ordering = ["-revised_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.old_value} → {self.new_value}"
