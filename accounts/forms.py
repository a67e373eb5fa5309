from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .models import Membership


class LoginForm(AuthenticationForm):
    """Django's sign-in form with messages of our own (its Vietnamese catalogue leaves them blank)."""

    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account has been disabled. Ask the secretariat to restore it."),
    }

    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class AuthorityChoiceForm(forms.Form):
    """Which authority the user works for in this session."""

    authority = forms.TypedChoiceField(label=_("Authority"), coerce=int)

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [(a.pk, _authority_label(a)) for a in authorities]


def _authority_label(unit) -> str:
    if unit.valid_to:
        return _("%(unit)s (%(code)s, until %(date)s)") % {
            "unit": unit,
            "code": unit.code,
            "date": unit.valid_to.strftime("%d/%m/%Y"),
        }
    return f"{unit} ({unit.code})"


class PersonForm(forms.Form):
    """A person's account and his one role in the authority or one of its communes."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to make one from the name."),
        validators=[UnicodeUsernameValidator()],
    )
    position = forms.CharField(label=_("Office or position"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=None,
        required=False,
        help_text=_("Only for commune staff and commune leads."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("With an address, the person receives a link to choose a password and can reset it alone."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_chairman = forms.BooleanField(
        label=_("Chairman of the People's Committee"),
        required=False,
        help_text=_("Signs the team decision; once the visits have started, may change the team beside its lead."),
    )

    def __init__(self, *args, roles, communes, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Membership.Role if r.value in roles]
        self.fields["commune"].queryset = communes
        self.fields["commune"].label_from_instance = lambda unit: f"{unit.code} · {unit}"
        if editing:
            del self.fields["username"]
        if Membership.Role.ADMIN not in roles:
            # Only an administrator names the chairman, who may change a running campaign's team.
            del self.fields["is_chairman"]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in Membership.COMMUNE_ROLES and not data.get("commune"):
            self.add_error("commune", _("Choose the commune of this person."))
        if role in Membership.AUTHORITY_ROLES:
            data["commune"] = None
        if role in Membership.COMMUNE_ROLES and data.get("is_chairman"):
            self.add_error("is_chairman", _("The chairman holds a role in the authority itself, not in a commune."))
        return data


class PeopleImportForm(forms.Form):
    """An .xlsx sheet of people to create."""

    file = forms.FileField(
        label=_("Sheet (.xlsx)"),
        help_text=_("Columns: full name, office, commune code, role, e-mail, phone. A heading row is allowed."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the sheet as an .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The sheet is larger than 5 MB."))
        return upload


class PasswordResetForm(auth_forms.PasswordResetForm):
    """A forgotten password: the worker mails the one-time link, so the page answers at once."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        from .models import Delivery
        from .notifications.services import account_link_send

        account_link_send(
            user=context["user"],
            base_url=f"{context['protocol']}://{context['domain']}",
            purpose=Delivery.Purpose.PASSWORD_RESET,
        )
