"""Documents an official signs unchanged, read from the rendered PDFs of a campaign built from factories.

The minutes and the notice are written through the screens (prefilled attendees, times, signing,
the notice's deadline and recipients), then rendered; the tests read the PDFs as an official
would: who attends and signs, one deadline, the recipients, a draft mark exactly while a visit
is unfinished, chart labels large enough to read, names never split across lines.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from communes.models import AdministrativeUnit, Department
from communes.tests.factories import CommuneFactory
from inspections.models import CriterionScore, Finding, TeamMember, Visit
from inspections.tests.factories import FindingFactory, ScoreFactory, VisitFactory
from reports.models import Report
from reports.rendering.documents import document_html, render_document

from . import pdf_text

pytestmark = pytest.mark.django_db

# What no signed document may print: template leftovers and the screens' workflow states.
PLACEHOLDERS = ["None", "{{", "}}", "%(", "{%", "nan"]
LONG_NAMES = ["Thạnh Đông A", "Thạnh Đông B", "Tân Hiệp", "Thạnh Trị"]
# Liberation Serif's box (ascent + descent) is about 1,1 times the font size.
BOX_PER_POINT = 1.1


def _internal_states() -> list[str]:
    with translation.override("vi"):
        return [str(label) for value, label in Visit.Status.choices]


def _appraise(visit: Visit, share: Decimal) -> None:
    for score in CriterionScore.objects.filter(visit=visit):
        score.appraised_score = score.max_score * share
        score.save(update_fields=["appraised_score"])


def _offices(world) -> None:
    home = Department.objects.create(authority=world.district, name="Phòng Nội vụ", is_standing_body=True, order=1)
    justice = Department.objects.create(authority=world.district, name="Phòng Tư pháp", order=2)
    for member in world.team.members.all():
        member.department = justice if member.role == TeamMember.Role.MEMBER else home
        member.position = "Phó Chủ tịch UBND huyện" if member.role == TeamMember.Role.LEAD else "Chuyên viên"
        member.save(update_fields=["department", "position"])


@pytest.fixture
def journey(world, client):
    """Commune A appraised, its minutes written, signed and concluded through the screens; commune B unfinished."""
    _offices(world)
    _appraise(world.visit_a, Decimal("0.75"))
    area = world.areas[0]
    FindingFactory(visit=world.visit_a, kind=Finding.Kind.STRENGTH, area=area, text="Niêm yết thủ tục đầy đủ.")
    shortcoming = Finding.objects.get(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING)
    shortcoming.recommendation = "Cập nhật niêm yết thủ tục hành chính."
    shortcoming.due_date = dt.date(2020, 11, 30)
    shortcoming.save(update_fields=["recommendation", "due_date"])
    FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.RECOMMENDATION, area=area, text="Khảo sát sự hài lòng hằng quý."
    )
    world.users["commune_a_lead"].full_name = "Huỳnh Văn Tâm"
    world.users["commune_a_lead"].save(update_fields=["full_name"])
    client.force_login(world.users["lead"])
    minutes_url = reverse("inspections:minutes_edit", args=[world.visit_a.pk])
    page = client.get(minutes_url).content.decode()
    prefilled = {
        name: re.search(rf'name="{name}"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        for name in ("team_attendees", "commune_attendees")
    }
    response = client.post(
        minutes_url,
        {
            "number": "07/BB-ĐKT",
            "held_on": "05/10/2020",
            "opened_at": "8:00",
            "closed_at": "11h30",
            "place": "Hội trường UBND xã Thạnh Đông A",
            "team_attendees": prefilled["team_attendees"],
            "commune_attendees": prefilled["commune_attendees"],
            "summary": "",
            "commune_opinion": "Thống nhất với kết quả kiểm tra.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk])).status_code == 302
    notice_url = reverse("inspections:conclusion_edit", args=[world.visit_a.pk])
    recipients = re.search(r'name="recipients"[^>]*>(.*?)</textarea>', client.get(notice_url).content.decode(), re.S)
    response = client.post(
        notice_url,
        {
            "number": "88/TB-UBND",
            "issued_on": "30/10/2020",
            "remedy_deadline": "31/12/2020",
            "summary": "",
            "signer_name": "Trần Minh Vũ",
            "signer_title": "Phó Chủ tịch UBND huyện",
            "recipients": recipients.group(1).replace("&#x27;", "'"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.visit_a.refresh_from_db()
    assert world.visit_a.status == Visit.Status.CONCLUDED
    return world


def _pdf(kind, world, visit=None):
    return render_document(kind=kind, plan=world.plan, visit=visit).content


def _clean(content: bytes) -> str:
    text = pdf_text.text(content)
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, placeholder
    return text


def test_minutes_name_both_sides_the_times_and_are_signed_by_chairman_secretary_and_lead(journey):
    content = _pdf(Report.Kind.MINUTES, journey, journey.visit_a)
    text = _clean(content)
    # Both sides by name and office, pre-filled from the team and the commune's people.
    assert "Lead – Phó Chủ tịch UBND huyện, Trưởng đoàn" in text
    assert "Secretariat – Chuyên viên, Thư ký" in text
    assert "Huỳnh Văn Tâm – Chủ tịch UBND xã Thạnh Đông A" in text
    assert "Commune A – Công chức" in text
    # Opening and closing, time and place.
    # UBND is spelled out where the body first uses it.
    assert "vào lúc 8 giờ 00 ngày 05/10/2020, tại Hội trường Ủy ban nhân dân (UBND) xã Thạnh Đông A" in text
    assert "kết thúc vào lúc 11 giờ 30 cùng ngày" in text
    assert "Biên bản được lập thành 02 bản có giá trị pháp lý như nhau" in text
    # Three signatures: the commune's chairman, the secretary beside the team lead.
    assert "ĐẠI DIỆN ỦY BAN NHÂN DÂN XÃ THẠNH ĐÔNG A CHỦ TỊCH" in text
    assert "THƯ KÝ" in text and "TM. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN" in text
    tail = text[text.index("ĐẠI DIỆN ỦY BAN NHÂN DÂN XÃ") :]
    for name in ("Huỳnh Văn Tâm", "Secretariat", "Lead"):
        assert name in tail, name
    # Signed: no draft mark; the signatures share the page of the last paragraph.
    assert "DỰ THẢO" not in text
    assert pdf_text.page_of(content, "THƯ KÝ") == pdf_text.page_of(content, "Biên bản đã được đọc lại")


def test_unsigned_minutes_carry_the_draft_mark(journey, client):
    visit = journey.visit_b
    client.force_login(journey.users["lead"])
    client.post(
        reverse("inspections:minutes_edit", args=[visit.pk]),
        {"held_on": "06/10/2020", "team_attendees": "Lead – Trưởng đoàn", "commune_attendees": "Commune B – Công chức"},
    )
    text = _clean(_pdf(Report.Kind.MINUTES, journey, visit))
    assert "DỰ THẢO" in text


def test_minutes_of_a_township_say_thi_tran_not_xa(world):
    township = CommuneFactory(name="Tân Hiệp", kind=AdministrativeUnit.Kind.TOWNSHIP, parent=world.district)
    visit = VisitFactory(plan=world.plan, unit=township)
    from inspections.tests.factories import MinutesFactory

    MinutesFactory(visit=visit, commune_attendees=[{"name": "Lê Văn Đức", "position": "Chủ tịch UBND thị trấn"}])
    with translation.override("vi"):
        html, _name = document_html(kind=Report.Kind.MINUTES, plan=world.plan, visit=visit)
    text = html.replace("\xa0", " ")
    assert "tại thị trấn Tân Hiệp" in text
    assert "ĐẠI DIỆN ỦY BAN NHÂN DÂN THỊ TRẤN TÂN HIỆP" in text
    assert "Ủy ban nhân dân thị trấn Tân Hiệp giữ 01 bản" in text
    assert "xã Tân Hiệp" not in text and "XÃ TÂN HIỆP" not in text


def test_notice_names_its_authority_gives_one_deadline_and_lists_its_recipients(journey):
    text = _clean(_pdf(Report.Kind.NOTICE, journey, journey.visit_a))
    assert "Ủy ban nhân dân huyện Tân Hiệp thông báo kết luận như sau" in text
    # One remedy deadline, written once, with the remedy plan; not the findings' own dates.
    assert text.count("31/12/2020") == 1
    assert "30/11/2020" not in text
    assert "ban hành kế hoạch khắc phục" in text and "trước ngày 31/12/2020" in text
    # A recommendation is advice, not a shortcoming left to remedy.
    to_remedy = text[text.index("3. Hạn chế, tồn tại phải khắc phục") : text.index("4. Kiến nghị")]
    assert "Cập nhật niêm yết thủ tục hành chính" in to_remedy
    assert "Khảo sát sự hài lòng" not in to_remedy
    assert "Khảo sát sự hài lòng hằng quý" in text[text.index("4. Kiến nghị") :]
    # Recipients: the commune, the team members' offices, the archive with the drafting unit.
    recipients = text[text.index("Nơi nhận:") :]
    for line in ("- UBND xã Thạnh Đông A;", "- Phòng Nội vụ;", "- Phòng Tư pháp;", "- Lưu: VT, NV."):
        assert line in recipients, line
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH UBND" not in text


def test_district_report_is_a_draft_exactly_while_a_visit_is_unfinished(journey):
    draft = _clean(_pdf(Report.Kind.DISTRICT, journey))
    assert "DỰ THẢO" in draft
    assert "Tân Hiệp, ngày … tháng … năm …" in draft
    _appraise(journey.visit_b, Decimal("0.5"))
    Visit.objects.filter(pk=journey.visit_b.pk).update(status=Visit.Status.SIGNED)
    final = _clean(_pdf(Report.Kind.DISTRICT, journey))
    assert "DỰ THẢO" not in final
    assert "Tân Hiệp, ngày 31 tháng 12 năm 2020" in final or re.search(r"Tân Hiệp, ngày \d\d tháng", final)
    for document in (draft, final):
        for state in _internal_states():
            assert state not in document and state.capitalize() not in document, state


def test_district_report_sections_numbering_and_texts_from_the_screen(journey, client):
    text = _clean(_pdf(Report.Kind.DISTRICT, journey))
    for heading in ("I. TÌNH HÌNH TỔ CHỨC KIỂM TRA", "II. KẾT QUẢ KIỂM TRA", "1.1. Thủ tục hành chính"):
        assert heading in text, heading
    assert "III. ĐÁNH GIÁ CHUNG 1. Ưu điểm" in text
    assert "2. Hạn chế, tồn tại và nguyên nhân" in text
    assert "IV. KIẾN NGHỊ, ĐỀ XUẤT" in text
    assert "a) Ưu điểm:" in text and "b) Hạn chế, tồn tại:" in text
    # The units with their kind, never a bare name that reads as the district.
    assert "(xã Thạnh Đông A)" in text
    client.force_login(journey.users["secretariat"])
    url = reverse("reports:texts", args=[journey.plan.pk])
    page = client.get(url).content.decode()
    assert "1. Ưu điểm" in page and "Niêm yết thủ tục đầy đủ" in page
    response = client.post(
        url,
        {
            "assessment": "1. Ưu điểm\nCác xã đều ban hành kế hoạch cải cách hành chính đúng hạn.\n"
            "2. Hạn chế, tồn tại và nguyên nhân\nNguyên nhân: người đứng đầu chưa sâu sát.",
            "proposals": "Đề nghị Sở Nội vụ mở lớp tập huấn phần mềm một cửa.",
        },
    )
    assert response.status_code == 302
    journey.plan.refresh_from_db()
    edited = _clean(_pdf(Report.Kind.DISTRICT, journey))
    assert "Nguyên nhân: người đứng đầu chưa sâu sát." in edited
    assert "Đề nghị Sở Nội vụ mở lớp tập huấn phần mềm một cửa." in edited


def test_abbreviations_are_spelled_out_at_first_use(journey):
    journey.areas[0].title = "Cải cách tổ chức bộ máy; chất lượng đội ngũ CBCC"
    journey.areas[0].save(update_fields=["title"])
    with translation.override("vi"):
        html, _name = document_html(kind=Report.Kind.DISTRICT, plan=journey.plan, visit=None)
    body = html.replace("\xa0", " ").split("<!--body-->", 1)[1]
    assert "cán bộ, công chức (CBCC)" in body
    assert body.index("cán bộ, công chức (CBCC)") < body.index("CBCC</") or body.count("(CBCC)") == 1
    assert body.count("cán bộ, công chức (CBCC)") == 1


def test_charts_name_the_areas_and_every_commune_with_labels_of_at_least_9_pt(journey):
    content = _pdf(Report.Kind.DISTRICT, journey)
    found = pdf_text.words(content)
    text = " ".join(w.text for w in found)
    assert "1. Thủ tục hành chính" in text and "2. Hiện đại hóa" in text
    chart_page = pdf_text.page_of(content, "Kết quả bình quân theo lĩnh vực (%)")
    labels = [w for w in found if w.page == chart_page and w.text in ("Thủ", "Hiện")]
    assert labels
    for word in labels:
        assert word.height / BOX_PER_POINT >= 9, (word.text, word.height)
    # The ranking names every commune, ranked or not; the campaign inspects communes only.
    ranking = text[text.index("Xếp hạng các xã (%)") :]
    assert "1. Xã Thạnh Đông A" in ranking and "Xã Tân Hội" in ranking


def test_no_unit_name_is_split_across_lines(world):
    for name in LONG_NAMES:
        unit = CommuneFactory(name=name, parent=world.district)
        visit = VisitFactory(plan=world.plan, unit=unit, status=Visit.Status.SIGNED)
        for criterion in world.leaves:
            ScoreFactory(visit=visit, criterion=criterion, self_score=criterion.max_score, appraised_score=0)
        FindingFactory(
            visit=visit,
            kind=Finding.Kind.STRENGTH,
            area=world.areas[0],
            text="Bộ phận tiếp nhận và trả kết quả bố trí khoa học, thuận tiện cho người dân đến giao dịch.",
        )
    content = _pdf(Report.Kind.DISTRICT, world)
    names = [f"Xã {name}" for name in LONG_NAMES] + ["Thạnh Đông A", "Thạnh Đông B", "Tân Hội"]
    assert pdf_text.split_names(content, names) == []
