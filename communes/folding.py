"""Vietnamese names folded for search ("Thạnh Đông" → "thanh dong"), and sorted as a dictionary sorts them."""

import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, đ as d and spaces collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; then the tones
# ngang, huyền, hỏi, ngã, sắc, nặng. NFD splits a letter into its base, its shape mark
# (breve, circumflex, horn) and its tone mark.
_SHAPES = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


# A province's lists sort the same few hundred names on every page: each is taken apart once per process.
@lru_cache(maxsize=16_384)
def name_key(name: str) -> tuple:
    """A sort key that puts Vietnamese names in dictionary order (Tân Hội before Thạnh Trị)."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", str(name).casefold()):
        if char in _SHAPES and letters:
            letters[-1] = (letters[-1][0], _SHAPES[char])
        elif char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif char == "đ":
            letters.append(("d", 1))
            tones.append(0)
        else:
            letters.append((char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones)
