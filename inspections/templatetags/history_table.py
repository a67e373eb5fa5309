"""The change-history table, written in Python (see inspections.history_html)."""

from django import template

from ..history_html import history_table as write_history_table

register = template.Library()


@register.filter
def history_table(entries):
    """`{{ entries|history_table }}`: the table `_history_table.html` writes, byte for byte."""
    return write_history_table(entries)
