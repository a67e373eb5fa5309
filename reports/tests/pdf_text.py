"""Reading rendered PDFs in tests through poppler: text, fonts, pages."""

import subprocess
import tempfile
from dataclasses import dataclass


@dataclass
class PdfFont:
    name: str
    embedded: bool


def _with_file(content: bytes, *command: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        result = subprocess.run(
            [*command, handle.name, *(["-"] if command[0] == "pdftotext" else [])], capture_output=True, check=True
        )
    return result.stdout.decode("utf-8")


def text(content: bytes, *, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of a page range), whitespace collapsed to single spaces."""
    pages = []
    if first:
        pages += ["-f", str(first)]
    if last:
        pages += ["-l", str(last)]
    return " ".join(_with_file(content, "pdftotext", "-enc", "UTF-8", *pages).split())


def fonts(content: bytes) -> list[PdfFont]:
    """The fonts pdffonts lists: base name without the subset tag, and whether it is embedded."""
    lines = _with_file(content, "pdffonts").splitlines()[2:]
    found = []
    for line in lines:
        columns = line.split()
        # name type... emb sub uni object ID: emb is the fifth column from the end.
        found.append(PdfFont(name=columns[0].split("+", 1)[-1], embedded=columns[-5] == "yes"))
    return found


def page_count(content: bytes) -> int:
    for line in _with_file(content, "pdfinfo").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")
