"""Forms of closing a visit: minutes, reopening, the conclusion notice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import AttendeesField, DayMonthYearInput

DATE_WIDGET = DayMonthYearInput()


class MinutesForm(forms.Form):
    """The minutes of a visit as the team drafts them."""

    number = forms.CharField(label=_("Number"), required=False, max_length=60)
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    team_attendees = AttendeesField(label=_("Attendees of the team"))
    commune_attendees = AttendeesField(label=_("Attendees of the commune"))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    commune_opinion = forms.CharField(
        label=_("Opinion of the commune"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    """Why signed minutes are reopened."""

    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ConclusionForm(forms.Form):
    """The conclusion notice of a visit."""

    number = forms.CharField(label=_("Number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET)
    remedy_deadline = forms.DateField(label=_("Remedy deadline"), required=False, widget=DATE_WIDGET)
    summary = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), required=False, max_length=150)
    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line.")
    )

    def clean(self):
        data = super().clean()
        issued, deadline = data.get("issued_on"), data.get("remedy_deadline")
        if issued and deadline and deadline < issued:
            self.add_error("remedy_deadline", _("The remedy deadline cannot be before the notice is issued."))
        return data
