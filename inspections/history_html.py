"""The change-history table written in Python, byte for byte as `_history_table.html` writes it.

The workspace shows the latest changes under the criteria and the history page every change of a
visit: one template variable per cell was most of their drawing. The template stays the
definition; a test compares both on every kind of entry.
"""

import unicodedata

from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext

from .escaping import escape

# As the template's `truncatechars:200`.
CELL_LENGTH = 200


def _when(value) -> str:
    # The `date` filter reads an aware time in the current time zone (Asia/Ho_Chi_Minh).
    return escape(date_filter(localtime(value), "SHORT_DATETIME_FORMAT"))


def _cell(value) -> str:
    # Truncator counts the characters of the composed (NFC) text: one no longer than the limit is kept whole.
    text = unicodedata.normalize("NFC", str(value))
    return escape(text if len(text) <= CELL_LENGTH else Truncator(value).chars(CELL_LENGTH))


def history_table(entries) -> SafeString:
    """The table of the given history entries, as the template writes it (its line breaks included)."""
    head = "".join(
        f'<th scope="col">{escape(gettext(word))}</th>'
        for word in ("When", "Who", "What", "Field", "Old value", "New value")
    )
    parts = []
    for entry in entries:
        when = _when(entry.when)
        who = escape(entry.who) if entry.who else "—"
        what = f'{escape(entry.subject)} <span class="text-body-secondary">({escape(entry.action)})</span>'
        changes = entry.changes
        rows = []
        for index, change in enumerate(changes):
            span = len(changes)
            first = (
                f'<td rowspan="{span}">{when}</td><td rowspan="{span}">{who}</td><td rowspan="{span}">{what}</td>'
                if index == 0
                else ""
            )
            label = str(change.label)
            label = escape(label[:1].upper() + label[1:])
            rows.append(
                f"\n    <tr>\n      {first}\n"
                f'      <td>{label}</td><td class="text-body-secondary">{_cell(change.old)}</td>'
                f"<td>{_cell(change.new)}</td>\n    </tr>\n    "
            )
        if not changes:
            rows.append(f'\n    <tr><td>{when}</td><td>{who}</td><td>{what}</td><td colspan="3"></td></tr>\n    ')
        parts.append(f"\n    {''.join(rows)}\n  ")
    if not entries:
        empty = escape(gettext("No change recorded yet."))
        parts.append(f'\n    <tr><td colspan="6" class="text-body-secondary">{empty}</td></tr>\n  ')
    html = (
        '\n<div class="table-responsive">\n<table class="table table-sm small align-top" data-testid="history-table">'
        f"\n  <thead><tr>{head}</tr></thead>\n  <tbody>\n  {''.join(parts)}\n  </tbody>\n</table>\n</div>\n"
    )
    # Bandit B308/B703 (mark_safe) reviewed: every value from a person or the database is escaped above.
    return mark_safe(html)  # nosec
