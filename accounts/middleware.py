"""Middleware of accounts: a temporary password changed first, session limits, the second sign-in step."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .security import LAST_SEEN_AT, NO_SECOND_FACTOR, SIGNED_IN_AT


class PasswordChangeRequiredMiddleware:
    """Send a user who signed in with a temporary password to the password page until he changes it."""

    # The second-factor pages come first when the authority requires one (see the middleware order).
    ALLOWED_NAMES = (
        "accounts:password_change",
        "accounts:logout",
        "set_language",
        "accounts:otp_setup",
        "accounts:otp_verify",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/admin/logout/")):
                return redirect("accounts:password_change")
        return self.get_response(request)


# The last-seen time is written at most this often, so that pages do not each write the session.
TOUCH_EVERY_SECONDS = 60


class SessionLimitsMiddleware:
    """Sign a user out after SESSION_IDLE_MINUTES idle or SESSION_ABSOLUTE_HOURS after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                login_url = resolve_url(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    # htmx would swap the sign-in page into a fragment; send the whole page there instead.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect_to_login(request.get_full_path(), login_url)
        return self.get_response(request)

    def _expired(self, request) -> str | None:
        session = request.session
        now = timezone.now().timestamp()
        signed_in = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN_AT)
        if signed_in is None:
            # A session opened before these limits existed starts its clock now.
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
            return None
        if now - signed_in > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return _("You have been signed out: a session lasts at most %(hours)s hours. Please sign in again.") % {
                "hours": settings.SESSION_ABSOLUTE_HOURS
            }
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
            return _("You have been signed out after %(minutes)s minutes without activity. Please sign in again.") % {
                "minutes": settings.SESSION_IDLE_MINUTES
            }
        if last_seen is None or now - last_seen > TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now
        return None


class TwoFactorMiddleware:
    """A user with an authenticator app gives its code before any page; one who must have one sets it up first.

    The sign-in page checks the password; this step follows it on the next request. Until it is done
    only the second-factor pages, signing out and the language switch answer.
    """

    OPEN_URL_NAMES = {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(NO_SECOND_FACTOR):
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        match = _resolve(request.path_info)
        if match is not None and match.view_name in self.OPEN_URL_NAMES:
            return self.get_response(request)
        from .two_factor import is_enabled, required_for

        if is_enabled(user):
            target = "accounts:otp_verify"
        elif required_for(user):
            target = "accounts:otp_setup"
        else:
            # A session from before this mark existed: later pages skip the look-up.
            request.session[NO_SECOND_FACTOR] = True
            return self.get_response(request)
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None
