from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import pipeline
from indicators.models import Indicator


class TargetsForm(forms.Form):
    """A target value and note per indicator of a goal, and the commentary on the goal. Numbers are typed the
    Danish way (28,5) in the Danish interface."""

    commentary = forms.CharField(
        label=gettext_lazy("Commentary on the goal"), required=False, max_length=1000, widget=forms.Textarea(
            attrs={"rows": 3, "class": "form-input"})
    )  # fmt: skip

    def __init__(self, *args, indicators: list[Indicator], initial_targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            target = initial_targets.get(indicator.pk)
            unit = _("pct.") if indicator.unit == Indicator.Unit.PERCENT else _("persons")
            self.fields[f"target_{indicator.pk}"] = forms.DecimalField(
                label=_("Target for %(name)s (%(unit)s)") % {"name": indicator.name, "unit": unit},
                required=False, localize=True, max_digits=14, decimal_places=2,
                initial=target.value if target else None,
                widget=forms.TextInput(attrs={"class": "form-input input-width-s", "inputmode": "decimal"}),
            )  # fmt: skip
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("Note, e.g. from the employment plan"), required=False, max_length=300,
                initial=target.note if target else "",
                widget=forms.TextInput(attrs={"class": "form-input input-width-xl"}),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            value = data.get(f"target_{indicator.pk}")
            if value is None:
                continue
            if indicator.unit == Indicator.Unit.PERCENT and not 0 <= value <= 100:
                self.add_error(f"target_{indicator.pk}", _("A share must be between 0 and 100."))
            elif value < 0:
                self.add_error(f"target_{indicator.pk}", _("A count cannot be negative."))
        return data

    def targets(self) -> dict:
        return {
            i.pk: (self.cleaned_data.get(f"target_{i.pk}"), self.cleaned_data.get(f"note_{i.pk}", "").strip())
            for i in self.indicators
        }

    def rows(self):
        """(indicator, target field, note field) for the template."""
        return [(i, self[f"target_{i.pk}"], self[f"note_{i.pk}"]) for i in self.indicators]

    def rows_with(self, readings: list) -> list:
        """(reading, target field, note field) per reading (goals.targets.Reading), in their order; no fields for
        an indicator the form has none for (a target cannot be set for it)."""
        mine = {i.pk for i in self.indicators}
        return [(r, self[f"target_{r.indicator.pk}"], self[f"note_{r.indicator.pk}"]) if r.indicator.pk in mine
                else (r, None, None) for r in readings]  # fmt: skip


class LocalIndicatorForm(forms.Form):
    goal = forms.TypedChoiceField(label=gettext_lazy("Goal"), coerce=int)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[
        (Indicator.Unit.PERCENT, gettext_lazy("Per cent")), (Indicator.Unit.PERSONS, gettext_lazy("Persons")),
        (Indicator.Unit.COUNT, gettext_lazy("Count"))])  # fmt: skip
    polarity = forms.ChoiceField(label=gettext_lazy("Which way is better"), choices=Indicator.Polarity.choices)
    definition = forms.CharField(label=gettext_lazy("Definition"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, goals, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(g.number, f"{g.number}. {g.text}") for g in goals]
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            field.widget.attrs.setdefault("class", css)


class LocalValueForm(forms.Form):
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"))
    period = forms.CharField(label=gettext_lazy("Period (e.g. 2020M03, 2020Q1 or 2020)"), max_length=16)
    value = forms.DecimalField(
        label=gettext_lazy("Value"), localize=True, max_digits=14, decimal_places=pipeline.OWN_DECIMALS
    )  # as an upload (indicators/pipeline.py)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            field.widget.attrs.setdefault("class", css)
        self.fields["value"].widget = forms.TextInput(attrs={"class": "form-input", "inputmode": "decimal"})


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file with the columns Område, Periode, Værdi"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))  # fmt: skip
