from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.forms.fields import LongTextField

from .models import Report
from .selectors import report_visit_list_for_user

REQUEST_KINDS = [Report.Kind.DISTRICT, Report.Kind.MINUTES, Report.Kind.NOTICE]


class ReportRequestForm(forms.Form):
    """Which document to render: the district report of the campaign, or a visit's minutes or notice."""

    # Every kind is a valid choice; whether this user may ask for it is the service's decision (403).
    kind = forms.ChoiceField(label=_("Document"), choices=[(k.value, k.label) for k in REQUEST_KINDS])
    visit = forms.ModelChoiceField(label=_("visit"), queryset=None, required=False)

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = report_visit_list_for_user(user, plan=plan)

    def clean(self):
        data = super().clean()
        kind, visit = data.get("kind"), data.get("visit")
        if kind in Report.PER_VISIT_KINDS and visit is None:
            self.add_error("visit", _("Choose the visit whose document you want."))
        if kind == Report.Kind.DISTRICT:
            data["visit"] = None
        return data


class ReportTextsForm(forms.Form):
    """The district report's own text: the overall assessment and the proposals, one paragraph a line."""

    assessment = LongTextField(
        label=_("Overall assessment"),
        max_length=30000,
        rows=14,
        help_text=_(
            "Strengths, limitations and their causes, one paragraph a line; a numbered line (1. …, a) …) is a "
            "heading. Left empty, the report prints the draft drawn from the findings."
        ),
    )
    proposals = LongTextField(
        label=_("Proposals"),
        max_length=30000,
        rows=10,
        help_text=_("What the team proposes, one paragraph a line. Left empty, the report prints the draft."),
    )
