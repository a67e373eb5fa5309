"""`render_report`: the worker's code path, synchronously, for scripts and benchmarks."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from communes.tests.factories import DistrictFactory
from inspections.tests.factories import ConclusionNoticeFactory, CriteriaSetFactory, MinutesFactory, PlanFactory
from reports.models import Report

from . import pdf_text

pytestmark = pytest.mark.django_db


def test_district_report_is_written_and_recorded_as_a_version(world, tmp_path):
    out = tmp_path / "district.pdf"
    call_command("render_report", "district", "--year", "2020", "--out", str(out))
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    report = Report.objects.get(kind=Report.Kind.DISTRICT)
    assert report.status == Report.Status.DONE
    assert report.version == 1 and report.attempts == 1
    assert report.size == len(content) and report.page_count == pdf_text.page_count(content)
    text = pdf_text.text(content)
    assert "Thạnh Đông A" in text and "Tân Hội" in text and "Thủ tục hành chính" in text


def test_asking_again_makes_a_new_version(world, tmp_path):
    for _ in range(2):
        call_command("render_report", "xlsx", "--year", "2020", "--out", str(tmp_path / "table.xlsx"))
    assert sorted(Report.objects.values_list("version", flat=True)) == [1, 2]


def test_minutes_and_notice_need_the_commune_and_their_record(world, tmp_path):
    out = str(tmp_path / "minutes.pdf")
    with pytest.raises(CommandError, match="--commune"):
        call_command("render_report", "minutes", "--year", "2020", "--out", out)
    with pytest.raises(CommandError, match="chưa được lập"):
        call_command("render_report", "minutes", "--year", "2020", "--commune", world.commune_a.code, "--out", out)
    MinutesFactory(visit=world.visit_a, number="01/BB-ĐKT", team_attendees=[{"name": "Trần Minh Vũ"}])
    call_command("render_report", "minutes", "--year", "2020", "--commune", world.commune_a.code, "--out", out)
    assert "Số: 01/BB-ĐKT" in pdf_text.text((tmp_path / "minutes.pdf").read_bytes())
    ConclusionNoticeFactory(visit=world.visit_b, number="12/TB-UBND", remedy_deadline=dt.date(2020, 12, 31))
    notice = tmp_path / "notice.pdf"
    call_command("render_report", "notice", "--year", "2020", "--commune", world.commune_b.code, "--out", str(notice))
    assert "Số: 12/TB-UBND" in pdf_text.text(notice.read_bytes())


def test_authority_picks_the_campaign_when_a_year_has_several(world, tmp_path):
    other = DistrictFactory(name="Giồng Riềng", parent=world.province)
    PlanFactory(criteria_set=CriteriaSetFactory(authority=other, year=2020), authority=other, year=2020)
    out = str(tmp_path / "d.pdf")
    with pytest.raises(CommandError, match="--authority"):
        call_command("render_report", "district", "--year", "2020", "--out", out)
    call_command("render_report", "district", "--year", "2020", "--authority", world.district.code, "--out", out)
    assert "HUYỆN TÂN HIỆP" in pdf_text.text((tmp_path / "d.pdf").read_bytes())
    with pytest.raises(CommandError, match="No campaign"):
        call_command("render_report", "district", "--year", "1999", "--out", out)
