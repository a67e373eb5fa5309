"""Every portal address opens with GET: an action's address leads to its page;
a refused form keeps the page's address; other methods get a page in the layout."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections import urls_portal
from inspections.models import Evidence, Finding, Remedy

pytestmark = pytest.mark.django_db


def objects_of_a(world) -> dict[str, int]:
    """The pk each portal address takes, by its first segment, for commune A's objects."""
    finding = world.visit_a.findings.get(kind=Finding.Kind.SHORTCOMING)
    return {
        "visits": world.visit_a.pk,
        "evidence": Evidence.objects.get(visit=world.visit_a).pk,
        "findings": finding.pk,
        "remedies": Remedy.objects.get(finding=finding).pk,
    }


def portal_urls(world, *, of_an_object: bool = False) -> list[str]:
    """Every address of the portal, from its URL patterns, for commune A's objects."""
    pks = objects_of_a(world)
    urls = []
    for pattern in urls_portal.urlpatterns:
        kwargs = {}
        if "pk" in pattern.pattern.converters:
            kwargs["pk"] = pks[str(pattern.pattern).split("/")[0]]
        elif of_an_object:
            continue
        if "criterion_pk" in pattern.pattern.converters:
            kwargs["criterion_pk"] = world.leaves[0].pk
        urls.append(reverse(f"inspections:{pattern.name}", kwargs=kwargs))
    return urls


def signed_in(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize("persona", ["commune_a", "commune_a_lead", "inspector", "secretariat", "viewer"])
def test_no_portal_address_answers_get_with_405(world, persona):
    client = signed_in(world, persona)
    for url in portal_urls(world):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)


def test_another_commune_learns_nothing_from_an_actions_address(world):
    client = signed_in(world, "commune_b")
    for url in portal_urls(world, of_an_object=True):
        assert client.get(url).status_code == 404, url


def test_get_on_an_action_leads_to_the_page_its_form_is_on(world):
    pks = objects_of_a(world)
    client = signed_in(world, "commune_a")
    finding_page = reverse("inspections:finding_remedy", args=[pks["findings"]])
    sheet = reverse("inspections:self_assessment", args=[pks["visits"]])
    criterion = world.leaves[0].pk
    expected = {
        reverse("inspections:remedy_evidence_upload", args=[pks["remedies"]]): finding_page,
        reverse("inspections:remedy_report", args=[pks["remedies"]]): finding_page,
        reverse("inspections:remedy_verify", args=[pks["remedies"]]): finding_page,
        reverse("inspections:remedy_return", args=[pks["remedies"]]): finding_page,
        reverse("inspections:self_score_save", args=[pks["visits"], criterion]): f"{sheet}#criterion-{criterion}",
        reverse("inspections:evidence_upload", args=[pks["visits"], criterion]): f"{sheet}#criterion-{criterion}",
        reverse("inspections:self_assessment_submit", args=[pks["visits"]]): sheet,
        reverse("inspections:self_assessment_withdraw", args=[pks["visits"]]): sheet,
        reverse("inspections:deadline_extend", args=[pks["visits"]]): sheet,
        reverse("inspections:evidence_delete", args=[pks["evidence"]]): f"{sheet}#criterion-{criterion}",
    }
    for action, page in expected.items():
        response = client.get(action)
        assert response.status_code == 302 and response["Location"] == page, action
        assert client.head(action).status_code == 302, action


def test_a_refused_proof_keeps_the_pages_address_and_switching_language_opens_the_page(world):
    pks = objects_of_a(world)
    client = signed_in(world, "commune_a")
    action = reverse("inspections:remedy_evidence_upload", args=[pks["remedies"]])
    page = reverse("inspections:finding_remedy", args=[pks["findings"]])
    body = "<html><body>Biên bản</body></html>".encode()
    upload = SimpleUploadedFile("bien-ban.html", body, content_type="text/html")
    response = client.post(action, {"proof-file": upload, "proof-document_number": "9/BB"})
    html = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in html and 'value="9/BB"' in html
    assert f'data-page-url="{page}#proof"' in html
    # The language switch sends back to the address the page was drawn at.
    response = client.post(reverse("set_language"), {"language": "en", "next": action}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == page
    assert 'lang="en"' in response.content.decode()


def test_a_remedy_sent_back_without_a_reason_keeps_the_pages_address(world):
    pks = objects_of_a(world)
    remedy = Remedy.objects.get(pk=pks["remedies"])
    Remedy.objects.filter(pk=remedy.pk).update(status=Remedy.Status.REPORTED)
    Finding.objects.filter(pk=pks["findings"]).update(status=Finding.Status.REPORTED)
    client = signed_in(world, "inspector")
    response = client.post(reverse("inspections:remedy_return", args=[remedy.pk]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in html
    assert f'data-page-url="{reverse("inspections:finding_remedy", args=[pks["findings"]])}"' in html


def test_a_refused_plain_save_keeps_the_sheets_address(world):
    criterion = world.leaves[1]
    client = signed_in(world, "commune_a")
    response = client.post(
        reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk]),
        {f"c{criterion.pk}-self_score": "99"},
    )
    sheet = reverse("inspections:self_assessment", args=[world.visit_a.pk])
    assert f'data-page-url="{sheet}#criterion-{criterion.pk}"' in response.content.decode()


def test_an_unexpected_method_gets_a_vietnamese_page_in_the_layout(world):
    client = signed_in(world, "commune_a")
    pks = objects_of_a(world)
    for url in (
        reverse("inspections:finding_remedy", args=[pks["findings"]]),
        reverse("inspections:question_list", args=[pks["visits"]]),
        reverse("inspections:remedy_report", args=[pks["remedies"]]),
    ):
        response = client.put(url)
        html = response.content.decode()
        assert response.status_code == 405 and "POST" in response["Allow"], url
        assert "Không mở được địa chỉ này" in html and 'id="language-form"' in html, url
