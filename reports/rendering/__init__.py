"""Rendering of the official documents: data from the models → HTML templates → checked PDF (or xlsx).

Kept light on purpose: the template filters import `formatting` at start-up, while
WeasyPrint is loaded only by `documents` and `pdf`, where a render needs it.
"""
