"""Setting up a round: criteria sets copied, edited, imported; bands; plan, team, groups, schedule."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from communes.tests.factories import CommuneFactory
from inspections.models import CriteriaSet, Criterion
from inspections.services import setup
from inspections.services.criteria import criteria_set_problems
from inspections.tests.factories import CriteriaSetFactory, CriterionFactory, ReviewAreaFactory


def _sheet(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())


GOOD_ROWS = [
    ["Mã", "Nội dung", "Điểm tối đa", "Tài liệu kiểm chứng", "Hướng dẫn chấm"],
    ["I", "Cải cách thủ tục hành chính; cơ chế một cửa", 60, "", ""],
    ["1.1", "Niêm yết thủ tục", "20", "Ảnh chụp", "Đủ: 20"],
    ["1.2", "Giải quyết đúng hạn", 40, "", ""],
    ["1.2.1", "Tỷ lệ đúng hạn", "37,5", "Sổ theo dõi", ""],
    ["1.2.2", "Xin lỗi khi trễ hạn", 2.5, "Thư xin lỗi", ""],
    ["II", "Hiện đại hóa nền hành chính", 40, "", ""],
    ["2.1", "Ứng dụng ISO 9001:2015", 40, "", ""],
]


def _import(world, rows, **extra):
    return setup.criteria_set_import(
        user=world.users["secretariat"],
        authority=world.district,
        year=2021,
        name=extra.get("name", "Bộ tiêu chí nhập"),
        total_max=extra.get("total_max", Decimal("100")),
        file=_sheet(rows),
    )


def test_import_builds_the_tree_with_area_codes_and_decimal_commas(world):
    imported = _import(world, GOOD_ROWS)
    assert [a.code for a in imported.areas.order_by("order")] == ["procedures", "modernization"]
    leaf = Criterion.objects.get(criteria_set=imported, code="1.2.1")
    assert leaf.max_score == Decimal("37.5") and leaf.parent.code == "1.2" and leaf.expected_evidence == "Sổ theo dõi"
    assert criteria_set_problems(criteria_set=imported) == []


def test_bad_sheet_lists_each_bad_row_and_imports_nothing(world):
    rows = [
        *GOOD_ROWS[:3],
        ["1.3", "", 5, "", ""],
        ["1.4", "Điểm chữ", "năm", "", ""],
        ["3.1.1", "Không có lĩnh vực", 1, "", ""],
        ["1.9.1", "Không có tiêu chí cha", 1, "", ""],
    ]
    with pytest.raises(ValidationError) as caught:
        _import(world, rows)
    messages = caught.value.messages
    assert any(m.startswith("Row 4") or m.startswith("Dòng 4") for m in messages)
    assert any("5" in m for m in messages) and any("6" in m for m in messages) and any("7" in m for m in messages)
    assert not CriteriaSet.objects.filter(name="Bộ tiêu chí nhập").exists()


def test_sheet_whose_parent_does_not_add_up_is_refused(world):
    rows = [r[:] for r in GOOD_ROWS]
    rows[4][2] = 30
    with pytest.raises(ValidationError):
        _import(world, rows)
    assert not CriteriaSet.objects.filter(name="Bộ tiêu chí nhập").exists()


def test_a_sheet_that_does_not_reach_the_total_says_both_figures_as_the_language_writes_them(world):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _import(world, GOOD_ROWS, total_max=Decimal("102.5"))
    assert caught.value.messages == [
        "Các tiêu chí trong bảng tính cộng lại được 100 điểm nhưng tổng điểm của bộ là 102,5."
    ]


def test_not_a_workbook_is_a_message(world):
    with pytest.raises(ValidationError):
        setup.criteria_set_import(
            user=world.users["secretariat"],
            authority=world.district,
            year=2021,
            name="x",
            total_max=Decimal("100"),
            file=SimpleUploadedFile("x.xlsx", b"not a zip"),
        )


def test_import_view_shows_row_errors_and_keeps_the_form(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:criteria_set_import"),
        {"name": "Tên giữ lại", "year": "2021", "total_max": "100", "file": _sheet([["1.1", "Không lĩnh vực", 5]])},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Tên giữ lại" in body and 'data-testid="form-errors"' in body


def test_copy_keeps_tree_and_bands_and_edits_do_not_touch_the_original(world):
    copy = setup.criteria_set_copy(source=world.criteria_set, user=world.users["secretariat"], year=2021, name="2021")
    assert copy.criteria.count() == world.criteria_set.criteria.count()
    assert copy.bands.count() == 4
    child = copy.criteria.get(code="1.1.1")
    assert child.parent.criteria_set == copy and child.area.criteria_set == copy
    setup.criterion_save(
        criteria_set=copy,
        user=world.users["secretariat"],
        criterion=child,
        area=child.area,
        parent=child.parent,
        code="1.1.1",
        title="Tên mới",
        max_score=Decimal("5"),
    )
    assert world.criteria_set.criteria.get(code="1.1.1").title != "Tên mới"
    problems = criteria_set_problems(criteria_set=copy)
    assert any("1.1" in p for p in problems)


def test_criterion_move_swaps_with_its_sibling(world):
    copy = setup.criteria_set_copy(source=world.criteria_set, user=world.users["secretariat"], year=2021, name="2021")
    second = copy.criteria.get(code="1.1.2")
    setup.criterion_move(criterion=second, user=world.users["secretariat"], up=True)
    ordered = list(copy.criteria.filter(parent__code="1.1").order_by("order").values_list("code", flat=True))
    assert ordered == ["1.1.2", "1.1.1"]


def test_maximum_of_a_scored_set_cannot_change(world):
    leaf = world.leaves[0]
    with pytest.raises(ValidationError):
        setup.criterion_save(
            criteria_set=world.criteria_set,
            user=world.users["secretariat"],
            criterion=leaf,
            area=leaf.area,
            parent=leaf.parent,
            code=leaf.code,
            title=leaf.title,
            max_score=Decimal("7"),
        )


def test_publishing_needs_a_tree_that_adds_up(world):
    draft = CriteriaSetFactory(authority=world.district, year=2021, status=CriteriaSet.Status.DRAFT)
    area = ReviewAreaFactory(criteria_set=draft)
    CriterionFactory(area=area, max_score=Decimal("40"))
    with pytest.raises(ValidationError):
        setup.criteria_set_update(
            criteria_set=draft,
            user=world.users["secretariat"],
            name=draft.name,
            year=2021,
            total_max=Decimal("100"),
            legal_basis="",
            status=CriteriaSet.Status.PUBLISHED,
        )


def _draft(world):
    """A copy of the world's set that no plan uses yet, so it may still be edited."""
    return setup.criteria_set_copy(source=world.criteria_set, user=world.users["secretariat"], year=2021, name="2021")


