"""The last touches an official would otherwise ask for, applied to a document's final HTML.

- An abbreviation is spelled out where it is first used ("cải cách hành chính (CCHC)").
- A unit's name is never split across two lines ("Thạnh Đông A", not "Thạnh / Đông A").
- A paragraph never ends with one word alone on its last line: its last two words are tied.

Only text between tags changes; tags, styles and the drawings (SVG) are left as they are.
"""

import re

NBSP = "\u00a0"

# Vietnamese official usage: the full form, then the abbreviation in brackets, at its first use.
ABBREVIATIONS = (
    ("CCHC", "cải cách hành chính"),
    ("CBCC", "cán bộ, công chức"),
    ("LĐ-TBXH", "Lao động - Thương binh và Xã hội"),
    ("HĐND", "Hội đồng nhân dân"),
    ("UBND", "Ủy ban nhân dân"),
)

_TOKENS = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
_SKIPPED = ("style", "title", "svg", "script")
_BODY_MARK = "<!--body-->"
_CLOSING_MARK = "<!--closing-->"


def _segments(html: str):
    """(is_text, piece) pairs; text inside <style>, <title> and <svg> counts as markup."""
    skipping = None
    for piece in _TOKENS.split(html):
        if piece.startswith("<"):
            tag = _TAG_NAME.match(piece)
            name = tag.group(1).lower() if tag else ""
            if skipping is None and name in _SKIPPED and not piece.startswith("</") and not piece.endswith("/>"):
                skipping = name
            elif skipping == name and piece.startswith("</"):
                skipping = None
            yield False, piece
        else:
            yield skipping is None, piece


def spell_out_abbreviations(html: str) -> str:
    """At the first use of each abbreviation in the body, write its full form before it.

    The letterhead and the closing (signatures, recipients) keep their usual abbreviations.
    """
    head, mark, body = html.partition(_BODY_MARK)
    if not mark:
        head, body = "", html
    body, end_mark, tail = body.partition(_CLOSING_MARK)
    pending = dict(ABBREVIATIONS)
    patterns = {abbr: re.compile(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])") for abbr in pending}
    out, consumed = [], 0
    for is_text, piece in _segments(body):
        if not pending:
            # Every abbreviation met: the rest of a province's long report is left as it is.
            break
        consumed += len(piece)
        if is_text:
            for abbr in list(pending):
                match = patterns[abbr].search(piece)
                if match is None:
                    continue
                full = pending.pop(abbr)
                before = piece[: match.start()]
                if before.rstrip().endswith("("):
                    # Already written as "full (ABBR)" by the author.
                    continue
                piece = f"{before}{full} ({abbr}){piece[match.end() :]}"
        out.append(piece)
    out.append(body[consumed:])
    return head + mark + "".join(out) + end_mark + tail


def _trie(words) -> str:
    """One pattern matching any of `words`, the longest first, written as a tree of their common prefixes.

    A province's report names hundreds of units: an alternation of them all is tried name by name
    at every position of the text, the tree letter by letter.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word ends here: the longer words through this node are tried first (greedy), then this one.
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


def join_names(html: str, names) -> str:
    """Tie the words of each name with non-breaking spaces, the longest names first."""
    wanted = {n.strip() for n in names if n and " " in n.strip()}
    if not wanted:
        return html
    pattern = re.compile(rf"(?<!\w){_trie(wanted)}(?!\w)")
    out = []
    for is_text, piece in _segments(html):
        # Every name has a space: a piece without one holds none.
        if is_text and " " in piece:
            piece = pattern.sub(lambda m: m.group(0).replace(" ", NBSP), piece)
        out.append(piece)
    return "".join(out)


_BLOCK = re.compile(r"(<(p|li|h2|h3|h4)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
MIN_WORDS = 4
MAX_LONE = 10


def _tie_last_words(inner: str) -> str:
    pieces = _TOKENS.split(inner)
    chars = [(i, j) for i, piece in enumerate(pieces) if not piece.startswith("<") for j in range(len(piece))]
    text = "".join(pieces[i][j] for i, j in chars)
    if len(text.split()) < MIN_WORDS:
        return inner
    last = len(text.rstrip()) - 1
    space = max((k for k in range(last) if text[k].isspace() and text[k] != NBSP), default=-1)
    if space <= 0 or not text[:space].strip():
        return inner
    # Only a short last word needs company: a long last group ("(xã Tân Thành)") fills its line well
    # enough, and tying it to more would stretch the spaces of the line above.
    if len(text[space + 1 : last + 1]) > MAX_LONE:
        return inner
    i, j = chars[space]
    if j == len(pieces[i]) - 1 and i + 2 < len(pieces) and not pieces[i + 1].startswith("</"):
        # A no-break space just before an inline element is mishandled by the layout engine: it would
        # keep the whole line together. Moved inside the element, it ties the same two words.
        pieces[i] = pieces[i][:j]
        pieces[i + 2] = NBSP + pieces[i + 2]
    else:
        pieces[i] = pieces[i][:j] + NBSP + pieces[i][j + 1 :]
    return "".join(pieces)


def keep_last_words(html: str) -> str:
    """Tie the last two words of every paragraph and list item, so no line holds one word alone."""
    head, mark, body = html.partition(_BODY_MARK)
    if not mark:
        head, body = "", html
    return head + mark + _BLOCK.sub(lambda m: m.group(1) + _tie_last_words(m.group(3)) + m.group(4), body)


def finish(html: str, *, names) -> str:
    """Every touch above, in order."""
    return keep_last_words(join_names(spell_out_abbreviations(html), names))
