"""Helpers shared by the portal views: where to go back to, service errors on forms, POST-only actions."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from ... import selectors


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def self_assessment_url(visit, criterion_id: int | None = None) -> str:
    url = reverse("inspections:self_assessment", args=[visit.pk])
    return f"{url}#criterion-{criterion_id}" if criterion_id else url


def finding_remedy_url(finding, anchor: str = "") -> str:
    url = reverse("inspections:finding_remedy", args=[finding.pk])
    return f"{url}#{anchor}" if anchor else url


def visit_page(request, pk, criterion_pk: int | None = None) -> str:
    """The self-assessment page of a visit the user sees (404 otherwise), at one criterion when given."""
    return self_assessment_url(selectors.visit_get_for_user(request.user, pk), criterion_pk)


def remedy_page(request, pk) -> str:
    """The page of the finding a remedy the user sees (404 otherwise) answers."""
    return finding_remedy_url(selectors.remedy_get_for_user(request.user, pk).finding)


def add_errors(form, error: ValidationError, field: str | None = None) -> None:
    """Put a service's refusal on the form, on `field` when given, else on the form as a whole."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(field, error.messages)


def flash_errors(request, error: ValidationError) -> None:
    """Show a service's refusal as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def method_not_allowed(request, allowed: list[str]):
    """A 405 in the site's layout and the user's language, rather than Django's bare English one."""
    response = render(request, "inspections/portal/method_not_allowed.html", status=405)
    response["Allow"] = ", ".join(allowed)
    return response


def post_action(page_url: Callable[..., str]):
    """Make a view an action its page's forms post to, and send a GET on it to that page.

    A refused form is shown again on the action's address, from where a reload, a bookmark
    or the language switch asks for it with GET: `page_url(request, **kwargs)` says where
    to go instead (it raises Http404 for objects the user may not see). Other methods get 405.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(page_url(request, **kwargs))
            if request.method != "POST":
                return method_not_allowed(request, ["GET", "HEAD", "POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