def test_bands_need_distinct_thresholds_and_a_zero(world):
    user = world.users["secretariat"]
    draft = _draft(world)
    with pytest.raises(ValidationError):
        setup.bands_replace(criteria_set=draft, user=user, bands=[{"label": "Tốt", "min_percent": Decimal("90")}])
    setup.bands_replace(
        criteria_set=draft,
        user=user,
        bands=[
            {"label": "Xuất sắc", "min_percent": Decimal("95"), "color": "success"},
            {"label": "Đạt", "min_percent": Decimal("0"), "color": "secondary"},
        ],
    )
    assert list(draft.bands.order_by("-min_percent").values_list("label", flat=True)) == [
        "Xuất sắc",
        "Đạt",
    ]


def test_only_the_secretariat_edits_criteria(world):
    with pytest.raises(PermissionDenied):
        setup.criteria_set_copy(source=world.criteria_set, user=world.users["lead"], year=2021, name="x")


def test_tree_page_shows_totals_while_editing(world, client):
    draft = _draft(world)
    client.force_login(world.users["secretariat"])
    body = client.get(
        reverse("inspections:criterion_edit", args=[draft.pk, draft.criteria.get(code="1.1.1").pk])
    ).content.decode()
    assert 'data-testid="criteria-tree"' in body and 'data-testid="tree-total"' in body


def test_schedule_warns_when_a_member_works_in_an_inspected_commune(world, client):
    MembershipFactory(user=world.users["inspector"], unit=world.commune_a, role=Membership.Role.COMMUNE_STAFF)
    client.force_login(world.users["secretariat"])
    for name in ("inspections:schedule", "inspections:team_edit"):
        body = client.get(reverse(name, args=[world.plan.pk])).content.decode()
        assert 'data-testid="conflict-of-interest"' in body


def test_schedule_list_and_calendar(world, client):
    client.force_login(world.users["viewer"])
    body = client.get(reverse("inspections:schedule", args=[world.plan.pk])).content.decode()
    assert 'data-testid="schedule-table"' in body and 'data-testid="schedule-calendar"' in body
    assert body.count(world.commune_a.name) >= 2


