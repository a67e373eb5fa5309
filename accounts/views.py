from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.text import capfirst

from .forms import LoginForm
from .models import DemoDataset, Membership, User


def demo_accounts() -> list[dict]:
    """The demo logins to list on the sign-in page, only while the demo data set is loaded."""
    if not DemoDataset.objects.exists():
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
