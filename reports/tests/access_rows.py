"""Who may reach each URL of the reports: the district side sees every document of its campaign;
commune people only their own commune's minutes and notice (404 for the others' and for district reports)."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile

from inspections.tests.factories import ConclusionNoticeFactory, MinutesFactory
from reports.models import Report
from tests.access import Row, commune_a_only, expect

DISTRICT_SIDE_ONLY = {"commune_a": 404, "commune_a_lead": 404, "commune_b": 404}


def _report(world, kind, *, visit=None, status=Report.Status.DONE):
    report = Report.objects.create(plan=world.plan, kind=kind, visit=visit, status=Report.Status.QUEUED)
    if status == Report.Status.DONE:
        content = b"%PDF-1.7\n%%EOF\n"
        report.file.save("tai-lieu.pdf", ContentFile(content), save=False)
        report.file_name = "tai-lieu.pdf"
        report.size = len(content)
        report.sha256 = hashlib.sha256(content).hexdigest()
    if status == Report.Status.FAILED:
        report.error = "Lỗi thử nghiệm"
    report.status = status
    report.save()
    return report


def _notice(world, visit):
    ConclusionNoticeFactory(visit=visit, issued_on=dt.date(2020, 10, 30))
    return _report(world, Report.Kind.NOTICE, visit=visit)


def _minutes_request(world):
    MinutesFactory(visit=world.visit_a)
    return {"kind": "minutes", "visit": world.visit_a.pk}


ACCESS_ROWS = [
    Row("reports:index", expect(200)),
    Row("reports:plan_reports", expect(200), kwargs=lambda w: {"plan_pk": w.plan.pk}),
    Row("reports:visit_reports", commune_a_only(), kwargs=lambda w: {"visit_pk": w.visit_a.pk}, label="commune A"),
    Row(
        "reports:visit_reports",
        expect(200, commune_a=404, commune_a_lead=404),
        kwargs=lambda w: {"visit_pk": w.visit_b.pk},
        label="commune B",
    ),
    Row(
        "reports:status",
        expect(200, **DISTRICT_SIDE_ONLY),
        kwargs=lambda w: {"pk": _report(w, Report.Kind.DISTRICT, status=Report.Status.RUNNING).pk},
        label="district",
    ),
    Row(
        "reports:status",
        commune_a_only(),
        kwargs=lambda w: {"pk": _notice(w, w.visit_a).pk},
        label="notice of commune A",
    ),
    Row(
        "reports:download",
        expect(200, **DISTRICT_SIDE_ONLY),
        kwargs=lambda w: {"pk": _report(w, Report.Kind.DISTRICT).pk},
        label="district",
    ),
    Row(
        "reports:download",
        commune_a_only(),
        kwargs=lambda w: {"pk": _notice(w, w.visit_a).pk},
        label="notice of commune A",
    ),
    Row(
        "reports:download",
        expect(200, commune_a=404, commune_a_lead=404),
        kwargs=lambda w: {"pk": _notice(w, w.visit_b).pk},
        label="notice of commune B",
    ),
    Row(
        "reports:request",
        expect(403, secretariat=302, lead=302),
        kwargs=lambda w: {"plan_pk": w.plan.pk},
        method="post",
        data=lambda w: {"kind": "district"},
        label="district",
    ),
    Row(
        "reports:request",
        expect(403, secretariat=302, lead=302, inspector=302),
        kwargs=lambda w: {"plan_pk": w.plan.pk},
        method="post",
        data=_minutes_request,
        label="minutes",
    ),
    Row(
        "reports:texts",
        expect(403, secretariat=200, lead=200),
        kwargs=lambda w: {"plan_pk": w.plan.pk},
        label="district report texts",
    ),
    Row(
        "reports:texts",
        expect(403, secretariat=302, lead=302),
        kwargs=lambda w: {"plan_pk": w.plan.pk},
        method="post",
        data=lambda w: {"assessment": "1. Ưu điểm\nCác xã đều ban hành kế hoạch.", "proposals": ""},
        label="district report texts",
    ),
    Row(
        "reports:retry",
        expect(403, secretariat=302, lead=302, **DISTRICT_SIDE_ONLY),
        kwargs=lambda w: {"pk": _report(w, Report.Kind.DISTRICT, status=Report.Status.FAILED).pk},
        method="post",
        label="failed district report",
    ),
]
