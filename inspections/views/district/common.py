"""Helpers shared by the district views: fetching with the right 404/403, messages from service errors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse

from reports.selectors import report_visit_list_for_user

from ... import permissions, selectors


def visit_for_workspace(request, pk):
    """The visit if the user sees it (404 otherwise) and may work on it (403 otherwise)."""
    visit = selectors.visit_get_for_user(request.user, pk)
    if not permissions.can_open_workspace(request.user, visit):
        raise PermissionDenied
    return visit


def visit_for_reading(request, pk):
    """The visit if the user sees it (404) and may read its minutes, notice and history (403 otherwise)."""
    visit = selectors.visit_get_for_user(request.user, pk)
    if not permissions.can_read_visit(request.user, visit):
        raise PermissionDenied
    return visit


def plan_for_dashboard(request, pk):
    """The campaign if the user sees it (404) and may read its dashboard (403)."""
    plan = selectors.plan_get_for_user(request.user, pk)
    if not permissions.can_view_dashboard(request.user, plan):
        raise PermissionDenied
    return plan


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where it names them, else on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def evidence_url(evidence) -> str | None:
    """The permission-checked download URL of an evidence file, once the portal provides it."""
    try:
        return reverse("inspections:evidence_download", args=[evidence.pk])
    except NoReverseMatch:
        return None


def visit_links(user, visit) -> dict:
    """Which of a visit's pages the user may open, so that no link leads to a refusal."""
    return {
        "may_open_workspace": permissions.can_open_workspace(user, visit),
        "may_read_visit": permissions.can_read_visit(user, visit),
        # The documents of a visit are those of the visits the user sees: no query when that is known already.
        "may_open_documents": selectors.visit_seen_by_scope(user, visit)
        or report_visit_list_for_user(user, plan=visit.plan).filter(pk=visit.pk).exists(),
    }
