"""The departments of an authority (Phòng, ban): read by its people, added, changed and deleted by its secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import scope_for
from accounts.authority import authority_chosen, redirect_to_choose
from accounts.selectors import authority_list_for_user

from ... import permissions, selectors
from ...forms.setup import DepartmentForm
from ...services import departments as services
from .common import add_service_errors

FIELDS = ("name", "short_name", "is_standing_body", "order")


def _authority_of_page(request, authorities: list):
    """The authority a link names (?authority=, e.g. from a campaign's team page), else the one chosen this session.

    None when the user serves several and has not chosen; PermissionDenied for an authority he does not serve.
    """
    asked = request.GET.get("authority")
    if asked:
        for authority in authorities:
            if str(authority.pk) == asked:
                return authority
        raise PermissionDenied
    return authority_chosen(request, authorities)


def _list_url(authority_id: int) -> str:
    return f"{reverse('inspections:department_list')}?{urlencode({'authority': authority_id})}"


@login_required
def department_list(request):
    """The departments of the authority, with how many team members belong to each; editing for its secretariat."""
    if not scope_for(request.user).is_authority_user:
        raise PermissionDenied
    authority = _authority_of_page(request, authority_list_for_user(request.user))
    if authority is None:
        return redirect_to_choose(request)
    departments = list(
        selectors.department_list_for_user(request.user, authority=authority)
        .annotate(seat_count=Count("team_members"))
        .order_by("order", "name")
    )
    return render(
        request,
        "inspections/district/department_list.html",
        {
            "authority": authority,
            "departments": departments,
            "can_edit": permissions.can_set_up(request.user, authority.pk),
        },
    )


@login_required
def department_add(request):
    """Add a department to the authority the secretariat works for."""
    authorities = selectors.setup_authority_list_for_user(request.user)
    if not authorities:
        raise PermissionDenied
    authority = _authority_of_page(request, authorities)
    if authority is None:
        return redirect_to_choose(request)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(user=request.user, authority=authority, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Department %(name)s added.") % {"name": department.name})
            if "add_another" in request.POST:
                return redirect(f"{reverse('inspections:department_add')}?{urlencode({'authority': authority.pk})}")
            return redirect(_list_url(authority.pk))
    return render(
        request,
        "inspections/district/department_form.html",
        {"form": form, "authority": authority, "department": None, "title": _("New department")},
    )


@login_required
def department_edit(request, pk):
    """Rename a department, change its short name or order, or make it the standing body."""
    department = selectors.department_get_for_user(request.user, pk)
    permissions.check_set_up(request.user, department.authority_id)
    form = DepartmentForm(request.POST or None, initial={f: getattr(department, f) for f in FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(user=request.user, department=department, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Department %(name)s saved.") % {"name": department.name})
            return redirect(_list_url(department.authority_id))
    return render(
        request,
        "inspections/district/department_form.html",
        {"form": form, "authority": department.authority, "department": department, "title": _("Edit department")},
    )


@login_required
@require_POST
def department_delete(request, pk):
    """Delete a department no team member or account belongs to; otherwise say why it stays."""
    department = selectors.department_get_for_user(request.user, pk)
    try:
        services.department_delete(user=request.user, department=department)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Department %(name)s deleted.") % {"name": department.name})
    return redirect(_list_url(department.authority_id))
