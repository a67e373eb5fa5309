"""Access rows of finding things: the search page, and the campaign's largest gaps."""

from tests.access import Row, expect

ACCESS_ROWS = [
    # Everyone signed in searches; what each finds is scoped (inspections/tests/test_search.py).
    Row("inspections:search", expect(200), data=lambda w: {"q": "thanh dong a"}),
    Row("inspections:search", expect(405), method="post", data=lambda w: {"q": "thanh dong a"}),
]
