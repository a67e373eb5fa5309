from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
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
