"""Vietnamese written in plain ASCII, for file names and slugs: Đ→D, đ→d, every tone and shape mark dropped.

Django's `slugify` drops "đ" altogether (it has no decomposition), so "Thạnh Đông A" became
"thanh-ong-a"; every name that becomes a slug or a file name goes through here instead.
"""

import unicodedata

from django.utils.text import slugify

# Letters NFKD does not split into a base and a mark. "Ð" (eth) is typed for "Đ" on some keyboards.
_LETTERS = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})


def transliterate(text: str) -> str:
    """The text in ASCII letters: "Thạnh Đông A" → "Thanh Dong A"; characters with no ASCII letter are dropped."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    return "".join(ch for ch in decomposed if ord(ch) < 128)


def ascii_slug(text: str) -> str:
    """A lower-case slug of the text: "Thạnh Đông A" → "thanh-dong-a"."""
    return slugify(transliterate(text))
