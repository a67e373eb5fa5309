from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from . import two_factor as two_factor_rules
from .forms import LoginForm
from .models import DemoDataset, Membership, User


def demo_accounts() -> list[dict]:
    """The demo logins to list on the sign-in page, only with DEBUG on and the demo data set loaded."""
    if not settings.DEBUG or not DemoDataset.objects.exists():
        return []
    users = User.objects.filter(username__in=DEMO_USERNAMES, is_active=True).prefetch_related("memberships__unit")
    by_name = {u.username: u for u in users}
    rows = []
    for username in DEMO_USERNAMES:
        user = by_name.get(username)
        if user is None:
            continue
        memberships = list(user.memberships.all())
        rows.append(
            {
                "username": username,
                "full_name": user.full_name,
                "roles": ", ".join(f"{capfirst(m.get_role_display())} · {m.unit}" for m in memberships)
                if memberships
                else capfirst(Membership.Role.ADMIN.label),
            }
        )
    return rows


DEMO_USERNAMES = ["admin", "secretariat", "lead", "inspector", "commune_a", "commune_a_lead", "commune_b", "viewer"]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = demo_accounts()
        context["demo_password"] = settings.DEMO_PASSWORD
        return context


@login_required
def signin_history(request):
    """The user's recent sign-ins; the administrator also sees failures and lockouts of every account."""
    context = {
        "signins": selectors.signin_list_for_user(request.user),
        "failures": selectors.signin_failure_list_for_user(request.user),
        "can_unlock": selectors.can_unlock(request.user),
    }
    return render(request, "accounts/signin_history.html", context)


@login_required
def lockout_list(request):
    """Lockouts in force that the secretariat or the administrator may lift."""
    lockouts = selectors.lockout_list_for_user(request.user)
    return render(request, "accounts/lockout_list.html", {"lockouts": lockouts})


@login_required
@require_POST
def lockout_clear(request):
    """Lift one lockout, then back to the list."""
    try:
        services.lockout_clear(
            user=request.user,
            username=request.POST.get("username", "").strip(),
            ip_address=request.POST.get("ip_address", "").strip(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Unlocked: the person can sign in again."))
    return redirect("accounts:lockout_list")


@login_required
def two_factor(request):
    """The user's second factor: whether it is on, recovery codes left, and how to change it."""
    context = {
        "enabled": two_factor_rules.is_enabled(request.user),
        "required": two_factor_rules.required_for(request.user),
        "codes_left": two_factor_rules.recovery_codes_left(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def otp_setup(request):
    """Scan the QR code with an authenticator app and confirm with its code; the recovery codes are shown once."""
    device = two_factor_rules.pending_device(request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = two_factor_rules.two_factor_enable(request=request, token=request.POST.get("token", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            next_url = _safe_next(request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    context = {
        "qr": two_factor_rules.qr_data_uri(device),
        "secret": two_factor_rules.secret_text(device),
        "required": two_factor_rules.required_for(request.user),
        "error": error,
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/otp_setup.html", context, status=200 if not error else 400)


@login_required
def otp_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    if not two_factor_rules.is_enabled(request.user) or request.user.is_verified():
        return redirect(_safe_next(request))
    error = ""
    if request.method == "POST":
        if two_factor_rules.two_factor_verify(request=request, token=request.POST.get("token", "")):
            return redirect(_safe_next(request))
        error = _("The code is not right. Type the code your app shows now, or one of your recovery codes.")
    context = {"error": error, "next": request.GET.get("next", "") or request.POST.get("next", "")}
    return render(request, "accounts/otp_verify.html", context, status=200 if not error else 400)


@login_required
@require_POST
def otp_disable(request):
    """Turn the second factor off (not for roles the authority requires it of)."""
    try:
        two_factor_rules.two_factor_disable(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def recovery_codes_renew(request):
    """New recovery codes, shown once; the old ones stop working."""
    if not two_factor_rules.is_enabled(request.user):
        return redirect("accounts:two_factor")
    codes = two_factor_rules.recovery_codes_renew(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:two_factor")})


def _safe_next(request) -> str:
    """The page to go on to: `next` when it is an address of this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    hosts = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=hosts, require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)
