"""Escaping as a template escapes a value, for the pages written in Python.

Django's `escape` is html.escape behind a wrapper for lazy text, which costs more than the
escaping itself; the workspace and history pages escape a few thousand values each.
"""

import html


def escape(value) -> str:
    """As `{{ value }}` writes it (conditional_escape): safe text as it is, anything else through html.escape."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
