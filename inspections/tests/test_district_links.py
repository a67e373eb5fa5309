"""Links of the campaign and visit pages: each role sees the pages it may open, and no link leads to a refusal."""

import re

import pytest
from django.urls import reverse

SETUP_URLS = ("inspections:plan_edit", "inspections:team_edit", "inspections:schedule", "inspections:plan_next")


def _hrefs(body: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', body))


def test_secretariat_finds_the_set_up_pages_on_the_campaign_page(world, persona_client):
    body = persona_client("secretariat").get(reverse("inspections:plan_detail", args=[world.plan.pk])).content.decode()
    assert 'data-testid="setup-links"' in body
    assert "Thiết lập" in body
    for name in SETUP_URLS:
        assert reverse(name, args=[world.plan.pk]) in _hrefs(body)


@pytest.mark.parametrize("persona", ["lead", "inspector", "viewer", "commune_a"])
def test_others_see_no_set_up_area(world, persona_client, persona):
    body = persona_client(persona).get(reverse("inspections:plan_detail", args=[world.plan.pk])).content.decode()
    assert 'data-testid="setup-links"' not in body
    assert reverse("inspections:plan_edit", args=[world.plan.pk]) not in body


@pytest.mark.parametrize("persona", ["secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead"])
def test_every_link_on_the_campaign_and_visit_pages_opens(world, persona_client, persona):
    client = persona_client(persona)
    pages = [reverse("inspections:plan_detail", args=[world.plan.pk])]
    pages.append(reverse("inspections:visit_detail", args=[world.visit_a.pk]))
    for page in pages:
        body = client.get(page).content.decode()
        for href in _hrefs(body):
            if not href.startswith("/campaigns/") and not href.startswith("/reports/"):
                continue
            status = client.get(href).status_code
            assert status in {200, 302}, f"{persona} on {page}: {href} gives {status}"


def test_viewer_sees_the_read_only_pages_and_documents_but_not_the_workspace(world, persona_client):
    body = persona_client("viewer").get(reverse("inspections:visit_detail", args=[world.visit_a.pk])).content.decode()
    assert reverse("inspections:visit_workspace", args=[world.visit_a.pk]) not in body
    for name in ("minutes_edit", "conclusion_edit", "visit_history"):
        assert reverse(f"inspections:{name}", args=[world.visit_a.pk]) in body
    assert reverse("reports:visit_reports", args=[world.visit_a.pk]) in body


@pytest.mark.parametrize("page", ["visit_detail", "minutes_edit", "conclusion_edit", "visit_workspace"])
def test_visit_pages_link_to_the_visit_documents(world, persona_client, page):
    body = persona_client("lead").get(reverse(f"inspections:{page}", args=[world.visit_a.pk])).content.decode()
    assert reverse("reports:visit_reports", args=[world.visit_a.pk]) in body


def test_commune_staff_see_their_visit_documents_link(world, persona_client):
    url = reverse("inspections:visit_detail", args=[world.visit_a.pk])
    body = persona_client("commune_a").get(url).content.decode()
    assert reverse("reports:visit_reports", args=[world.visit_a.pk]) in body
    assert reverse("inspections:visit_workspace", args=[world.visit_a.pk]) not in body
