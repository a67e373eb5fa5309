"""Vietnamese names folded for search ("Thạnh Đông" → "thanh dong"), and sorted as a dictionary sorts them."""

import unicodedata
from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate


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


# PostgreSQL's ICU collation for Vietnamese sorts names as `name_key` does (a test compares them); SQLite
# connections get a collation of the same name made of `name_key` (communes.apps).
DICTIONARY_COLLATION = "vi-x-icu"


def dictionary_order(field: str) -> Collate:
    """`field`, a name, for `order_by` in Vietnamese dictionary order: Óc Eo, Ô Môn, Ông Văn Tư, then Vĩnh Thạnh.

    The database's own order is by code point, which puts Ô, Ó and Đ after every V.
    """
    return Collate(F(field), DICTIONARY_COLLATION)


def _compare(first: str, second: str) -> int:
    first_key, second_key = name_key(first), name_key(second)
    return (first_key > second_key) - (first_key < second_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """Give each SQLite connection the collation `dictionary_order` names, made of `name_key`."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(DICTIONARY_COLLATION, _compare)
