"""Filters of the PDF templates: numbers with a decimal comma, dates as official documents write them."""

from django import template

from reports.rendering import formatting

register = template.Library()


@register.filter
def score(value, places: int = 2) -> str:
    return formatting.number(value, int(places))


@register.filter
def change(value) -> str:
    return formatting.signed(value)


@register.filter
def dmy(value) -> str:
    return formatting.short_date(value)


@register.filter
def long_date(value) -> str:
    return formatting.long_date(value) if value else ""


@register.filter
def in_sentence(unit) -> str:
    return formatting.unit_phrase(unit)


@register.filter
def upper_vi(value) -> str:
    return str(value).upper()


@register.filter
def no_stop(value) -> str:
    """A finding's text without its closing punctuation, to be followed by more of the sentence."""
    return str(value or "").strip().rstrip(".;:, ")


@register.filter
def paragraphs(value) -> list[str]:
    """The non-empty lines of a text typed in a form: one paragraph each in the document."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]
