import re

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from indicators.models import ImportRun, Indicator, Observation, SourceColumn


def in_sight(request, indicators):
    """The indicators an admin user may see or choose: all for a superuser, the national catalogue for ministry
    staff. A municipality's own indicator, its name, columns, goal links and runs are its jobcentre's working
    material (indicators/visibility.py), never listed, offered as a choice or changed here (issue 20, R8)."""
    return indicators if request.user.is_superuser else indicators.filter(scope=Indicator.Scope.NATIONAL)


class NationalChoices:
    """For an admin whose rows point to an indicator: only rows and choices of indicators in sight."""

    indicator_path = "indicator"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.indicator_path}__scope": Indicator.Scope.NATIONAL})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = in_sight(request, Indicator.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SourceColumnInline(NationalChoices, admin.TabularInline):
    """The labels and ids by which the source names this indicator's columns, beside the seeded ones in the
    source columns field: add one here when Jobindsats relabels a measure."""

    model = SourceColumn
    extra = 1
    fields = ["role", "key", "label", "source_id", "origin", "updated_at"]
    readonly_fields = ["updated_at"]


KEY = re.compile(r"^[a-z0-9_]+$")


def _lines(spec_part: dict) -> str:
    return "\n".join(f"{label} = {key}" for label, key in spec_part.items())


