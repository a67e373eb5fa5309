"""docs/security.md states the figures the code and its tests hold: defaults, pages checked, files refused."""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from inspections.uploads.corpus import CLEANED, HOSTILE
from tests.test_csp_browser import main_pages
from tests.test_export_formulas import PREFIXES

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"


def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in {"measure", "---"}:
            rows[cells[0]] = cells[1]
    return rows


def test_security_doc_figures_match_the_code():
    rows = _rows()
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    assert f"{settings.AXES_FAILURE_LIMIT} wrong passwords" in rows["lockout after failures"]
    assert f"for {minutes} minutes" in rows["lockout after failures"]
    assert f"after {settings.SESSION_IDLE_MINUTES} minutes idle" in rows["session limits"]
    assert f"{settings.SESSION_ABSOLUTE_HOURS} hours after signing in" in rows["session limits"]
    fake = SimpleNamespace(
        plan=SimpleNamespace(pk=1),
        visit_a=SimpleNamespace(pk=1),
        criteria_set=SimpleNamespace(pk=1),
        users={"lead": SimpleNamespace(pk=1)},
    )
    pages = main_pages(fake)
    assert rows["CSP violations in Chromium"] == (
        f"0 on {sum(len(urls) for urls in pages.values())} main pages loaded by {len(pages)} roles"
    )
    assert rows["`check --deploy` warnings with production values"] == "0"
    assert rows["formula cells in exports"].startswith("0 ")
    assert len(PREFIXES) == 6  # = + - @ tab, carriage return: the ones the row names
    assert rows["hostile uploads refused / total"] == f"{len(HOSTILE)} / {len(HOSTILE)}"
    assert rows["pictures re-encoded clean / total"] == f"{len(CLEANED)} / {len(CLEANED)}"
    assert re.match(r"0 \(medium: 0 unreviewed\)", rows["bandit high issues"])
    assert "script-src 'self'" in DOC.read_text() and settings.CONTENT_SECURITY_POLICY["script-src"] == ["'self'"]
