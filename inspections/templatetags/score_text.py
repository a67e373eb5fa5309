"""A score or a number of points as the forms and messages write it: 0,5 and 2,25, without trailing zeros."""

from django import template

from .. import score_text as texts

register = template.Library()


@register.filter(name="score_text")
def score_text_filter(value) -> str:
    """`score_text` of a number; "" for none."""
    return "" if value is None or value == "" else texts.score_text(value)
