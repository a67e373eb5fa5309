"""Access rows of finding things: the search page, and the campaign's largest gaps."""

from tests.access import Row, commune_a_only, expect

ACCESS_ROWS = [
    # Everyone signed in searches; what each finds is scoped (inspections/tests/test_search.py).
    Row("inspections:search", expect(200), data=lambda w: {"q": "thanh dong a"}),
    Row("inspections:search", expect(405), method="post", data=lambda w: {"q": "thanh dong a"}),
]

# The campaign's largest gaps are read like its dashboard: the district side and the team, not the communes.
ACCESS_ROWS += [
    Row(
        "inspections:plan_gaps",
        expect(200, commune_a=403, commune_a_lead=403, commune_b=403),
        kwargs=lambda w: {"pk": w.plan.pk},
    ),
    Row("inspections:plan_gaps", expect(405), kwargs=lambda w: {"pk": w.plan.pk}, method="post"),
]

# A visit's evidence files: whoever sees the visit (commune B does not see commune A's).
ACCESS_ROWS += [
    Row(
        "inspections:visit_evidence",
        commune_a_only(),
        kwargs=lambda w: {"pk": w.visit_a.pk},
        label="commune A",
    ),
    Row(
        "inspections:visit_evidence",
        expect(200, commune_a=404, commune_a_lead=404),
        kwargs=lambda w: {"pk": w.visit_b.pk},
        label="commune B",
    ),
    Row("inspections:visit_evidence", expect(405), kwargs=lambda w: {"pk": w.visit_a.pk}, method="post"),
]
