"""Reading a visit: times in Asia/Ho_Chi_Minh, the viewer's read-only pages, the page of an issued notice."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from inspections.models import ConclusionNotice, Minutes, Visit
from inspections.services import closing

from .test_district_closing import _minutes

pytestmark = pytest.mark.django_db

READ_PAGES = ("minutes_edit", "conclusion_edit", "visit_history")
NOTICE = {
    "number": "15/TB-ĐKT",
    "issued_on": "20/10/2020",
    "remedy_deadline": "31/12/2020",
    "summary": "Xã cần khắc phục hạn chế.",
    "signer_name": "Trần Minh Vũ",
    "signer_title": "Phó Chủ tịch UBND huyện",
    "recipients": "UBND xã Thạnh Đông A;\nLưu: VT.",
}


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _sign(world, client):
    _minutes(world)
    client.force_login(world.users["lead"])
    assert client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk])).status_code == 302
    return Minutes.objects.get(visit=world.visit_a)


def _issue(world, client):
    _sign(world, client)
    return client.post(reverse("inspections:conclusion_edit", args=[world.visit_a.pk]), NOTICE, follow=True)


def _hrefs(body):
    return set(re.findall(r'href="(/[^"]+)"', body))


def test_the_history_prints_the_signing_time_of_ho_chi_minh_city_not_utc(world, client):
    minutes = _sign(world, client)
    body = client.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    local = date_format(timezone.localtime(minutes.signed_at), "SHORT_DATETIME_FORMAT")
    utc = date_format(minutes.signed_at.astimezone(dt.UTC), "SHORT_DATETIME_FORMAT")
    assert local != utc
    assert f"<td>{local}</td>" in body
    assert utc not in body


def test_the_history_of_a_signing_at_half_past_one_reads_01_30(world, client):
    minutes = _sign(world, client)
    # 18:30 UTC on 12/10 is 01:30 on 13/10 in Hồ Chí Minh City.
    at = dt.datetime(2020, 10, 12, 18, 30, tzinfo=dt.UTC)
    Minutes.objects.filter(pk=minutes.pk).update(signed_at=at)
    minutes.refresh_from_db()
    minutes.save()
    body = client.get(reverse("inspections:visit_history", args=[world.visit_a.pk])).content.decode()
    assert "01:30 13/10/2020" in body
    assert "18:30 12/10/2020" not in body


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_viewer_reads_the_minutes_the_notice_and_the_history_without_forms(world, client, persona_client, page):
    _issue(world, client)
    viewer = persona_client("viewer")
    url = reverse(f"inspections:{page}", args=[world.visit_a.pk])
    response = viewer.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    content = body.split("<main", 1)[1]
    assert "<textarea" not in content and "<fieldset" not in content
    assert 'method="post"' not in content
    for href in _hrefs(content):
        assert viewer.get(href).status_code in {200, 302}, href
    assert reverse("inspections:visit_workspace", args=[world.visit_a.pk]) not in content


def test_the_viewers_minutes_page_shows_what_was_recorded(world, client, persona_client):
    _sign(world, client)
    body = persona_client("viewer").get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert 'data-testid="minutes-read"' in body
    assert "Trụ sở UBND xã" in body and "Trần Minh Vũ – Trưởng đoàn" in body
    assert 'data-testid="signed-notice"' in body


def test_the_viewer_may_not_post_on_the_pages_he_reads(world, client, persona_client):
    _sign(world, client)
    viewer = persona_client("viewer")
    assert (
        viewer.post(reverse("inspections:minutes_edit", args=[world.visit_a.pk]), {"held_on": "13/10/2020"}).status_code
        == 403
    )
    assert viewer.post(reverse("inspections:conclusion_edit", args=[world.visit_a.pk]), NOTICE).status_code == 403
    assert not ConclusionNotice.objects.exists()


def test_the_viewer_finds_the_read_only_pages_from_the_visit(world, persona_client):
    body = persona_client("viewer").get(reverse("inspections:visit_detail", args=[world.visit_a.pk])).content.decode()
    for page in READ_PAGES:
        assert reverse(f"inspections:{page}", args=[world.visit_a.pk]) in body
    assert reverse("inspections:visit_workspace", args=[world.visit_a.pk]) not in body


def test_issuing_the_notice_says_issued_and_the_page_shows_the_issued_notice(world, client):
    response = _issue(world, client)
    body = response.content.decode()
    assert "Đã ban hành thông báo kết luận" in body
    assert "Đã lưu" not in body
    assert Visit.objects.get(pk=world.visit_a.pk).status == Visit.Status.CONCLUDED
    assert 'data-testid="issued-notice"' in body and "15/TB-ĐKT" in body and "31/12/2020" in body
    assert 'data-testid="after-notice"' in body
    content = body.split("<main", 1)[1]
    # Nothing left to fill in, and nothing promising a reopening that no longer exists.
    assert "<textarea" not in content and 'data-testid="issue-notice"' not in content
    assert "mở lại" not in content.lower()
    assert reverse("reports:visit_reports", args=[world.visit_a.pk]) in content
    minutes_page = client.get(reverse("inspections:minutes_edit", args=[world.visit_a.pk])).content.decode()
    assert "mở lại" not in minutes_page.split("<main", 1)[1].lower()
    assert 'data-testid="reopen-minutes"' not in minutes_page


def test_an_issued_notice_is_not_changed_by_a_second_post(world, client):
    _issue(world, client)
    changed = {**NOTICE, "number": "99/TB-ĐKT"}
    response = client.post(reverse("inspections:conclusion_edit", args=[world.visit_a.pk]), changed, follow=True)
    assert "không còn thay đổi" in response.content.decode()
    assert ConclusionNotice.objects.get(visit=world.visit_a).number == "15/TB-ĐKT"


def test_the_service_still_refuses_a_reopening_after_the_notice(world, client):
    _issue(world, client)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        closing.minutes_reopen(visit=world.visit_a, user=world.users["lead"], reason="Sửa")
