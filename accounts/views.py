from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.folding import dictionary_order

from . import selectors, services, sheets
from . import two_factor as two_factor_rules
from .authority import authority_chosen, authority_remember, redirect_to_choose
from .forms import AuthorityChoiceForm, LoginForm, PasswordResetForm, PeopleImportForm, PersonForm
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


# Authority -------------------------------------------------------------------------


@login_required
def authority_choose(request):
    """Choose which authority to work for (criteria sets, plans, imports, people) in this session."""
    authorities = selectors.authority_list_for_user(request.user)
    if not authorities:
        raise PermissionDenied(_("You do not work for an inspecting authority."))
    current = authority_chosen(request, authorities)
    form = AuthorityChoiceForm(
        request.POST or None, authorities=authorities, initial={"authority": current.pk if current else None}
    )
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        authority = next(a for a in authorities if a.pk == form.cleaned_data["authority"])
        authority_remember(request, authority)
        messages.success(request, _("You now work for %(unit)s.") % {"unit": authority})
        safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
        return redirect(next_url if next_url and safe else "home")
    return render(request, "accounts/authority_choose.html", {"form": form, "current": current, "next_url": next_url})


# People of the authority -------------------------------------------------------------


def _managed_authority(request):
    """The authority whose people the user manages now, or None when he must choose first."""
    authorities = selectors.managed_authority_list_for_user(request.user)
    if not authorities:
        raise PermissionDenied(_("Only the secretariat of the authority manages its people."))
    return authority_chosen(request, authorities)


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _person_form(request, authority, data=None, **kwargs):
    return PersonForm(
        data,
        roles=selectors.grantable_roles(request.user, authority),
        communes=selectors.commune_list_for_authority(authority).order_by(dictionary_order("name"), "code"),
        **kwargs,
    )


# The accounts just created or reset wait in the session for the page that shows them, once.
NEW_ACCOUNTS_KEY = "accounts_new"


def _new_accounts_page(request, authority, accounts, title):
    """Keep the new accounts for the next page and go there, so that reloading it creates nothing twice."""
    request.session[NEW_ACCOUNTS_KEY] = {
        "authority": authority.pk,
        "title": str(title),
        "accounts": [{"user": a.user.pk, "password": a.password, "link_sent": a.link_sent} for a in accounts],
    }
    return redirect("accounts:people_created")


@login_required
def people_created(request):
    """The accounts just created or given a new temporary password, with those passwords, shown once."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    pending = request.session.pop(NEW_ACCOUNTS_KEY, None)
    if not pending or pending.get("authority") != authority.pk:
        return redirect("accounts:people")
    people = selectors.people_list_for_user(request.user, authority).in_bulk([a["user"] for a in pending["accounts"]])
    accounts = [
        services.NewAccount(user=people[a["user"]], password=a["password"], link_sent=a["link_sent"])
        for a in pending["accounts"]
        if a["user"] in people
    ]
    response = render(
        request,
        "accounts/people_created.html",
        {"authority": authority, "accounts": accounts, "title": pending["title"]},
    )
    # The temporary passwords are shown once: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def people_list(request):
    """The people of the authority and its communes, with their roles; searchable by name, username, code."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    search = request.GET.get("q", "").strip()[:100]
    people = list(selectors.people_list_for_user(request.user, authority, search=search)[:500])
    return render(request, "accounts/people_list.html", {"authority": authority, "people": people, "search": search})


@login_required
def person_create(request):
    """Create one account with a temporary password, shown once."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    form = _person_form(request, authority, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.person_create(
                manager=request.user, authority=authority, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _new_accounts_page(request, authority, [account], _("Account created"))
    return render(request, "accounts/person_form.html", {"form": form, "authority": authority, "person": None})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def person_edit(request, pk):
    """Change a person's details and role; deactivate or restore him; give him a new temporary password."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    person = selectors.person_get_for_user(request.user, authority, pk)
    units = selectors.commune_list_for_authority(authority).values("pk")
    current = (
        person.memberships.filter(is_active=True)
        .filter(Q(unit=authority) | Q(unit_id__in=units))
        .order_by("-created_at")
        .first()
    )
    initial = {
        "full_name": person.full_name,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
        "role": current.role if current else None,
        "commune": current.unit_id if current and current.unit_id != authority.pk else None,
        "is_chairman": current.is_chairman if current else False,
    }
    form = _person_form(request, authority, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(manager=request.user, authority=authority, person=person, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The account of %(name)s is saved.") % {"name": person})
            return redirect("accounts:people")
    return render(request, "accounts/person_form.html", {"form": form, "authority": authority, "person": person})


@login_required
@require_POST
def person_set_active(request, pk):
    """Deactivate a person's roles in the authority, or restore them."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    person = selectors.person_get_for_user(request.user, authority, pk)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(manager=request.user, authority=authority, person=person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": person})
        else:
            messages.success(request, _("%(name)s no longer works for this authority.") % {"name": person})
    return redirect("accounts:people")


@login_required
@require_POST
def person_reset_password(request, pk):
    """Give a person a new temporary password, shown once."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    person = selectors.person_get_for_user(request.user, authority, pk)
    account = services.person_reset_password(
        manager=request.user, authority=authority, person=person, base_url=_base_url(request)
    )
    return _new_accounts_page(request, authority, [account], _("New temporary password"))


@login_required
def people_import(request):
    """Create the accounts listed in an .xlsx sheet, all or none."""
    authority = _managed_authority(request)
    if authority is None:
        return redirect_to_choose(request)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            accounts = services.people_import(
                manager=request.user, authority=authority, file=form.cleaned_data["file"], base_url=_base_url(request)
            )
        except ValidationError as error:
            row_errors = error.messages
        else:
            return _new_accounts_page(request, authority, accounts, _("Accounts created from the sheet"))
    return render(
        request, "accounts/people_import.html", {"form": form, "authority": authority, "row_errors": row_errors}
    )


@login_required
def people_sheet_example(request):
    """An example people sheet to fill in."""
    _managed_authority(request)
    response = HttpResponse(
        sheets.people_sheet_example(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="people.xlsx"'
    return response


# Passwords ---------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes his password here; a temporary one must be changed before anything else."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # A link from the secretariat's new account replaces the temporary password too.
        form.user.must_change_password = False
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Sign-ins and the second factor ---------------------------------------------------


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
