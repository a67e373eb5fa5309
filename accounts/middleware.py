"""A temporary password is changed before anything else is done with the account."""

from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Send a user who signed in with a temporary password to the password page until he changes it."""

    ALLOWED_NAMES = ("accounts:password_change", "accounts:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/admin/logout/")):
                return redirect("accounts:password_change")
        return self.get_response(request)
