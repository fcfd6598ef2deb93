from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import periods, pipeline
from indicators.models import Indicator


class TargetsForm(forms.Form):
    """A target value and note per indicator of a goal, and the commentary on the goal. Numbers are typed the
    Danish way (28,5) in the Danish interface."""

    commentary = forms.CharField(
        label=gettext_lazy("Commentary on the goal"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
    )

    def __init__(self, *args, indicators: list[Indicator], initial_targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            target = initial_targets.get(indicator.pk)
            unit = _("pct.") if indicator.unit == Indicator.Unit.PERCENT else _("persons")
            self.fields[f"target_{indicator.pk}"] = forms.DecimalField(
                label=_("Target for %(name)s (%(unit)s)") % {"name": indicator.name, "unit": unit},
                required=False,
                localize=True,
                max_digits=14,
                decimal_places=2,
                initial=_as_typed(target.value) if target else None,
                widget=forms.TextInput(attrs={"class": "form-input input-width-s", "inputmode": "decimal"}),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=_("Note, e.g. from the employment plan"),
                required=False,
                max_length=300,
                initial=target.note if target else "",
                widget=forms.TextInput(attrs={"class": "form-input input-width-xl"}),
            )

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
        return [
            (r, self[f"target_{r.indicator.pk}"], self[f"note_{r.indicator.pk}"])
            if r.indicator.pk in mine
            else (r, None, None)
            for r in readings
        ]


LOCAL_FREQUENCIES = [Indicator.Frequency.MONTHLY, Indicator.Frequency.QUARTERLY, Indicator.Frequency.YEARLY]
YEARS_BEFORE_GOAL, YEARS_AFTER_GOAL = 2, 1  # the periods offered: the goal year's, two years before, one after


class LocalIndicatorForm(forms.Form):
    goal = forms.TypedChoiceField(label=gettext_lazy("Goal"), coerce=int)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        choices=[
            (Indicator.Unit.PERCENT, gettext_lazy("Per cent")),
            (Indicator.Unit.PERSONS, gettext_lazy("Persons")),
            (Indicator.Unit.COUNT, gettext_lazy("Count")),
        ],
    )
    # Asked here, so that the value form can offer the indicator's own periods (a month, a quarter, a year).
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often is it measured"),
        choices=[(f.value, f.label) for f in LOCAL_FREQUENCIES],
        initial=Indicator.Frequency.MONTHLY,
    )
    polarity = forms.ChoiceField(label=gettext_lazy("Which way is better"), choices=Indicator.Polarity.choices)
    definition = forms.CharField(
        label=gettext_lazy("Definition"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, goals, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(g.number, f"{g.number}. {g.text}") for g in goals]
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            field.widget.attrs.setdefault("class", css)


class LocalValueForm(forms.Form):
    """One value of an own indicator, for its own municipality (the only one it takes figures for) and one of its
    periods, offered in words ("marts 2020"), the latest first: nothing to type in a code the indicator refuses."""

    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"))
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    value = forms.DecimalField(
        label=gettext_lazy("Value"), localize=True, max_digits=14, decimal_places=pipeline.OWN_DECIMALS
    )  # as an upload (indicators/pipeline.py)

    def __init__(self, *args, municipalities, frequency: str, goal_year: int, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        codes = recent_periods(frequency, goal_year - YEARS_BEFORE_GOAL, goal_year + YEARS_AFTER_GOAL, today)
        self.fields["period"].choices = [(code, periods.in_words(code)) for code in codes]
        self.fields["period"].initial = codes[0] if codes else None
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            field.widget.attrs.setdefault("class", css)
        self.fields["value"].widget = forms.TextInput(attrs={"class": "form-input", "inputmode": "decimal"})


def recent_periods(frequency: str, first_year: int, last_year: int, today=None) -> list[str]:
    """The codes of this frequency's periods from `first_year` to `last_year` that have begun, newest first."""
    today = today or timezone.localdate()
    years = range(first_year, min(last_year, today.year) + 1)
    if frequency == Indicator.Frequency.QUARTERLY:
        codes = [f"{y}Q{q}" for y in years for q in range(1, 5) if (y, 3 * q - 2) <= (today.year, today.month)]
    elif frequency == Indicator.Frequency.YEARLY:
        codes = [str(y) for y in years]
    else:
        codes = [f"{y}M{m:02d}" for y in years for m in range(1, 13) if (y, m) <= (today.year, today.month)]
    return codes[::-1]


def _as_typed(value: Decimal) -> Decimal:
    """A stored target as the chief typed it: 30,5 (the column's two places would show 30,50), 48, never 4.8E+1."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file with the columns Område, Periode, Værdi"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
