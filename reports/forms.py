from django import forms
from django.utils.translation import gettext_lazy as _

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
