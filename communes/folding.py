"""Vietnamese names folded for search: no diacritics, no case ("Thạnh Đông" → "thanh dong")."""

import unicodedata


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, đ as d and spaces collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
