from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import LEGAL_KINDS, Kind, Mode


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and the language of the messages."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, modes: dict[str, str], language: str, **kwargs):
        super().__init__(*args, initial={"language": language, **modes}, **kwargs)
        for kind in Kind:
            legal = kind in LEGAL_KINDS
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                widget=forms.RadioSelect,
                disabled=legal,
                required=not legal,
                help_text=_("A legal deadline: always e-mailed at once.") if legal else "",
            )

    def modes(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values if kind not in LEGAL_KINDS}

    def kind_fields(self):
        return [self[kind] for kind in Kind.values]
