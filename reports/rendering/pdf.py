"""HTML to PDF with WeasyPrint: one embedded serif, NFC text, static files only.

The documents use one font family (settings.PDF_FONT_FAMILY, Liberation Serif by default,
shipped in reports/fonts/), declared by the {% pdf_font_face %} tag with @font-face rules
that point at the static files (WeasyPrint names the embedded fonts after it). Text is
NFC-normalised, so every Vietnamese letter is one precomposed glyph the font has;
characters the font lacks are replaced before layout rather than drawn by a fallback
font; and the written document is checked: no font of another family was used.
"""

import gc
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

# The four faces, in the order of settings.PDF_FONT_FILES.
FACES = (("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic"))
REPLACEMENT = "?"


class FontMissing(ImproperlyConfigured):
    """The document font is not installed where the static files are looked for."""


class FontCheckFailed(RuntimeError):
    """The PDF holds a font that is not embedded or not of the document's family."""


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    replaced_characters: str


def font_family() -> str:
    """The document font's family name, as the @font-face rules and the embedded fonts carry it."""
    return settings.PDF_FONT_FAMILY


def font_files() -> tuple[str, ...]:
    """The static paths of the four faces (regular, bold, italic, bold italic)."""
    return tuple(f"pdf-fonts/{name}" for name in settings.PDF_FONT_FILES)


def supported_codepoints() -> frozenset[int]:
    """The characters every face of the document font can draw."""
    return _supported_codepoints(str(settings.PDF_FONT_DIR), font_files())


@cache
def _supported_codepoints(folder: str, files: tuple[str, ...]) -> frozenset[int]:
    common = None
    for name in files:
        found = finders.find(name)
        if not found:
            raise FontMissing(
                _(
                    "The document font %(file)s is missing from %(folder)s: set PDF_FONT_DIR to the folder "
                    "that holds it (Liberation Serif ships in reports/fonts/)."
                )
                % {"file": Path(name).name, "folder": settings.PDF_FONT_DIR}
            )
        from fontTools.ttLib import TTFont

        with TTFont(found, lazy=True) as font:
            codepoints = set(font.getBestCmap())
        common = codepoints if common is None else common & codepoints
    return frozenset(common)


def prepare_text(html: str) -> tuple[str, str]:
    """NFC-normalise and replace characters the font cannot draw; returns the HTML and what was replaced."""
    html = unicodedata.normalize("NFC", html)
    supported = supported_codepoints()
    missing = {ch for ch in set(html) if ord(ch) >= 0x20 and ord(ch) not in supported}
    if not missing:
        return html, ""
    table = str.maketrans(dict.fromkeys(missing, REPLACEMENT))
    return html.translate(table), "".join(sorted(missing))


def layout(html: str):
    """Lay out prepared HTML into pages; the slow part of a render."""
    # WeasyPrint takes half a second to import: a web worker that never lays out a document
    # (the report worker does) does not load it, nor do the page filters that live beside it.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.fetcher import STATIC_BASE, StaticFilesFetcher

    fetcher = StaticFilesFetcher()
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render(font_config=font_config)
    return document


def check_fonts(document) -> list[str]:
    """The font families a written document used; FontCheckFailed if one is not the document font.

    A glyph the document font lacks would be drawn by a fallback font that fontconfig
    picks (DejaVu …): it would show here as another family.
    """
    families = sorted(
        {
            font.family.decode() if isinstance(font.family, bytes) else str(font.family)
            for font in document.fonts.values()
        }
    )
    family = font_family()
    foreign = [name for name in families if name != family]
    if foreign:
        raise FontCheckFailed(f"fonts other than {family}: {', '.join(foreign)}")
    return families


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the duration, as it was before afterwards.

    A layout builds millions of objects (boxes, styles, lines) that all live until the PDF
    is written; the collector would walk them again and again, about a quarter of the render
    time of a province's report. Reference counting frees them when the document is dropped,
    which must happen before the collector resumes; the cycles go at its next pass.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str, *, on_stage=None) -> RenderedPdf:
    """Render an HTML document to a checked PDF."""
    stage = on_stage or (lambda *_args: None)
    html, replaced = prepare_text(html)
    with collector_paused():
        stage("layout")
        document = layout(html)
        stage("writing")
        content = document.write_pdf()
        check_fonts(document)
        page_count = len(document.pages)
        # Dropped before the collector resumes: alive, the layout's millions of objects would be
        # walked by its first pass and kept for the oldest generation, to be freed only much later.
        del document
    return RenderedPdf(content=content, page_count=page_count, replaced_characters=replaced)