def test_visit_outside_the_round_is_refused(world):
    unit = CommuneFactory(parent=world.district)
    with pytest.raises(ValidationError):
        setup.visit_schedule(
            plan=world.plan, user=world.users["secretariat"], unit=unit, scheduled_on=dt.date(2020, 11, 30)
        )


def test_team_groups_and_members_through_services(world):
    user = world.users["secretariat"]
    group = setup.group_save(team=world.team, user=user, name="Nhóm 3", areas=[world.areas[1]])
    assert list(group.areas.all()) == [world.areas[1]]
    member = setup.member_save(
        team=world.team,
        user=user,
        member_user=world.users["viewer"],
        role="member",
        group=group,
        position="Chuyên viên",
    )
    assert member.group == group
    with pytest.raises(ValidationError):
        setup.member_save(team=world.team, user=user, member_user=world.users["viewer"], role="member")
    with pytest.raises(ValidationError):
        setup.member_save(team=world.team, user=user, member_user=world.users["commune_a"], role="lead")


def _bands_post(client, url) -> dict:
    """The data a browser sends back for the bands page as rendered: every input and selected option."""
    import re

    body = client.get(url).content.decode()
    start = body.rindex("<form", 0, body.index("bands-TOTAL_FORMS"))
    form = body[start : body.index("</form>", start)]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            data[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        first = re.search(r'<option value="([^"]*)"', select.group(2))
        data[select.group(1)] = (chosen or first).group(1)
    return data


def test_bands_page_saves_unchanged_edits_a_threshold_and_deletes_a_band(world, client):
    draft = _draft(world)
    client.force_login(world.users["secretariat"])
    url = reverse("inspections:bands_edit", args=[draft.pk])
    data = _bands_post(client, url)
    assert data["bands-TOTAL_FORMS"] == "5" and data["bands-4-color"] == ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert draft.bands.count() == 4

    data = _bands_post(client, url)
    khá = next(k for k, v in data.items() if v == "Khá").replace("label", "min_percent")
    data[khá] = "75"
    assert client.post(url, data).status_code == 302
    assert draft.bands.get(label="Khá").min_percent == Decimal("75")

    data = _bands_post(client, url)
    tb = next(k for k, v in data.items() if v == "Trung bình").replace("label", "DELETE")
    data[tb] = "on"
    assert client.post(url, data).status_code == 302
    assert sorted(draft.bands.values_list("label", flat=True)) == ["Khá", "Kém", "Tốt"]

    data = _bands_post(client, url)
    data.update({"bands-3-label": "Xuất sắc", "bands-3-min_percent": "95", "bands-3-color": "primary"})
    assert client.post(url, data).status_code == 302
    assert draft.bands.get(label="Xuất sắc").color == "primary"


def test_a_new_sets_bands_page_offers_four_empty_rows_and_saves_four_bands_in_one_post(world, client):
    draft = setup.criteria_set_create(
        user=world.users["secretariat"], authority=world.district, year=2021, name="Bộ mới", total_max=Decimal("100")
    )
    client.force_login(world.users["secretariat"])
    url = reverse("inspections:bands_edit", args=[draft.pk])
    data = _bands_post(client, url)
    assert data["bands-TOTAL_FORMS"] == "4" and data["bands-INITIAL_FORMS"] == "0"
    # Left as rendered, the empty rows save nothing and ask for nothing.
    assert client.post(url, data).status_code == 302 and not draft.bands.exists()
    grades = [
        ("Tốt", "90", "success"),
        ("Khá", "70", "primary"),
        ("Trung bình", "50", "warning"),
        ("Yếu", "0", "danger"),
    ]
    for index, (label, percent, color) in enumerate(grades):
        row = f"bands-{index}-"
        data.update({f"{row}label": label, f"{row}min_percent": percent, f"{row}color": color})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    saved = draft.bands.order_by("-min_percent").values_list("label", "min_percent", "color")
    assert [(label, str(int(percent)), color) for label, percent, color in saved] == grades
    # Four bands: one empty row for a fifth (Xuất sắc); two bands: the two rows they lack.
    assert _bands_post(client, url)["bands-TOTAL_FORMS"] == "5"
    draft.bands.filter(label__in=["Khá", "Trung bình"]).delete()
    assert _bands_post(client, url)["bands-TOTAL_FORMS"] == "4"


def _plan_data(world, **changes):
    data = {
        "year": "2020",
        "number": "45/KH-UBND",
        "issued_on": "15/09/2020",
        "title": "Kế hoạch kiểm tra CCHC năm 2020",
        "criteria_set": world.criteria_set.pk,
        "forms": ["on_site"],
        "round_start": "05/10/2020",
        "round_end": "14/10/2020",
        "self_assessment_deadline": "30/09/2020",
        "status": "approved",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [("issued_on", "06/10/2020"), ("self_assessment_deadline", "15/10/2020")],
)
def test_plan_issued_after_its_round_or_self_assessment_after_it_is_refused(world, field, value):
    from inspections.forms.setup import PlanForm
    from inspections.models import CriteriaSet as Sets

    form = PlanForm(_plan_data(world, **{field: value}), criteria_sets=Sets.objects.all())
    assert not form.is_valid()
    assert field in form.errors
    form = PlanForm(_plan_data(world), criteria_sets=Sets.objects.all())
    form.is_valid()
    assert "issued_on" not in form.errors and "self_assessment_deadline" not in form.errors


def test_next_campaign_form_checks_the_same_dates(world):
    from inspections.forms.setup import NewCampaignForm

    data = {
        "year": "2021",
        "number": "1/KH",
        "issued_on": "10/10/2021",
        "title": "Kế hoạch 2021",
        "round_start": "04/10/2021",
        "round_end": "13/10/2021",
        "self_assessment_deadline": "20/10/2021",
    }
    form = NewCampaignForm(data, criteria_sets=CriteriaSet.objects.none())
    assert not form.is_valid()
    assert "issued_on" in form.errors and "self_assessment_deadline" in form.errors


def test_import_view_lists_the_bad_rows_once(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:criteria_set_import"),
        {"name": "Bộ mới", "year": "2021", "total_max": "100", "file": _sheet([["1.1", "Không lĩnh vực", 5]])},
    )
    body = response.content.decode()
    start = body.index('data-testid="form-errors"')
    first_error = body[start:].split("<li>")[1].split("</li>")[0]
    assert body.count(first_error) == 1


@pytest.mark.parametrize("typed", ["1800", "2101", "abc"])
def test_year_out_of_range_has_its_own_message(world, client, typed):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:criteria_set_import"),
        {"name": "Bộ mới", "year": typed, "total_max": "100", "file": _sheet(GOOD_ROWS)},
    )
    body = response.content.decode()
    assert "Nhập năm từ 2000 đến 2100" in body
    assert "2100 ." not in body


