from tests.access import Row, expect

ACCESS_ROWS = [
    # The official register is public data: every signed-in person reads it.
    Row("communes:unit_register", expect(200)),
    Row("communes:unit_detail", expect(200), kwargs=lambda w: {"pk": w.commune_b.pk}),
]
