"""Forms of the appraisal workspace: a score, a finding, a re-check, an answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Criterion, Finding, ReviewArea
from .fields import DayMonthYearInput, LongTextField, ScoreField


class ScoreForm(forms.Form):
    """The appraised score of one criterion, with the version it was loaded at."""

    appraised_score = ScoreField(label=_("Appraised score"), required=False)
    appraised_comment = LongTextField(label=_("Comment"), rows=2)
    explanation_requested = forms.BooleanField(label=_("Explanation requested"), required=False)
    explanation_request = LongTextField(label=_("Question to the commune"), rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["appraised_score"].max_value = criterion.max_score
        prefix = f"c{criterion.pk}"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"{prefix}-{name}")

    def clean(self):
        data = super().clean()
        if data.get("explanation_requested") and not (data.get("explanation_request") or "").strip():
            self.add_error("explanation_request", _("Write the question the commune should answer."))
        return data


class FindingForm(forms.Form):
    """A finding recorded at a visit: kind, area, optional criterion, text, recommendation, due date."""

    # No kind chosen in advance: a shortcoming typed in a hurry must not be saved as a strength.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose the kind —")), *Finding.Kind.choices])
    area = forms.ModelChoiceField(label=_("Review area"), queryset=ReviewArea.objects.none(), required=False)
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=Criterion.objects.none(), required=False)
    text = LongTextField(label=_("Finding"), required=True, max_length=8000)
    recommendation = LongTextField(label=_("Recommendation"), max_length=8000, rows=2)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DayMonthYearInput())

    def __init__(self, *args, areas, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code} {c.title[:70]}"
        self.fields["area"].label_from_instance = lambda a: f"{a.number}. {a.shown_title[:70]}"

    def offer(self, *, areas, criteria) -> None:
        """Offer these areas and criteria, already read in the querysets' order, as the choices drawn (no query)."""
        for name, objects in (("area", areas), ("criterion", criteria)):
            field = self.fields[name]
            field.choices = [("", field.empty_label), *((obj.pk, field.label_from_instance(obj)) for obj in objects)]

    def clean(self):
        data = super().clean()
        criterion, area = data.get("criterion"), data.get("area")
        if criterion is not None and area is None:
            data["area"] = criterion.area
        elif criterion is not None and criterion.area_id != area.pk:
            self.add_error("criterion", _("The criterion is not in the chosen review area."))
        if data.get("kind") not in Finding.ACTIONABLE_KINDS and data.get("due_date"):
            self.add_error("due_date", _("Only shortcomings and recommendations have a due date."))
        return data


class AnswerForm(forms.Form):
    """The team's answer to a question raised by the commune."""

    answer = LongTextField(label=_("Answer"), required=True, max_length=8000, rows=2)


class RecheckForm(forms.Form):
    """The verdict on a finding carried from last year."""

    remedied = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("yes", _("remedied")), ("no", _("still open"))],
        coerce=lambda value: value == "yes",
    )


class ContestDecisionForm(forms.Form):
    """The team's second appraisal of a contested criterion: the score it decides, and why."""

    decided_score = ScoreField(label=_("Second-round score"))
    reason = LongTextField(label=_("Reason for the decision"), rows=2, required=True)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_score"].max_value = criterion.max_score
        self.fields["reason"].error_messages["required"] = _(
            "Give the reason for the decision, so that the commune understands it."
        )
