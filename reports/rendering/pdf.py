"""HTML to PDF with WeasyPrint: one embedded serif, NFC text, static files only.

The documents use one font family, Liberation Serif, declared in static/css/pdf.css with
@font-face from the static files (WeasyPrint names the embedded fonts after it). Text is
NFC-normalised, so every Vietnamese letter is one precomposed glyph the font has;
characters the font lacks are replaced before layout rather than drawn by a fallback
font; and the finished PDF is checked: every font embedded, none of another family.
"""

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.fetcher import STATIC_BASE, StaticFilesFetcher

FONT_FAMILY_PREFIX = "Liberation-Serif"
FONT_FILES = (
    "pdf-fonts/LiberationSerif-Regular.ttf",
    "pdf-fonts/LiberationSerif-Bold.ttf",
    "pdf-fonts/LiberationSerif-Italic.ttf",
    "pdf-fonts/LiberationSerif-BoldItalic.ttf",
)
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


@cache
def supported_codepoints() -> frozenset[int]:
    """The characters every face of the document font can draw."""
    common = None
    for name in FONT_FILES:
        found = finders.find(name)
        if not found:
            raise FontMissing(
                _(
                    "The document font %(file)s is missing: install Debian's fonts-liberation2 "
                    "or set PDF_FONT_DIR to a folder with Liberation Serif."
                )
                % {"file": Path(name).name}
            )
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
    fetcher = StaticFilesFetcher()
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).render(font_config=font_config)
    return document


def _fonts_in(resources, seen: set):
    """Yield the font dictionaries of a resource dictionary and of the forms and patterns it draws."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for kind in ("/XObject", "/Pattern"):
        for ref in (resources.get(kind) or {}).values():
            key = getattr(ref, "idnum", None)
            if key is not None and key in seen:
                continue
            seen.add(key)
            yield from _fonts_in(ref.get_object().get("/Resources"), seen)


def check_fonts(content: bytes) -> list[str]:
    """The fonts of a PDF (base names); FontCheckFailed if one is not embedded or not the document font."""
    reader = PdfReader(io.BytesIO(content))
    names, problems, seen = set(), set(), set()
    for page in reader.pages:
        for font in _fonts_in(page.get("/Resources"), seen):
            # Subsets are named ABCDEF+Family-Style.
            family = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            names.add(family)
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.add(f"{family} is not embedded")
            if not family.startswith(FONT_FAMILY_PREFIX):
                problems.add(f"{family} is not {FONT_FAMILY_PREFIX}")
    if problems:
        raise FontCheckFailed("; ".join(sorted(problems)))
    return sorted(names)


def html_to_pdf(html: str, *, on_stage=None) -> RenderedPdf:
    """Render an HTML document to a checked PDF."""
    stage = on_stage or (lambda *_args: None)
    html, replaced = prepare_text(html)
    stage("layout")
    document = layout(html)
    stage("writing")
    content = document.write_pdf()
    check_fonts(content)
    return RenderedPdf(content=content, page_count=len(document.pages), replaced_characters=replaced)
