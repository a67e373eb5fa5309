"""Forms of closing a visit: minutes, reopening, the conclusion notice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import AttendeesField, DayMonthYearInput, LongTextField

DATE_WIDGET = DayMonthYearInput()
# Officials write 8 giờ 30 as 8:30, 8h30 or 08.30.
TIME_FORMATS = ["%H:%M", "%Hh%M", "%H.%M", "%Hh", "%H"]
TIME_WIDGET = forms.TimeInput(
    format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric", "maxlength": 5, "autocomplete": "off"}
)
TIME_MESSAGE = _("Enter a time such as 8:30 or 14:00.")


class MinutesForm(forms.Form):
    """The minutes of a visit as the team drafts them."""

    number = forms.CharField(label=_("Number"), required=False, max_length=60)
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    opened_at = forms.TimeField(
        label=_("Opened at"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=TIME_WIDGET,
        error_messages={"invalid": TIME_MESSAGE},
    )
    closed_at = forms.TimeField(
        label=_("Closed at"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=TIME_WIDGET,
        error_messages={"invalid": TIME_MESSAGE},
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=255)
    team_attendees = AttendeesField(label=_("Attendees of the team"))
    commune_attendees = AttendeesField(label=_("Attendees of the commune"))
    summary = LongTextField(label=_("Summary"), max_length=30000, rows=10)
    commune_opinion = LongTextField(label=_("Opinion of the commune"), rows=3)

    def clean(self):
        data = super().clean()
        opened, closed = data.get("opened_at"), data.get("closed_at")
        if opened and closed and closed <= opened:
            self.add_error("closed_at", _("The minutes cannot close before they open."))
        return data


class ReopenForm(forms.Form):
    """Why signed minutes are reopened."""

    reason = LongTextField(label=_("Reason for reopening"), required=True, max_length=4000, rows=2)


class ConclusionForm(forms.Form):
    """The conclusion notice of a visit."""

    number = forms.CharField(label=_("Number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET)
    remedy_deadline = forms.DateField(label=_("Remedy deadline"), required=False, widget=DATE_WIDGET)
    summary = LongTextField(label=_("Conclusion"), max_length=30000, rows=8)
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), required=False, max_length=150)
    recipients = LongTextField(label=_("Recipients"), max_length=2000, help_text=_("One per line."))

    def clean(self):
        data = super().clean()
        issued, deadline = data.get("issued_on"), data.get("remedy_deadline")
        if issued and deadline and deadline < issued:
            self.add_error("remedy_deadline", _("The remedy deadline cannot be before the notice is issued."))
        return data
