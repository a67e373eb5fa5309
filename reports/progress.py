"""The stages of a render, with the share of the work done when each begins and its label.

The record keeps the stage's key; pages show its label in the reader's language.
"""

from django.utils.translation import gettext_lazy as _

STAGES = {
    "started": (5, _("started")),
    "data": (10, _("collecting data")),
    "charts": (25, _("drawing charts")),
    "html": (35, _("composing the document")),
    "layout": (45, _("laying out pages")),
    "writing": (80, _("writing the file")),
    "saving": (95, _("saving the file")),
    "done": (100, _("done")),
}


def stage_label(key: str) -> str:
    return str(STAGES[key][1]) if key in STAGES else key
