"""Reading rendered PDFs in tests through poppler: text, fonts, pages."""

import html
import re
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


@dataclass
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @property
    def height(self) -> float:
        return self.y_max - self.y_min


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>|(<page\b)', re.S
)


def words(content: bytes) -> list[Word]:
    """Every word with its page (from 1) and its box in points, in reading order (pdftotext -bbox)."""
    found, page = [], 0
    for match in _WORD.finditer(_with_file(content, "pdftotext", "-enc", "UTF-8", "-bbox")):
        if match.group(6):
            page += 1
            continue
        x_min, y_min, x_max, y_max = (float(match.group(i)) for i in range(1, 5))
        found.append(Word(page, html.unescape(match.group(5)), x_min, y_min, x_max, y_max))
    return found


def page_of(content: bytes, phrase: str) -> int:
    """The page where a phrase (one or more words) first begins."""
    wanted = phrase.split()
    found = words(content)
    for index in range(len(found) - len(wanted) + 1):
        if [w.text for w in found[index : index + len(wanted)]] == wanted:
            return found[index].page
    raise AssertionError(f"{phrase!r} is not in the PDF")


def split_names(content: bytes, names) -> list[str]:
    """The names found with their words on two different lines (or pages); every name must occur."""
    found = words(content)
    split = []
    for name in names:
        parts = name.split()
        seen = 0
        for index in range(len(found) - len(parts) + 1):
            run = found[index : index + len(parts)]
            if [w.text.strip("(),.;:*") for w in run] != parts:
                continue
            seen += 1
            if len({(w.page, round(w.y_min)) for w in run}) > 1:
                split.append(name)
        assert seen, f"{name!r} is not in the PDF as separate words"
    return split