def test_tree_problem_numbers_follow_the_language(world):
    from django.utils import translation

    world.criteria_set.total_max = Decimal("100.00")
    world.criteria_set.save()
    Criterion.objects.filter(code="2.1").update(max_score=Decimal("49.50"))
    with translation.override("vi"):
        problems = " ".join(criteria_set_problems(criteria_set=world.criteria_set))
    assert "99,5" in problems and "100" in problems
    assert "100.00" not in problems and "100,00" not in problems


def test_criteria_tree_shows_area_number_and_title_without_the_code(world, client):
    client.force_login(world.users["secretariat"])
    body = client.get(reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk])).content.decode()
    assert "Thủ tục hành chính" in body
    assert "(procedures)" not in body and "(modernization)" not in body


def test_removing_a_visit_from_the_schedule_is_confirmed(world, client):
    client.force_login(world.users["secretariat"])
    body = client.get(reverse("inspections:schedule", args=[world.plan.pk])).content.decode()
    action = reverse("inspections:visit_unschedule", args=[world.visit_a.pk])
    form = body.split(f'action="{action}"')[1].split(">")[0]
    assert 'data-confirm="Bỏ ' in form
    assert "js/district.js" in body


def _form_opening(body, action):
    return body.split(f'action="{action}"')[1].split(">")[0]


def test_removing_a_criterion_is_confirmed_and_counts_the_sub_criteria_removed_with_it(world, client):
    client.force_login(world.users["secretariat"])
    copy_url = reverse("inspections:criteria_set_copy", args=[world.criteria_set.pk])
    assert client.post(copy_url, {"year": "2021", "name": "Bộ 2021"}).status_code == 302
    copy = CriteriaSet.objects.get(name="Bộ 2021")
    CriterionFactory(
        area=copy.areas.get(number="1"), parent=copy.criteria.get(code="1.1.1"), code="1.1.1.a", max_score=Decimal("6")
    )
    body = client.get(reverse("inspections:criteria_set_detail", args=[copy.pk])).content.decode()

    def question(code):
        action = reverse("inspections:criterion_delete", args=[copy.criteria.get(code=code).pk])
        return _form_opening(body, action)

    # Everything below is counted, not only the children: deleting 1.1 removes 1.1.1, 1.1.1.a and 1.1.2.
    assert 'data-confirm="Xóa tiêu chí 1.1 và 3 tiêu chí thành phần của nó?"' in question("1.1")
    assert 'data-confirm="Xóa tiêu chí 1.1.1 và 1 tiêu chí thành phần của nó?"' in question("1.1.1")
    assert 'data-confirm="Xóa tiêu chí 1.2?"' in question("1.2")
    assert "js/district.js" in body


