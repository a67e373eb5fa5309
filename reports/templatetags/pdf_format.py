"""Filters of the PDF templates: numbers with a decimal comma, dates as official documents write them."""

import re

from django import template
from django.utils.safestring import mark_safe

from reports.rendering import formatting, pdf

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
def clock(value) -> str:
    return formatting.clock(value)


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
    return formatting.no_stop(value)


_HEADING = re.compile(r"^(\d+(\.\d+)*\.|[a-zđ]\))\s+\S")


@register.filter
def is_heading(value) -> bool:
    """A line the secretariat numbered ("1. Ưu điểm", "2.1. …", "a) …"): printed as a heading, not body text."""
    text = str(value or "").strip()
    return bool(_HEADING.match(text)) and len(text) < 120 and not text.endswith(".")


@register.filter
def paragraphs(value) -> list[str]:
    """The non-empty lines of a text typed in a form: one paragraph each in the document."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


@register.simple_tag
def pdf_font_face():
    """The @font-face rules of the document font and the rules that set every text in it.

    The family and files come from settings (PDF_FONT_FAMILY, PDF_FONT_FILES), so the quotes,
    backslashes and angle brackets a CSS string or a <style> element could not hold are dropped.
    """
    family = _css_string(pdf.font_family())
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{_css_string(path)}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for path, (weight, style) in zip(pdf.font_files(), pdf.FACES, strict=True)
    ]
    rules.append(f'html, * {{ font-family: "{family}"; }}')
    rules.append(f'@page {{ @top-center {{ font-family: "{family}"; }} }}')
    # Bandit B308/B703 (mark_safe) reviewed: only settings values, stripped of quotes and brackets.
    return mark_safe("\n".join(rules))  # nosec


def _css_string(value: str) -> str:
    return "".join(ch for ch in str(value) if ch not in "\"'\\<>\n\r")