class IndicatorForm(forms.ModelForm):
    """How the source's columns are read and the figures added up, as fields rather than JSON: the measure and
    breakdown columns (label in the source = Jobmål key), the measure the cards and charts show, and the measures
    that are counts (summed over municipalities for jobcentres, regions and the whole country). Written into the
    source columns map (`source_spec`), beside anything else seeded there; more labels for the same keys are rows
    of the source columns below."""

    measure_lines = forms.CharField(
        label=capfirst(_("measures")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the column's label in the source = its Jobmål key, e.g. Antal personer = personer"),
    )
    dimension_lines = forms.CharField(
        label=capfirst(_("breakdowns")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, as the measures, e.g. Køn = kon"),
    )
    headline_measure = forms.CharField(
        label=capfirst(_("headline measure")),
        required=False,
        help_text=_("The Jobmål key of the measure the cards and charts show (default: value)."),
    )
    count_measures = forms.CharField(
        label=capfirst(_("counts")),
        required=False,
        help_text=_(
            "The Jobmål keys of the measures that are counts of persons, separated by commas: they are added up for "
            "jobcentres, regions and the whole country. A measure not named here is not added up."
        ),
    )

    class Meta:
        model = Indicator
        fields = [f.name for f in Indicator._meta.fields if f.editable and f.name not in ("id", "source_spec")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spec = self.instance.source_spec or {}
        self.fields["measure_lines"].initial = _lines(spec.get("measures", {}))
        self.fields["dimension_lines"].initial = _lines(spec.get("dimensions", {}))
        self.fields["headline_measure"].initial = spec.get("headline", "")
        self.fields["count_measures"].initial = ", ".join(spec.get("counts", []))

    @staticmethod
    def _key(key: str) -> str:
        if not KEY.match(key):
            raise forms.ValidationError(
                _("%(key)r is not a key: a key is written in small letters, digits and _ (e.g. personer).")
                % {"key": key}
            )
        return key

    def _pairs(self, name: str) -> dict[str, str]:
        pairs = {}
        for number, line in enumerate(self.cleaned_data[name].splitlines(), start=1):
            if not line.strip():
                continue
            label, equals, key = line.rpartition("=")
            if not equals or not label.strip():
                raise forms.ValidationError(
                    _("Line %(n)d: write the label, = and the key, e.g. Antal personer = personer") % {"n": number}
                )
            pairs[label.strip()] = self._key(key.strip())
        return pairs

    def clean_measure_lines(self):
        return self._pairs("measure_lines")

    def clean_dimension_lines(self):
        return self._pairs("dimension_lines")

    def clean_headline_measure(self):
        key = self.cleaned_data["headline_measure"].strip()
        return self._key(key) if key else key

    def clean_count_measures(self):
        return [self._key(k.strip()) for k in self.cleaned_data["count_measures"].split(",") if k.strip()]

    def clean(self):
        cleaned = super().clean()
        measures = set((cleaned.get("measure_lines") or {}).values())
        if measures:
            headline = cleaned.get("headline_measure")
            if headline and headline not in measures:
                self.add_error(
                    "headline_measure",
                    _("Not one of the measures' keys: %(keys)s") % {"keys": ", ".join(sorted(measures))},
                )
            unknown = [k for k in cleaned.get("count_measures") or [] if k not in measures]
            if unknown:
                self.add_error(
                    "count_measures", _("Not one of the measures' keys: %(keys)s") % {"keys": ", ".join(unknown)}
                )
        return cleaned

    def save(self, commit=True):
        spec = dict(self.instance.source_spec or {})
        for name, field in (
            ("measures", "measure_lines"),
            ("dimensions", "dimension_lines"),
            ("headline", "headline_measure"),
            ("counts", "count_measures"),
        ):
            if self.cleaned_data[field]:
                spec[name] = self.cleaned_data[field]
            else:
                spec.pop(name, None)
        self.instance.source_spec = spec
        return super().save(commit)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The national catalogue. A municipality's own indicator is its jobcentre's (goals/local_indicators.py): to
    ministry staff it is not in the admin at all, and nobody moves an indicator between local and national or to
    another municipality here, which would put its figures in everyone's sight (issue 20, R8)."""

    list_display = ["code", "name_da", "unit", "polarity", "frequency", "is_proxy", "scope"]
    list_filter = ["scope", "is_proxy", "frequency", "unit"]
    search_fields = ["code", "name_da", "name_en"]
    inlines = [SourceColumnInline]
    # The seeded column map is the catalogue's (indicators/catalogue.py), shown as rows; columns the source adds
    # are rows of the inline below, never JSON typed by hand.
    form = IndicatorForm

    @admin.display(description=_("seeded source columns"))
    def seeded_columns(self, obj):
        spec = (obj.source_spec or {}) if obj else {}
        rows = [(_("dimension"), label, key) for label, key in spec.get("dimensions", {}).items()]
        rows += [(_("measure"), label, key) for label, key in spec.get("measures", {}).items()]
        if not rows:
            return "–"
        head = format_html("<tr><th>{}</th><th>{}</th><th>{}</th></tr>", _("role"), _("label in the source"), _("key"))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html('<table class="jm-admin-columns"><thead>{}</thead><tbody>{}</tbody></table>', head, body)

    def get_queryset(self, request):
        return in_sight(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fixed = ["scope", "municipality"] if obj is not None or not request.user.is_superuser else []
        return [*super().get_readonly_fields(request, obj), *fixed, "seeded_columns"]


@admin.register(SourceColumn)
class SourceColumnAdmin(NationalChoices, admin.ModelAdmin):
    list_display = ["indicator", "role", "key", "label", "source_id", "origin", "updated_at"]
    list_filter = ["role", "origin", "indicator"]
    search_fields = ["label", "source_id", "key"]


@admin.register(Observation)
class ObservationAdmin(NationalChoices, admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "breakdown", "measure", "value", "status", "is_demo", "source"]
    list_filter = ["indicator", "status", "is_demo", "source", "area__kind"]
    search_fields = ["area__name", "area__code", "period"]
    list_select_related = ["indicator", "area"]
    raw_id_fields = ["area", "import_run"]
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "source",
        "table",
        "status",
        "started_at",
        "finished_at",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
    ]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def get_queryset(self, request):
        # A municipality's own upload names its file and, when refused, its rows' values: its jobcentre's alone.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.exclude(source=Observation.Source.MANUAL)