def test_removing_a_team_group_or_member_is_confirmed(world, client):
    client.force_login(world.users["secretariat"])
    body = client.get(reverse("inspections:team_edit", args=[world.plan.pk])).content.decode()
    group = _form_opening(body, reverse("inspections:group_delete", args=[world.groups[0].pk]))
    assert 'data-confirm="Xóa nhóm Nhóm 1? Các thành viên của nhóm vẫn ở lại Đoàn kiểm tra' in group
    seat = world.team.members.get(user=world.users["inspector"])
    member = _form_opening(body, reverse("inspections:member_delete", args=[seat.pk]))
    assert f'data-confirm="Đưa {world.users["inspector"]} ra khỏi Đoàn kiểm tra?"' in member
    assert "js/district.js" in body


def test_a_new_criteria_set_keeps_the_survey_weight_and_caps_typed_on_the_creation_form(world, client):
    from inspections.models import CriteriaSet

    client.force_login(world.users["secretariat"])
    url = reverse("inspections:criteria_set_list")
    page = client.get(url).content.decode()
    # A new set is an empty draft: its status is not asked for on creation.
    assert 'name="bonus_cap"' in page and 'name="status"' not in page
    data = {"name": "Bộ 2027", "year": "2027", "total_max": "100", "legal_basis": ""}
    response = client.post(url, {**data, "survey_weight": "10", "bonus_cap": "2,5", "penalty_cap": "3"})
    assert response.status_code == 302
    created = CriteriaSet.objects.get(name="Bộ 2027")
    assert created.status == CriteriaSet.Status.DRAFT
    kept = (created.survey_weight, created.bonus_cap, created.penalty_cap)
    assert kept == (Decimal("10"), Decimal("2.5"), Decimal("3"))
    # A survey weight at the total is refused with the field's message, and nothing is created.
    refused = client.post(url, {**data, "name": "Bộ khác", "survey_weight": "100"})
    assert refused.status_code == 200 and not CriteriaSet.objects.filter(name="Bộ khác").exists()
    assert "Trọng số khảo sát phải từ 0 đến dưới tổng điểm." in refused.content.decode()


def test_a_new_plan_shows_the_days_to_contest_it_gets_and_an_edited_plan_its_own(world, client):
    import re

    client.force_login(world.users["secretariat"])

    def shown(url):
        body = client.get(url).content.decode()
        field = re.search(r'<input[^>]*name="appeal_working_days"[^>]*>', body).group(0)
        return re.search(r'value="(\d+)"', field).group(1)

    assert shown(reverse("inspections:plan_create")) == "5"
    world.plan.appeal_working_days = 7
    world.plan.save(update_fields=["appeal_working_days"])
    assert shown(reverse("inspections:plan_edit", args=[world.plan.pk])) == "7"
    # Left empty when the plan is saved again, the days stay the plan's own, not the default.
    from inspections.forms.setup import PlanForm

    form = PlanForm(_plan_data(world), initial={"appeal_working_days": 7}, criteria_sets=CriteriaSet.objects.all())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["appeal_working_days"] == 7
    form = PlanForm(_plan_data(world), criteria_sets=CriteriaSet.objects.all())
    assert form.is_valid() and form.cleaned_data["appeal_working_days"] == 5


def test_a_plan_cannot_take_a_criteria_set_that_does_not_add_up_yet_which_stays_editable(world, client):
    unfinished = CriteriaSetFactory(authority=world.district, year=2021, status=CriteriaSet.Status.DRAFT)
    client.force_login(world.users["secretariat"])
    data = _plan_data(world, year="2021", criteria_set=unfinished.pk, number="7/KH-UBND", status="draft")
    data.update(issued_on="15/09/2021", round_start="05/10/2021", round_end="14/10/2021")
    data["self_assessment_deadline"] = "30/09/2021"
    response = client.post(reverse("inspections:plan_create"), data)
    assert response.status_code == 200
    assert "Hãy hoàn thiện bộ tiêu chí trước khi kế hoạch sử dụng" in response.content.decode()
    assert not unfinished.plans.exists()
    # Still a draft anyone may go on editing.
    assert client.get(reverse("inspections:criterion_add", args=[unfinished.pk])).status_code == 200
