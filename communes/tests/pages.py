"""Reading lists off rendered pages in tests."""

import re


def in_page_order(page: str, names) -> list[str]:
    """`names` in the order they first appear in `page`; every one must appear."""
    found = {name: re.search(rf"\b{re.escape(name)}(?!\w)", page) for name in names}
    assert all(found.values()), found
    return sorted(found, key=lambda name: found[name].start())
