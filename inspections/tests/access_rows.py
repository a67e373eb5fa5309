from tests.access import Row, commune_a_only, expect

ACCESS_ROWS = [
    Row("inspections:plan_detail", expect(200), kwargs=lambda w: {"pk": w.plan.pk}),
    Row("inspections:visit_detail", commune_a_only(), kwargs=lambda w: {"pk": w.visit_a.pk}, label="commune A"),
    Row(
        "inspections:visit_detail",
        expect(200, commune_a=404, commune_a_lead=404),
        kwargs=lambda w: {"pk": w.visit_b.pk},
        label="commune B",
    ),
]
