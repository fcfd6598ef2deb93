from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Report

MAX_TEXT = 2000


class RequestForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Report.Format.choices)


class TextsForm(forms.Form):
    """One text per goal, prefilled with what the report will say; each must say something."""

    def __init__(self, *args, texts: list[tuple[int, str, object]], **kwargs):
        super().__init__(*args, **kwargs)
        for number, text, _edit in texts:
            self.fields[f"goal_{number}"] = forms.CharField(
                label=_("Text for goal %(n)s") % {"n": number},
                initial=text,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
                error_messages={
                    "required": _("Write a text for goal %(n)s, or put back the suggested one.") % {"n": number}
                },
            )

    def texts(self) -> dict[int, str]:
        return {int(name.removeprefix("goal_")): " ".join(value.split()) for name, value in self.cleaned_data.items()}
