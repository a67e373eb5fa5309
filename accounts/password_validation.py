"""Django's password rules with messages of our own where Django's Vietnamese catalogue lags behind."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length; its Vietnamese catalogue misses the message of Django 5.2."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
