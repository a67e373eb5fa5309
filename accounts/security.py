"""Sign-in protection: the client's address, the lockout page and the security log."""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from .forms import LoginForm

log = logging.getLogger("cchc.security")

# Session keys written at sign-in and on requests (accounts.middleware.SessionLimitsMiddleware).
SIGNED_IN_AT = "cchc_signed_in_at"
LAST_SEEN_AT = "cchc_last_seen_at"
# Set once a signed-in user is known to have no second factor to give; cleared at each sign-in.
NO_SECOND_FACTOR = "cchc_no_second_factor"


def client_address(request) -> str | None:
    """The address of the person signing in.

    Behind TRUSTED_PROXY_COUNT proxies the address is the one the outermost trusted proxy appended
    to X-Forwarded-For; what a client writes there itself is never believed.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_message() -> str:
    """What a locked-out person reads, in the active language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Signing in is locked after %(limit)s wrong attempts for this account or from this address. "
        "Try again in %(minutes)s minute, or ask the secretariat or the administrator to unlock it.",
        "Signing in is locked after %(limit)s wrong attempts for this account or from this address. "
        "Try again in %(minutes)s minutes, or ask the secretariat or the administrator to unlock it.",
        minutes,
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again with the lockout explained (django-axes' AXES_LOCKOUT_CALLABLE), status 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    context = {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)


def _log_failure(sender, credentials, request=None, **kwargs):
    log.warning(
        "sign-in failed username=%r address=%s path=%s",
        (credentials or {}).get("username"),
        client_address(request) if request is not None else "-",
        request.path if request is not None else "-",
    )


def _log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    log.warning("sign-in locked out username=%r address=%s", username, ip_address)


def _mark_sign_in(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        from .two_factor import is_enabled, required_for

        # Decided once per sign-in, so that pages need no look-up: no app and none required.
        if user is not None and not is_enabled(user) and not required_for(user):
            request.session[NO_SECOND_FACTOR] = True
        else:
            request.session.pop(NO_SECOND_FACTOR, None)
    log.info("signed in username=%r address=%s", user.get_username(), client_address(request) if request else "-")


def connect_signals():
    """Hook the security log and the session clock to Django's and django-axes' sign-in signals."""
    from axes.signals import user_locked_out

    user_login_failed.connect(_log_failure, dispatch_uid="cchc_security_failure")
    user_logged_in.connect(_mark_sign_in, dispatch_uid="cchc_security_sign_in")
    user_locked_out.connect(_log_lockout, dispatch_uid="cchc_security_lockout")
