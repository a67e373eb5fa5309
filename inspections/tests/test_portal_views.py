"""Portal pages: per-criterion saves by htmx or plain POST, nothing typed is lost, the page explains locks."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.demo.portal import sample_pdf
from inspections.models import CriterionScore, Evidence, Finding, Remedy, Visit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def open_visit(world, days_left=7):
    deadline = timezone.localdate() + dt.timedelta(days=days_left)
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT, self_assessment_deadline=deadline
    )


def signed_in(client, world, persona="commune_a"):
    client.force_login(world.users[persona])
    return client


def save_url(world, criterion):
    return reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk])


def score_post(criterion, score, explanation="", version=None):
    prefix = f"c{criterion.pk}"
    data = {f"{prefix}-self_score": score, f"{prefix}-self_explanation": explanation}
    if version is not None:
        data[f"{prefix}-version"] = str(version)
    return data


def version_of(world, criterion):
    return CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).version


def test_htmx_save_swaps_only_the_criterion_and_the_progress(world, client):
    open_visit(world)
    criterion = world.leaves[1]
    response = signed_in(client, world).post(
        save_url(world, criterion),
        score_post(criterion, "3,5", "Đã phân cấp", version_of(world, criterion)),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="criterion-{criterion.pk}"' in html and 'data-testid="saved"' in html
    assert 'id="sa-progress"' in html and 'hx-swap-oob="true"' in html
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == 3.5


def sheet_url(world):
    return reverse("inspections:self_assessment", args=[world.visit_a.pk])


def element(html, element_id):
    """The opening tag and text of the element with this id (its first inner tag ends the text)."""
    found = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>[^<]*', html)
    return found.group(0) if found else ""


def test_the_first_htmx_save_turns_the_status_badge_from_scheduled_to_self_assessment(world, client):
    deadline = timezone.localdate() + dt.timedelta(days=7)
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SCHEDULED, self_assessment_deadline=deadline)
    client = signed_in(client, world)
    page = client.get(sheet_url(world)).content.decode()
    assert element(page, "visit-status").endswith(">Đã lên lịch")
    criterion = world.leaves[1]
    response = client.post(
        save_url(world, criterion), score_post(criterion, "3", "Đã phân cấp", version_of(world, criterion)), **HTMX
    )
    assert Visit.objects.get(pk=world.visit_a.pk).status == Visit.Status.SELF_ASSESSMENT
    badge = element(response.content.decode(), "visit-status")
    # The same element as the page's, swapped out of band with the new status.
    assert 'hx-swap-oob="true"' in badge and badge.endswith(">Đang tự đánh giá")
    assert "Đã lên lịch" not in response.content.decode()


def test_a_save_sends_the_new_sums_of_the_criterions_area(world, client):
    open_visit(world)
    client = signed_in(client, world)
    area = world.areas[0]
    # Area 1 holds 1.1.1 (3 of 6), 1.1.2 (2 of 4) and 1.2 (20 of 40).
    assert element(client.get(sheet_url(world)).content.decode(), f"area-total-{area.pk}").endswith(">25 / 50")
    criterion = world.leaves[2]
    response = client.post(
        save_url(world, criterion), score_post(criterion, "30,5", "Đủ", version_of(world, criterion)), **HTMX
    )
    total = element(response.content.decode(), f"area-total-{area.pk}")
    assert 'hx-swap-oob="true"' in total and total.endswith(">35,50 / 50")


def submit_form(html):
    """The submit form of the status card's actions, as the page or a save's answer writes it."""
    return html.split('id="sa-actions"', 1)[1].split("</form>", 1)[0]


def test_the_save_that_readies_the_sheet_gives_the_lead_a_submit_that_asks_to_confirm(world, client):
    open_visit(world)
    last = world.leaves[3]
    CriterionScore.objects.filter(visit=world.visit_a).exclude(criterion=last).update(self_explanation="Lưu hồ sơ")
    client = signed_in(client, world, "commune_a_lead")
    before = submit_form(client.get(sheet_url(world)).content.decode())
    assert "data-confirm=" not in before and "Trước khi nộp" in before
    response = client.post(save_url(world, last), score_post(last, "40", "Lưu hồ sơ", version_of(world, last)), **HTMX)
    html = response.content.decode()
    assert '<div id="sa-actions" hx-swap-oob="true">' in html
    after = submit_form(html)
    assert 'data-testid="submit-self-assessment"' in after and "data-confirm=" in after
    assert "Trước khi nộp" not in after


def test_plain_post_save_returns_to_the_criterion(world, client):
    open_visit(world)
    criterion = world.leaves[1]
    response = signed_in(client, world).post(save_url(world, criterion), score_post(criterion, "2", "Có"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/self-assessment/#criterion-{criterion.pk}")


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_refused_score_keeps_what_was_typed(world, client, htmx):
    open_visit(world)
    criterion = world.leaves[1]
    response = signed_in(client, world).post(
        save_url(world, criterion), score_post(criterion, "99", "Giải trình dài của xã"), **(HTMX if htmx else {})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="99"' in html and "Giải trình dài của xã" in html
    assert "4" in html and "is-invalid" in html
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == 2


def test_after_the_deadline_the_page_explains_why_and_keeps_the_entry(world, client):
    open_visit(world, days_left=-1)
    criterion = world.leaves[1]
    client = signed_in(client, world)
    page = client.get(reverse("inspections:self_assessment", args=[world.visit_a.pk])).content.decode()
    assert 'data-testid="lock-reason"' in page and "save-score" not in page
    response = client.post(save_url(world, criterion), score_post(criterion, "1", "Nộp muộn"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="score-error"' in html and "Nộp muộn" in html
    assert (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y") in html
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == 2


def test_a_conflicting_save_shows_both_and_the_next_save_wins(world, client):
    open_visit(world)
    criterion = world.leaves[1]
    stale = version_of(world, criterion)
    lead = signed_in(client.__class__(), world, "commune_a_lead")
    lead.post(save_url(world, criterion), score_post(criterion, "1", "Của chủ tịch", stale))
    staff = signed_in(client, world)
    response = staff.post(save_url(world, criterion), score_post(criterion, "3", "Của công chức", stale), **HTMX)
    html = response.content.decode()
    assert 'data-testid="score-error"' in html and "Commune A Lead" in html
    assert "Của công chức" in html and f'value="{stale + 1}"' in html
    staff.post(save_url(world, criterion), score_post(criterion, "3", "Của công chức", stale + 1), **HTMX)
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_explanation == "Của công chức"


def upload_url(world, criterion):
    return reverse("inspections:evidence_upload", args=[world.visit_a.pk, criterion.pk])


def test_htmx_upload_lists_the_file_on_the_criterion(world, client):
    open_visit(world)
    criterion = world.leaves[2]
    prefix = f"e{criterion.pk}"
    data = {
        f"{prefix}-file": SimpleUploadedFile("Quyết định 5.pdf", sample_pdf(title="Quyết định", lines=["Số 5"])),
        f"{prefix}-document_number": "5/QĐ-UBND",
        f"{prefix}-document_date": "2020-03-02",
        f"{prefix}-page_reference": "2",
    }
    response = signed_in(client, world).post(upload_url(world, criterion), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quyết định 5.pdf" in html and "5/QĐ-UBND" in html
    assert 'data-testid="progress-evidenced">2/4<' in html
    evidence = Evidence.objects.get(visit=world.visit_a, criterion=criterion)
    assert evidence.document_date == dt.date(2020, 3, 2) and evidence.page_reference == "2"


def test_a_refused_file_is_explained_and_the_document_details_stay(world, client):
    open_visit(world)
    criterion = world.leaves[2]
    prefix = f"e{criterion.pk}"
    data = {
        f"{prefix}-file": SimpleUploadedFile("bien-ban.pdf", b"<html><script>alert(1)</script></html>"),
        f"{prefix}-document_number": "9/BB",
    }
    response = signed_in(client, world).post(upload_url(world, criterion), data, **HTMX)
    html = response.content.decode()
    assert "bien-ban.pdf" in html and "HTML" in html and 'value="9/BB"' in html
    assert not Evidence.objects.filter(visit=world.visit_a, criterion=criterion).exists()


def test_each_person_sees_what_he_may_do(world, client):
    open_visit(world)
    url = reverse("inspections:self_assessment", args=[world.visit_a.pk])
    staff = signed_in(client, world, "commune_a").get(url).content.decode()
    assert "save-score" in staff and "submit-self-assessment" not in staff
    lead = signed_in(client.__class__(), world, "commune_a_lead").get(url).content.decode()
    assert "submit-self-assessment" in lead
    inspector = signed_in(client.__class__(), world, "inspector").get(url).content.decode()
    assert "save-score" not in inspector and "evidence-link" in inspector and "deadline_extend" not in inspector
    secretariat = signed_in(client.__class__(), world, "secretariat").get(url).content.decode()
    assert "/deadline/" in secretariat


def test_an_invalid_extension_keeps_the_secretariats_entry(world, client):
    open_visit(world, days_left=-2)
    response = signed_in(client, world, "secretariat").post(
        reverse("inspections:deadline_extend", args=[world.visit_a.pk]),
        {"deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "reason": "Công văn 12"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Công văn 12" in html and "is-invalid" in html


def test_commune_lead_submits_from_the_page(world, client):
    open_visit(world)
    CriterionScore.objects.filter(visit=world.visit_a).update(self_explanation="Lưu tại văn phòng")
    client = signed_in(client, world, "commune_a_lead")
    response = client.post(reverse("inspections:self_assessment_submit", args=[world.visit_a.pk]), follow=True)
    assert Visit.objects.get(pk=world.visit_a.pk).status == Visit.Status.SUBMITTED
    assert 'data-testid="withdraw-self-assessment"' in response.content.decode()


def test_remedy_pages_take_the_commune_and_the_inspector_through_the_flow(world, client):
    finding = world.visit_a.findings.get(kind=Finding.Kind.SHORTCOMING)
    url = reverse("inspections:finding_remedy", args=[finding.pk])
    staff = signed_in(client, world)
    response = staff.post(url, {"description": ""})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert staff.post(url, {"description": "Đã niêm yết lại", "completed_on": "2020-09-20"}).status_code == 302
    remedy = Remedy.objects.get(finding=finding)
    proof = SimpleUploadedFile("Ảnh niêm yết.pdf", sample_pdf(title="Ảnh", lines=["Niêm yết"]))
    staff.post(reverse("inspections:remedy_evidence_upload", args=[remedy.pk]), {"proof-file": proof})
    staff.post(reverse("inspections:remedy_report", args=[remedy.pk]))
    assert Remedy.objects.get(pk=remedy.pk).status == Remedy.Status.REPORTED
    inspector = signed_in(client.__class__(), world, "inspector")
    page = inspector.get(url).content.decode()
    assert "Ảnh niêm yết.pdf" in page and "verify-remedy" in page
    response = inspector.post(reverse("inspections:remedy_return", args=[remedy.pk]), {"reason": ""})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    workspace = reverse("inspections:visit_workspace", args=[world.visit_a.pk])
    response = inspector.post(reverse("inspections:remedy_verify", args=[remedy.pk]), {"next": workspace})
    assert response["Location"] == workspace
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.REMEDIED


def test_remedy_verify_never_redirects_off_site(world, client):
    finding = world.visit_a.findings.get(kind=Finding.Kind.SHORTCOMING)
    remedy = Remedy.objects.get(finding=finding)
    response = signed_in(client, world, "inspector").post(
        reverse("inspections:remedy_verify", args=[remedy.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("inspections:finding_remedy", args=[finding.pk])


def test_the_commune_finds_its_way_from_the_home_page(world, client):
    html = signed_in(client, world).get(reverse("home")).content.decode()
    assert reverse("inspections:self_assessment", args=[world.visit_a.pk]) in html
    assert reverse("inspections:self_assessment", args=[world.visit_b.pk]) not in html
    nav = signed_in(client, world).get(reverse("inspections:portal_home")).content.decode()
    assert "Thạnh Đông A" in nav and "Tân Hội" not in nav


def test_the_range_message_names_the_maximum_as_the_sheet_shows_it(world, client):
    open_visit(world)
    criterion = world.leaves[1]
    html = (
        signed_in(client, world).post(save_url(world, criterion), score_post(criterion, "99"), **HTMX).content.decode()
    )
    assert "Điểm phải từ 0 đến 4." in html and "4,00" not in html


def test_submitting_asks_for_confirmation_only_when_nothing_is_missing(world, client):
    open_visit(world)
    url = reverse("inspections:self_assessment", args=[world.visit_a.pk])
    submit = reverse("inspections:self_assessment_submit", args=[world.visit_a.pk])
    lead = signed_in(client, world, "commune_a_lead")
    form = lead.get(url).content.decode().split(f'action="{submit}"')[1].split(">")[0]
    assert "data-confirm" not in form
    response = lead.post(submit, follow=True)
    assert "Tiêu chí cần giải trình hoặc tài liệu kiểm chứng" in response.content.decode()
    CriterionScore.objects.filter(visit=world.visit_a).update(self_explanation="Lưu tại văn phòng")
    form = lead.get(url).content.decode().split(f'action="{submit}"')[1].split(">")[0]
    assert "data-confirm" in form


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_negative_self_score_gets_the_range_message_and_trailing_zeros_are_accepted(world, client, htmx):
    open_visit(world)
    criterion = world.leaves[1]
    extra = HTMX if htmx else {}
    client = signed_in(client, world)
    before = CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score
    html = client.post(save_url(world, criterion), score_post(criterion, "-1", "Có"), **extra).content.decode()
    assert "Điểm phải từ 0 đến 4." in html and 'value="-1"' in html
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == before
    response = client.post(
        save_url(world, criterion), score_post(criterion, "2.50000", "Có", version_of(world, criterion)), **extra
    )
    assert response.status_code == (200 if htmx else 302)
    assert CriterionScore.objects.get(visit=world.visit_a, criterion=criterion).self_score == Decimal("2.5")
