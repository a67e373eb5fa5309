"""Helpers shared by the portal views: where to go back to, and service errors on forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def self_assessment_url(visit, criterion_id: int | None = None) -> str:
    url = reverse("inspections:self_assessment", args=[visit.pk])
    return f"{url}#criterion-{criterion_id}" if criterion_id else url


def finding_remedy_url(finding, anchor: str = "") -> str:
    url = reverse("inspections:finding_remedy", args=[finding.pk])
    return f"{url}#{anchor}" if anchor else url


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
