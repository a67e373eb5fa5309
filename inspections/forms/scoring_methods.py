"""Forms of the scoring method's parts: the team's decision on "not applicable", bonus and penalty, survey sheet."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import AdjustmentItem
from ..score_text import score_text
from .fields import ScoreField


class NotApplicableDecisionForm(forms.Form):
    """Accept or refuse a commune's declaration that a criterion does not apply."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 1})
    )


class AdjustmentForm(forms.Form):
    """A bonus or penalty of the criteria set recorded at a visit, with its grounds."""

    item = forms.ModelChoiceField(label=_("Item"), queryset=AdjustmentItem.objects.none())
    points = ScoreField(label=_("Points"))
    note = forms.CharField(
        label=_("Grounds"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was found, and the document that proves it."),
    )
    document = forms.CharField(
        label=_("Evidence document"),
        required=False,
        max_length=300,
        help_text=_("Number and date, e.g. 12/QĐ-UBND, 03/02/2021"),
    )

    def __init__(self, *args, criteria_set_id: int, **kwargs):
        kwargs.setdefault("prefix", "adjustment")
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AdjustmentItem.objects.filter(criteria_set_id=criteria_set_id).order_by(
            "kind", "order", "code"
        )
        self.fields["item"].label_from_instance = lambda item: (
            f"{capfirst(item.get_kind_display())} · {item.code} {item.title} (≤ {score_text(item.max_points)})"
        )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"


class SurveyImportForm(forms.Form):
    """The survey results of a round as an .xlsx sheet."""

    file = forms.FileField(label=_("Survey sheet (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
