"""Access rows of the authority's departments: its people read them, its secretariat changes them."""

from tests.access import Row, expect


def department(w):
    """A department of the world's district that no team member or account belongs to."""
    from communes.models import Department

    found, _created = Department.objects.get_or_create(
        authority=w.district, name="Phòng Tư pháp", defaults={"short_name": "Tư pháp", "order": 2}
    )
    return {"pk": found.pk}


# Every person of the district reads the list; commune people are refused it. Only the secretariat
# adds, edits and deletes; a department is out of commune people's sight (404).
district_readers = expect(200, commune_a=403, commune_a_lead=403, commune_b=403)
unseen_by_communes = {"commune_a": 404, "commune_a_lead": 404, "commune_b": 404}
department_data = lambda w: {"name": "Phòng Văn hóa và Thông tin", "short_name": "VH-TT", "order": "3"}  # noqa: E731

ACCESS_ROWS = [
    Row("inspections:department_list", district_readers),
    Row("inspections:department_add", expect(403, secretariat=200)),
    Row("inspections:department_add", expect(403, secretariat=302), method="post", data=department_data),
    Row("inspections:department_edit", expect(403, secretariat=200, **unseen_by_communes), kwargs=department),
    Row(
        "inspections:department_edit",
        expect(403, secretariat=302, **unseen_by_communes),
        kwargs=department,
        method="post",
        data=department_data,
    ),
    Row(
        "inspections:department_delete",
        expect(403, secretariat=302, **unseen_by_communes),
        kwargs=department,
        method="post",
    ),
]
