"""The change-history table written in Python says exactly what its template says, for every kind of entry."""

import datetime as dt
import unicodedata

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from inspections.audit import Change, HistoryEntry
from inspections.history_html import history_table


def _entries():
    when = timezone.make_aware(dt.datetime(2026, 10, 3, 23, 5), dt.UTC)
    person = UserFactory.build(username="tran", full_name="Trần <Minh> Vũ & cộng sự")
    return [
        HistoryEntry(
            when=when,
            who=person,
            subject='Điểm 1.1.1 "đủ" <hồ sơ>',
            action="đã sửa",
            changes=[
                Change(label="điểm thẩm định", old="—", new="7,5"),
                Change(label="nhận xét", old="Thiếu <phụ lục> & bản ký", new="x" * 250),
                Change(label="", old="", new="ä" * 199),
                # Decomposed Vietnamese: 150 letters written with 450 code points, then 250 letters.
                Change(
                    label="ghi chú",
                    old=unicodedata.normalize("NFD", "ệ" * 150),
                    new=unicodedata.normalize("NFD", "ệ" * 250),
                ),
            ],
        ),
        HistoryEntry(when=when - dt.timedelta(days=400), who=None, subject="Biên bản", action="đã tạo", changes=[]),
        HistoryEntry(
            when=when,
            who=None,
            subject="Thành viên đoàn",
            action="deleted",
            changes=[Change(label="Vai trò", old="Trưởng đoàn", new="—")],
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_history_table_is_written_as_the_template_writes_it(language, count):
    entries = _entries()[:count]
    with translation.override(language):
        expected = render_to_string("inspections/district/_history_table.html", {"entries": entries})
        assert str(history_table(entries)) == expected
    assert ("&lt;Minh&gt;" in expected) == (count > 0)


@pytest.mark.django_db
def test_the_workspace_asks_for_its_latest_changes_when_they_come_into_view(world, persona_client):
    from decimal import Decimal

    from django.urls import reverse

    from inspections.services import appraisal

    appraisal.score_appraise(
        visit=world.visit_a,
        criterion=world.leaves[2],
        user=world.users["lead"],
        appraised_score=Decimal("7.5"),
        comment="Đủ hồ sơ",
        expected_version=1,
    )
    lead = persona_client("lead")
    page = lead.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    fragment = f"{reverse('inspections:visit_history', args=[world.visit_a.pk])}?part=latest"
    # The section is there, its rows are not: they come when it is shown.
    assert f'hx-get="{fragment}"' in page and 'hx-trigger="intersect once"' in page
    assert 'data-testid="history-table"' not in page

    latest = lead.get(fragment, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="history-table"' in latest and "Đủ hồ sơ" in latest and "7,5" in latest
    assert "<html" not in latest
    # Without htmx (a link followed, the address typed), the whole history page.
    assert "<html" in lead.get(fragment).content.decode()
    # Whoever may not read the visit's history gets neither.
    assert persona_client("commune_b").get(fragment, HTTP_HX_REQUEST="true").status_code in (403, 404)
