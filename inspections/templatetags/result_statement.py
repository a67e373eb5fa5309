"""Template filters that state how a visit's result was reached (see inspections.result_text)."""

from django import template

from .. import result_text
from ..scoring import VisitResult

register = template.Library()


@register.filter
def result_statement(result) -> list[str]:
    """The sentences stating conversion, bonus, penalty, survey and refused bands of a result."""
    # Anything else (the commune's own score before the team publishes its appraisal) states nothing.
    return result_text.statement(result) if isinstance(result, VisitResult) else []


@register.filter
def result_note(result) -> str:
    """A compact note of the same for a table cell."""
    return result_text.short_note(result) if isinstance(result, VisitResult) else ""
