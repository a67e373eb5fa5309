"""An area's English title, where the set has one, is what English pages show; Vietnamese pages keep the title."""

import pytest
from django.urls import reverse

from inspections.models import ReviewArea, Visit

pytestmark = pytest.mark.django_db

ENGLISH = "Administrative procedures"


@pytest.fixture
def named(world):
    ReviewArea.objects.filter(pk=world.areas[0].pk).update(title_en=ENGLISH)
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    return world


def _pages(world):
    return {
        "commune_a": [
            reverse("inspections:self_assessment", args=[world.visit_a.pk]),
            reverse("inspections:remedy_list"),
        ],
        "lead": [
            reverse("inspections:visit_workspace", args=[world.visit_a.pk]),
            reverse("inspections:plan_dashboard", args=[world.plan.pk]),
        ],
        "secretariat": [
            reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk]),
            reverse("inspections:team_edit", args=[world.plan.pk]),
        ],
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_page_that_names_an_area_names_it_in_the_readers_language(named, client, language):
    client.cookies["cchc_language"] = language
    for who, urls in _pages(named).items():
        client.force_login(named.users[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            if language == "en":
                assert ENGLISH in body, url
            else:
                assert ENGLISH not in body and "Thủ tục hành chính" in body, url
    # An area without an English title keeps its title on English pages.
    assert "Hiện đại hóa" in body


def test_the_dashboard_export_heads_its_area_columns_in_the_readers_language(named, client):
    import io

    from openpyxl import load_workbook

    client.force_login(named.users["secretariat"])
    client.cookies["cchc_language"] = "en"
    response = client.get(reverse("inspections:plan_dashboard_export", args=[named.plan.pk]))
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).active[2]]
    assert f"1. {ENGLISH} (%)" in headers


def test_the_dashboards_area_chart_labels_an_area_in_the_readers_language(named, client):
    client.force_login(named.users["lead"])
    url = reverse("inspections:plan_dashboard", args=[named.plan.pk]) + "?chart=area"
    client.cookies["cchc_language"] = "en"
    assert ENGLISH in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    client.cookies["cchc_language"] = "vi"
    svg = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert ENGLISH not in svg and "Thủ tục hành chính" in svg
