"""Remedies and questions: the status flow of a remedy and its finding, who judges, overdue findings, questions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.demo.portal import sample_pdf
from inspections.models import Finding, Remedy, Visit
from inspections.services import appraisal
from inspections.services.portal import evidence as evidence_service
from inspections.services.portal import remedies as service
from inspections.services.portal import rights
from inspections.services.portal.questions import question_ask
from inspections.tests.factories import FindingFactory

pytestmark = pytest.mark.django_db


def finding_of(world) -> Finding:
    return world.visit_a.findings.get(kind=Finding.Kind.SHORTCOMING)


def proof(name="Báo cáo khắc phục.pdf", text="Đã niêm yết") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(title="Báo cáo khắc phục", lines=[text]))


def attach(world, remedy, upload=None):
    return evidence_service.evidence_add_for_remedy(
        remedy=remedy, user=world.users["commune_a"], upload=upload or proof(), document_number="52/BC-UBND"
    )


def test_commune_records_attaches_proof_reports_and_the_inspector_verifies(world):
    finding = finding_of(world)
    staff = world.users["commune_a"]
    remedy = service.remedy_save(finding=finding, user=staff, description="Đã niêm yết lại 45 thủ tục")
    assert remedy.status == Remedy.Status.DRAFT and remedy.description == "Đã niêm yết lại 45 thủ tục"
    with pytest.raises(ValidationError) as excinfo:
        service.remedy_report(remedy=remedy, user=staff)
    assert excinfo.value.error_list[0].code == "proof"
    attach(world, remedy)
    service.remedy_report(remedy=remedy, user=staff)
    remedy.refresh_from_db()
    finding.refresh_from_db()
    assert remedy.status == Remedy.Status.REPORTED and remedy.reported_by == staff
    assert finding.status == Finding.Status.REPORTED
    with pytest.raises(ValidationError):
        attach(world, remedy, proof(text="Thêm sau khi báo cáo"))
    service.remedy_verify(remedy=remedy, user=world.users["inspector"])
    remedy.refresh_from_db()
    finding.refresh_from_db()
    assert remedy.status == Remedy.Status.VERIFIED and remedy.verified_by == world.users["inspector"]
    assert finding.status == Finding.Status.REMEDIED and finding.resolved_at is not None
    with pytest.raises(ValidationError):
        service.remedy_save(finding=finding, user=staff, description="Thêm nữa")


def test_a_remedy_sent_back_needs_a_reason_reopens_the_finding_and_can_be_reported_again(world):
    finding = finding_of(world)
    staff = world.users["commune_a"]
    remedy = service.remedy_save(finding=finding, user=staff, description="Đã cử đi học")
    attach(world, remedy)
    service.remedy_report(remedy=remedy, user=staff)
    with pytest.raises(ValidationError):
        service.remedy_return(remedy=remedy, user=world.users["lead"], reason="  ")
    service.remedy_return(remedy=remedy, user=world.users["lead"], reason="Thiếu quyết định cử đi học")
    remedy.refresh_from_db()
    finding.refresh_from_db()
    assert remedy.status == Remedy.Status.RETURNED and remedy.return_reason == "Thiếu quyết định cử đi học"
    assert finding.status == Finding.Status.OPEN
    again = service.remedy_save(finding=finding, user=staff, description="Đã cử đi học, kèm quyết định")
    assert again.pk == remedy.pk
    attach(world, again, proof("Quyết định cử đi học.pdf", "Quyết định số 12"))
    service.remedy_report(remedy=again, user=staff)
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.REPORTED


def test_only_the_team_members_of_the_findings_area_judge_remedies(world):
    finding = finding_of(world)
    remedy = service.remedy_save(finding=finding, user=world.users["commune_a"], description="Đã làm")
    attach(world, remedy)
    service.remedy_report(remedy=remedy, user=world.users["commune_a"])
    # The secretary of the team appraises no area, so he does not judge remedies either.
    for persona in ("secretariat", "viewer", "commune_a", "commune_a_lead", "commune_b"):
        with pytest.raises(PermissionDenied):
            service.remedy_verify(remedy=remedy, user=world.users[persona])
        with pytest.raises(PermissionDenied):
            service.remedy_return(remedy=remedy, user=world.users[persona], reason="Không")
    for persona in ("secretariat", "lead", "inspector"):
        assert rights.can_judge(world.users[persona], finding.visit)
    service.remedy_verify(remedy=remedy, user=world.users["lead"])


def test_a_draft_remedy_cannot_be_verified(world):
    remedy = service.remedy_save(finding=finding_of(world), user=world.users["commune_a"], description="Đang làm")
    with pytest.raises(ValidationError) as excinfo:
        service.remedy_verify(remedy=remedy, user=world.users["inspector"])
    assert excinfo.value.error_list[0].code == "not_reported"


def test_people_outside_the_commune_record_no_remedy(world):
    for persona in ("secretariat", "inspector", "commune_b"):
        with pytest.raises(PermissionDenied):
            service.remedy_save(finding=finding_of(world), user=world.users[persona], description="Không phải xã")


def test_strengths_and_questions_take_no_remedy(world):
    strength = FindingFactory(visit=world.visit_a, kind=Finding.Kind.STRENGTH, status=Finding.Status.NOTED)
    with pytest.raises(ValidationError):
        service.remedy_save(finding=strength, user=world.users["commune_a"], description="?")


def test_an_open_finding_past_its_due_date_is_overdue(world):
    finding = finding_of(world)
    today = timezone.localdate()
    finding.due_date = today - dt.timedelta(days=1)
    assert service.finding_is_overdue(finding, today)
    finding.due_date = today
    assert not service.finding_is_overdue(finding, today)
    finding.due_date = today - dt.timedelta(days=1)
    finding.status = Finding.Status.REPORTED
    assert not service.finding_is_overdue(finding, today)


def test_overdue_findings_stand_out_in_the_communes_list(world, client):
    finding = finding_of(world)
    finding.due_date = timezone.localdate() - dt.timedelta(days=30)
    finding.save()
    client.force_login(world.users["commune_a"])
    response = client.get(reverse("inspections:remedy_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="overdue"' in html and "table-danger" in html
    assert finding.text in html and "Hạn chế của xã b" not in html


def test_commune_asks_and_the_teams_answer_appears_on_the_same_page(world, client):
    question = question_ask(visit=world.visit_a, user=world.users["commune_a"], text="Có phải xin lỗi không?")
    assert question.kind == Finding.Kind.QUESTION and question.status == Finding.Status.OPEN
    with pytest.raises(PermissionDenied):
        question_ask(visit=world.visit_a, user=world.users["inspector"], text="Câu hỏi của đoàn?")
    with pytest.raises(ValidationError):
        question_ask(visit=world.visit_a, user=world.users["commune_a"], text="   ")
    appraisal.finding_answer(finding=question, user=world.users["inspector"], answer="Không, nếu trễ hạn tại huyện.")
    client.force_login(world.users["commune_a"])
    html = client.get(reverse("inspections:question_list", args=[world.visit_a.pk])).content.decode()
    assert "Có phải xin lỗi không?" in html and "Không, nếu trễ hạn tại huyện." in html
    client.force_login(world.users["commune_b"])
    assert client.get(reverse("inspections:question_list", args=[world.visit_a.pk])).status_code == 404
    other = client.get(reverse("inspections:question_list", args=[world.visit_b.pk])).content.decode()
    assert "Có phải xin lỗi không?" not in other


def test_the_report_button_waits_for_a_proof_before_asking_for_confirmation(world, client):
    finding = finding_of(world)
    remedy = service.remedy_save(finding=finding, user=world.users["commune_a"], description="Đã niêm yết")
    client.force_login(world.users["commune_a"])
    url = reverse("inspections:finding_remedy", args=[finding.pk])
    report = reverse("inspections:remedy_report", args=[remedy.pk])
    html = client.get(url).content.decode()
    button = html.split('data-testid="report-remedy"')[0].rsplit("<button", 1)[1]
    assert "disabled" in button and 'data-testid="report-needs-proof"' in html
    assert report not in html and "data-confirm" not in html.split('id="proof"')[1].split("</section>")[0]
    attach(world, remedy)
    html = client.get(url).content.decode()
    button = html.split('data-testid="report-remedy"')[0].rsplit("<button", 1)[1]
    assert "disabled" not in button and 'data-testid="report-needs-proof"' not in html
    form = html.split(f'action="{report}"')[1].split(">")[0]
    assert "data-confirm" in form


def test_a_concluded_visit_shows_why_instead_of_the_question_form(world, client):
    client.force_login(world.users["commune_a"])
    url = reverse("inspections:question_list", args=[world.visit_a.pk])
    html = client.get(url).content.decode()
    assert 'id="question-form"' in html and 'data-testid="questions-closed"' not in html
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.CONCLUDED)
    html = client.get(url).content.decode()
    assert 'id="question-form"' not in html and 'data-testid="questions-closed"' in html
    assert "Cuộc kiểm tra tại xã đã kết luận" in html
    # The team sees the questions without the commune's explanation.
    client.force_login(world.users["inspector"])
    html = client.get(url).content.decode()
    assert 'id="question-form"' not in html and 'data-testid="questions-closed"' not in html


def test_the_remedies_list_speaks_to_the_commune_and_to_the_team_in_their_own_words(world, client):
    url = reverse("inspections:remedy_list")
    client.force_login(world.users["commune_a"])
    commune = client.get(url).content.decode()
    assert "ghi nhận kết quả khắc phục" in commune and "trả lại cho xã kèm lý do" not in commune
    for persona in ("inspector", "secretariat", "viewer"):
        client.force_login(world.users[persona])
        district = client.get(url).content.decode()
        assert "trả lại cho xã kèm lý do" in district and "ghi nhận kết quả khắc phục" not in district, persona
