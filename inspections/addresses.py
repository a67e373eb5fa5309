"""Addresses of many objects made from one reversed address.

A province's page links hundreds of visits or criteria; `reverse()` per link cost as much as the
rest of a row. One address is reversed with a mark in place of the object's key, and every other
is its two halves around that key.
"""

from django.urls import reverse

# A key no object has, so that it is found only where the key goes.
PK_MARK = 987654321


def address_halves(name: str, *args) -> tuple[str, str]:
    """The address `name` with `args` and then a key, cut where the key goes: `head + str(pk) + tail`."""
    head, _mark, tail = reverse(name, args=[*args, PK_MARK]).partition(str(PK_MARK))
    return head, tail
