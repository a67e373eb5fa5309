"""Benchmark at national scale: the whole country's communes over three years, on PostgreSQL.

Run by `make bench-load`, never by the tests. Steps, each in a fresh process:

- build: a database named cchc_bench_national with the official unit register (34 provinces,
  3,321 communes and the successions of the 2025 mergers), then for every province three
  yearly campaigns over all its communes, each commune scored on 97 criteria, with two history
  rows per score, findings and about ten evidence files (small real files) per visit;
- cpu: the CPU time, Python function calls, queries and HTML size of the main pages of the
  largest province, measured in-process (Django's test client, DEBUG off) so that other work on
  the machine does not count: the dashboard, a commune's self-assessment sheet, the lead's workspace, the home page
  of the superuser, and the htmx saves of a self score and of an appraised score;
- load (with --load, when locust is installed): gunicorn with two workers on 127.0.0.1 and
  locust headless with 20 users (4 leads, 10 inspectors, 6 commune clerks), each sending two requests
  a second on average at moments of its own (40 requests/s offered) for a bounded time,
  then requests/s, p50/p95/p99 and failures per page, how bunched the requests were, and a check
  that every save was kept.

The database is dropped at the end unless --keep is given; --reuse measures an existing one.
Prints the tables and exits 1 when a goal is missed (CPU per page; p95, p99, failures, throughput).
"""

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench-national"
# Another name (BENCH_DATABASE=cchc_bench_…) lets two checkouts measure side by side.
DATABASE = os.environ.get("BENCH_DATABASE", "cchc_bench_national")
if not DATABASE.startswith("cchc_bench_") or not DATABASE.replace("_", "").isalnum():
    raise SystemExit("BENCH_DATABASE must be a plain name starting with cchc_bench_")
SESSIONS = BENCH_DIR / "sessions.json"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
# Locust lives in its own environment (make bench-load installs it), apart from the application's.
LOCUST = Path(os.environ.get("BENCH_LOCUST", ROOT / "var" / "bench-venv" / "bin" / "locust"))
# A step's answer is the line it prints after this mark (its other lines are logs).
ANSWER = "ANSWER "

YEARS = 3
LEAVES_PER_AREA = [14, 14, 14, 14, 14, 14, 13]  # 97 scored criteria
AREAS = [
    ("direction", "I", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("institutions", "II", "Cải cách thể chế"),
    ("procedures", "III", "Cải cách thủ tục hành chính; cơ chế một cửa, một cửa liên thông"),
    ("apparatus", "IV", "Cải cách tổ chức bộ máy; xây dựng và nâng cao chất lượng đội ngũ CBCC"),
    ("finance", "V", "Cải cách tài chính công"),
    ("modernization", "VI", "Hiện đại hóa nền hành chính"),
    ("emulation", "VII", "Thi đua khen thưởng; theo dõi thi hành pháp luật về xử lý vi phạm hành chính"),
]
BANDS = [("Tốt", 90, "#198754"), ("Khá", 70, "#0d6efd"), ("Trung bình", 50, "#fd7e14"), ("Kém", 0, "#dc3545")]
USERS = {"lead": 4, "inspector": 10, "clerk": 6}
# Requests per second each user aims at: 20 users at 2 offer 40 requests/s.
RATE = 2.0
# When each user's requests start: "poisson" (independent moments, the default) or "beat" (locust's
# constant_throughput, which falls into step after any slow moment; see bench/locustfile.py).
PACING = os.environ.get("BENCH_PACING", "poisson")
if PACING not in {"poisson", "beat"}:
    raise SystemExit("BENCH_PACING is poisson or beat")
# gunicorn's worker processes, as the goal is measured; BENCH_WORKERS compares another number.
WORKERS = max(1, int(os.environ.get("BENCH_WORKERS", "2")))

# Goals of the issue "Fast at national scale".
CPU_GOAL_MS = {"dashboard": 60, "sheet": 60, "workspace": 60, "sheet save": 25, "workspace save": 25}
LOAD_GOALS = {"p95": 150, "p99": 400, "rps": 40}


def _environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc_inspect.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "VAR_DIR": str(BENCH_DIR),
        "MEDIA_ROOT": str(BENCH_DIR / "media"),
        "CELERY_BROKER_URL": "",
        # As deployed (docs/deploy.md): a cache shared by the web workers, in Redis.
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/10"),
        "LOG_LEVEL": "WARNING",
    }


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Building ------------------------------------------------------------------------------------


def _criteria_rows(criteria_set, area_models):
    """Parents and leaves of one set: 97 leaves of 1 point (three of 2 points), 100 points in all."""
    from decimal import Decimal

    from inspections.models import Criterion

    parents, leaves, order = [], [], 0
    for (area, count), area_index in zip(zip(area_models, LEAVES_PER_AREA, strict=True), range(7), strict=True):
        remaining, parent_index = count, 0
        while remaining:
            size = min(4, remaining)
            parent_index += 1
            order += 1
            code = f"{area_index + 1}.{parent_index}"
            # Three criteria of 2 points, the others 1: 100 points in all.
            double = area_index < 3 and parent_index == 1
            maxima = [Decimal("2") if double and i == 0 else Decimal("1") for i in range(size)]
            parent = Criterion(
                criteria_set=criteria_set,
                area=area,
                code=code,
                title=f"Tiêu chí {code}: thực hiện nhiệm vụ cải cách hành chính theo kế hoạch",
                max_score=sum(maxima),
                guidance="Chấm theo mức độ hoàn thành.",
                expected_evidence="",
                order=order,
            )
            parents.append(parent)
            for child_index, maximum in enumerate(maxima, start=1):
                order += 1
                leaves.append(
                    (
                        parent,
                        Criterion(
                            criteria_set=criteria_set,
                            area=area,
                            code=f"{code}.{child_index}",
                            title=f"Tiêu chí thành phần {code}.{child_index}: ban hành, triển khai đúng thời hạn",
                            max_score=maximum,
                            guidance="Đầy đủ, đúng hạn: tối đa; chậm hoặc không đầy đủ: trừ điểm.",
                            expected_evidence="Văn bản, báo cáo kèm theo.",
                            order=order,
                        ),
                    )
                )
            remaining -= size
    return parents, leaves


def build() -> None:
    """The national database: register, people, campaigns, scores, history, findings, evidence."""
    _django()
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Membership, User
    from communes.models import AdministrativeUnit
    from inspections.models import (
        ClassificationBand,
        CriteriaSet,
        Criterion,
        InspectionPlan,
        InspectionTeam,
        ReviewArea,
        TeamGroup,
        TeamMember,
        Visit,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_units", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"  register imported ({time.perf_counter() - started:.0f} s)", flush=True)
    today = timezone.localdate()
    this_year = today.year
    password = make_password("bench")
    User.objects.create_superuser(username="bench-admin", password="bench", full_name="Quản trị hệ thống")
    provinces = list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE, valid_to__isnull=True).order_by(
            "code"
        )
    )
    communes = {}
    for unit in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True):
        communes.setdefault(unit.parent_id, []).append(unit)
    with transaction.atomic():
        people = {}
        for province in provinces:
            code = province.code
            people[province.pk] = {
                "lead": User(username=f"p{code}-lead", full_name="Nguyễn Thanh Tùng", password=password),
                "secretariat": User(username=f"p{code}-secretariat", full_name="Lê Thị Hồng", password=password),
                "inspectors": [
                    User(username=f"p{code}-inspector-{i}", full_name=f"Trần Văn Bình {i}", password=password)
                    for i in range(1, 8)
                ],
                "clerks": [
                    User(username=f"c{unit.code}-staff", full_name="Phạm Thị Lan", password=password)
                    for unit in communes.get(province.pk, [])
                ],
            }
        every = [u for p in people.values() for u in (p["lead"], p["secretariat"], *p["inspectors"], *p["clerks"])]
        User.objects.bulk_create(every, batch_size=2000)
        memberships = []
        for province in provinces:
            p = people[province.pk]
            memberships += [
                Membership(user=p["lead"], unit=province, role=Membership.Role.TEAM_LEAD),
                Membership(user=p["secretariat"], unit=province, role=Membership.Role.SECRETARIAT),
                *(Membership(user=u, unit=province, role=Membership.Role.INSPECTOR) for u in p["inspectors"]),
                *(
                    Membership(user=u, unit=unit, role=Membership.Role.COMMUNE_STAFF)
                    for u, unit in zip(p["clerks"], communes.get(province.pk, []), strict=True)
                ),
            ]
        Membership.objects.bulk_create(memberships, batch_size=2000)

        for province in provinces:
            units = sorted(communes.get(province.pk, []), key=lambda u: u.code)
            p = people[province.pk]
            previous = None
            for year in range(this_year - YEARS + 1, this_year + 1):
                current = year == this_year
                criteria_set = CriteriaSet.objects.create(
                    authority=province,
                    year=year,
                    name=f"Bộ tiêu chí đánh giá công tác CCHC cấp xã năm {year}",
                    status=CriteriaSet.Status.PUBLISHED,
                    total_max=Decimal("100"),
                )
                areas = ReviewArea.objects.bulk_create(
                    [
                        ReviewArea(criteria_set=criteria_set, code=c, number=n, title=t, order=i)
                        for i, (c, n, t) in enumerate(AREAS)
                    ]
                )
                ClassificationBand.objects.bulk_create(
                    [
                        ClassificationBand(criteria_set=criteria_set, label=label, min_percent=m, color=color)
                        for label, m, color in BANDS
                    ]
                )
                parents, leaves = _criteria_rows(criteria_set, areas)
                Criterion.objects.bulk_create(parents)
                for parent, leaf in leaves:
                    leaf.parent = parent
                Criterion.objects.bulk_create([leaf for _parent, leaf in leaves])
                plan = InspectionPlan.objects.create(
                    authority=province,
                    criteria_set=criteria_set,
                    year=year,
                    number=f"{12 + year % 100}/KH-UBND",
                    issued_on=dt.date(year, 3, 10),
                    title=f"Kiểm tra công tác cải cách hành chính cấp xã năm {year}",
                    forms=["on_site", "documents"],
                    round_start=dt.date(year, 9, 1) if not current else today - dt.timedelta(days=20),
                    round_end=dt.date(year, 11, 30) if not current else today + dt.timedelta(days=40),
                    self_assessment_deadline=None if not current else today + dt.timedelta(days=20),
                    status=InspectionPlan.Status.CONCLUDED if not current else InspectionPlan.Status.IN_PROGRESS,
                    previous=previous,
                )
                team = InspectionTeam.objects.create(
                    plan=plan,
                    name=f"Đoàn kiểm tra công tác cải cách hành chính năm {year}",
                    decision_number=f"{300 + year % 100}/QĐ-UBND",
                    decision_date=dt.date(year, 3, 20),
                )
                groups = TeamGroup.objects.bulk_create(
                    [TeamGroup(team=team, name=f"Tổ {i + 1}", order=i) for i in range(len(areas))]
                )
                for group, area in zip(groups, areas, strict=True):
                    group.areas.set([area])
                TeamMember.objects.bulk_create(
                    [
                        TeamMember(team=team, user=p["lead"], role=TeamMember.Role.LEAD, position="Giám đốc Sở Nội vụ"),
                        *(
                            TeamMember(
                                team=team,
                                user=u,
                                role=TeamMember.Role.MEMBER,
                                position="Chuyên viên",
                                group=groups[i % len(groups)],
                                order=i + 1,
                            )
                            for i, u in enumerate(p["inspectors"])
                        ),
                    ]
                )
                half = len(units) // 2
                Visit.objects.bulk_create(
                    [
                        Visit(
                            plan=plan,
                            unit=unit,
                            scheduled_on=(plan.round_start + dt.timedelta(days=i // 4)),
                            place=f"Trụ sở UBND {unit.name}",
                            status=(
                                Visit.Status.CONCLUDED
                                if not current
                                else (Visit.Status.APPRAISING if i < half else Visit.Status.SELF_ASSESSMENT)
                            ),
                        )
                        for i, unit in enumerate(units)
                    ],
                    batch_size=2000,
                )
                previous = plan
        print(f"  campaigns made ({time.perf_counter() - started:.0f} s)", flush=True)
        with connection.cursor() as cursor:
            # Every scored criterion of every visit: self scores (most, at open self-assessments), appraised
            # scores at concluded visits and at half the criteria of those being appraised.
            cursor.execute(
                """
                INSERT INTO inspections_criterionscore (visit_id, criterion_id, max_score, self_score,
                    self_explanation, self_at, appraised_score, appraised_comment, appraised_at,
                    explanation_requested, explanation_request, version, not_applicable, not_applicable_reason)
                SELECT vid, cid, m,
                    CASE WHEN st = 'self_assessment' AND r1 < 0.4 THEN NULL
                        ELSE floor(m * (0.6 + 0.4 * r2) * 4) / 4 END,
                    CASE WHEN r3 < 0.3 THEN 'Đã thực hiện, hồ sơ lưu tại văn phòng.' ELSE '' END,
                    CASE WHEN st = 'self_assessment' AND r1 < 0.4 THEN NULL ELSE now() END,
                    CASE WHEN st = 'concluded' OR (st = 'appraising' AND r1 < 0.5)
                        THEN floor(m * (0.5 + 0.5 * r2) * 4) / 4 END,
                    CASE WHEN st = 'concluded' THEN 'Đạt yêu cầu.' ELSE '' END,
                    CASE WHEN st = 'concluded' OR (st = 'appraising' AND r1 < 0.5) THEN now() END,
                    false, '', 1, '', ''
                FROM (
                    SELECT v.id AS vid, c.id AS cid, c.max_score AS m, v.status AS st,
                        random() AS r1, random() AS r2, random() AS r3
                    FROM inspections_visit v
                    JOIN inspections_inspectionplan p ON p.id = v.plan_id
                    JOIN inspections_criterion c ON c.criteria_set_id = p.criteria_set_id
                    WHERE NOT EXISTS (SELECT 1 FROM inspections_criterion k WHERE k.parent_id = c.id)
                ) AS drawn
                """
            )
            print(f"  {cursor.rowcount} scores ({time.perf_counter() - started:.0f} s)", flush=True)
            columns = (
                "id, max_score, self_score, self_explanation, self_at, appraised_score, appraised_comment, "
                "appraised_at, explanation_requested, explanation_request, version, visit_id, criterion_id, "
                "self_by_id, appraised_by_id, not_applicable, not_applicable_reason"
            )
            history = 0
            for kind in ("+", "~"):
                cursor.execute(
                    f"INSERT INTO inspections_historicalcriterionscore ({columns}, history_date, history_type) "
                    f"SELECT {columns}, now(), %s FROM inspections_criterionscore",
                    [kind],
                )
                history += cursor.rowcount
            print(f"  {history} history rows ({time.perf_counter() - started:.0f} s)", flush=True)
            cursor.execute(
                """
                INSERT INTO inspections_finding (visit_id, kind, area_id, text, recommendation, due_date, status,
                    answer, created_at)
                SELECT v.id, k.kind, a.id, k.text, k.recommendation,
                    CASE WHEN k.kind = 'strength' THEN NULL ELSE p.round_end + 45 END,
                    CASE WHEN k.kind = 'strength' THEN 'noted'
                         WHEN p.status = 'concluded' AND random() < 0.6 THEN 'remedied' ELSE 'open' END,
                    '', now()
                FROM inspections_visit v
                JOIN inspections_inspectionplan p ON p.id = v.plan_id
                CROSS JOIN (VALUES
                    ('strength', 'procedures', 'Bộ phận một cửa bố trí khoa học, niêm yết đầy đủ thủ tục.', ''),
                    ('strength', 'modernization', 'Áp dụng hệ thống quản lý chất lượng ISO 9001:2015.', ''),
                    ('shortcoming', 'procedures', 'Còn hồ sơ giải quyết trễ hạn chưa có văn bản xin lỗi.',
                        'Thực hiện xin lỗi đúng quy định.'),
                    ('shortcoming', 'institutions', 'Chưa rà soát văn bản quy phạm pháp luật do xã ban hành.',
                        'Tổ chức rà soát và báo cáo kết quả.'),
                    ('recommendation', 'direction', 'Đa dạng hóa hình thức tuyên truyền cải cách hành chính.', '')
                ) AS k(kind, area_code, text, recommendation)
                JOIN inspections_reviewarea a ON a.criteria_set_id = p.criteria_set_id AND a.code = k.area_code
                WHERE v.status IN ('concluded', 'appraising')
                """
            )
            print(f"  {cursor.rowcount} findings ({time.perf_counter() - started:.0f} s)", flush=True)
            cursor.execute(
                """
                INSERT INTO inspections_evidence (unit_id, visit_id, criterion_id, file, original_name, size,
                    content_type, sha256, description, document_number, page_reference, uploaded_at)
                SELECT v.unit_id, v.id, c.id, 'evidence/bench/' || v.id || '-' || c.id || '.pdf',
                    'Bao-cao-' || c.code || '.pdf', %s, 'application/pdf', %s, 'Báo cáo kết quả thực hiện',
                    c.code || '/BC-UBND', '', now()
                FROM inspections_visit v
                JOIN inspections_inspectionplan p ON p.id = v.plan_id
                JOIN inspections_criterion c ON c.criteria_set_id = p.criteria_set_id
                WHERE NOT EXISTS (SELECT 1 FROM inspections_criterion k WHERE k.parent_id = c.id)
                    AND (c.id + v.id) %% 10 = 0
                RETURNING file
                """,
                [len(_PDF), _sha256()],
            )
            files = [row[0] for row in cursor.fetchall()]
        for name in files:
            path = BENCH_DIR / "media" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_PDF)
        print(f"  {len(files)} evidence files ({time.perf_counter() - started:.0f} s)", flush=True)
    _sign_concluded(started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _sign_concluded(started: float) -> None:
    """Signed minutes with the stored result for every concluded visit, as closing a round leaves them."""
    from django.utils import timezone

    from inspections.models import InspectionPlan, Minutes, TeamMember, Visit
    from inspections.scoring import visit_result_snapshots

    signed = 0
    plans = InspectionPlan.objects.filter(status=InspectionPlan.Status.CONCLUDED).select_related("criteria_set")
    for plan in plans:
        visits = list(plan.visits.filter(status=Visit.Status.CONCLUDED).order_by("pk"))
        leads = TeamMember.objects.filter(team__plan=plan, role=TeamMember.Role.LEAD)
        lead = leads.values_list("user_id", flat=True)[0]
        snapshots = visit_result_snapshots(visits=visits, criteria_set=plan.criteria_set)
        Minutes.objects.bulk_create(
            Minutes(
                visit=visit,
                number=f"{visit.pk}/BB-ĐKT",
                held_on=visit.scheduled_on or plan.round_start,
                place=visit.place,
                summary="Đoàn kiểm tra làm việc với UBND xã theo kế hoạch.",
                signed_by_id=lead,
                signed_at=timezone.now(),
                result_snapshot=snapshots[visit.pk],
            )
            for visit in visits
        )
        signed += len(visits)
    print(f"  {signed} signed minutes with their results ({time.perf_counter() - started:.0f} s)", flush=True)


_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _sha256() -> str:
    import hashlib

    return hashlib.sha256(_PDF).hexdigest()


# Who the pages are measured for ------------------------------------------------------------------


def _cast():
    """The largest province's current campaign, and the people and visits the pages are measured with."""
    from django.db.models import Count

    from accounts.models import User
    from inspections.models import Criterion, InspectionPlan, Visit

    plan = (
        InspectionPlan.objects.filter(status=InspectionPlan.Status.IN_PROGRESS)
        .annotate(n=Count("visits"))
        .order_by("-n", "pk")
        .select_related("authority")
        .first()
    )
    code = plan.authority.code
    appraising = list(plan.visits.filter(status=Visit.Status.APPRAISING).select_related("unit").order_by("pk"))
    self_assessing = list(plan.visits.filter(status=Visit.Status.SELF_ASSESSMENT).select_related("unit").order_by("pk"))
    leaves = list(
        Criterion.objects.filter(criteria_set_id=plan.criteria_set_id, children__isnull=True).order_by("order")
    )
    return {
        "plan": plan,
        "lead": User.objects.get(username=f"p{code}-lead"),
        "inspectors": list(User.objects.filter(username__startswith=f"p{code}-inspector-").order_by("username")),
        "admin": User.objects.get(username="bench-admin"),
        "appraising": appraising,
        "self_assessing": self_assessing,
        "clerk_of": {v.pk: User.objects.get(username=f"c{v.unit.code}-staff") for v in self_assessing[:20]},
        "leaves": leaves,
    }


def _score_version(visit, criterion) -> int:
    from inspections.models import CriterionScore

    score = CriterionScore.objects.filter(visit=visit, criterion=criterion).first()
    return score.version if score else 0


def cpu(runs: int) -> dict:
    """CPU milliseconds (median of `runs`), queries and KB of each main page, measured in this process."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    cast = _cast()
    from cchc_inspect.heap import freeze_loaded_objects, warm_up

    # As a web worker does once the application is loaded (cchc_inspect/wsgi.py).
    warm_up()
    freeze_loaded_objects()
    plan = cast["plan"]
    clerk_visit = cast["self_assessing"][0]
    work_visit = cast["appraising"][0]
    criterion = cast["leaves"][5]
    clients = {}

    def client(user):
        if user.pk not in clients:
            c = Client()
            c.force_login(user)
            clients[user.pk] = c
        return clients[user.pk]

    counter = iter(range(10**6))

    def sheet_save():
        n = next(counter)
        return client(cast["clerk_of"][clerk_visit.pk]).post(
            reverse("inspections:self_score_save", args=[clerk_visit.pk, criterion.pk]),
            {
                f"c{criterion.pk}-self_score": str(n % 4 / 4),
                f"c{criterion.pk}-self_explanation": f"Đã thực hiện ({n}).",
                f"c{criterion.pk}-version": str(_score_version(clerk_visit, criterion)),
            },
            HTTP_HX_REQUEST="true",
        )

    def workspace_save():
        n = next(counter)
        return client(cast["lead"]).post(
            reverse("inspections:score_save", args=[work_visit.pk, criterion.pk]),
            {
                "appraised_score": str(n % 4 / 4),
                "appraised_comment": f"Đạt ({n}).",
                "version": str(_score_version(work_visit, criterion)),
            },
            HTTP_HX_REQUEST="true",
        )

    pages = {
        "dashboard": lambda: client(cast["lead"]).get(reverse("inspections:plan_dashboard", args=[plan.pk])),
        "sheet": lambda: client(cast["clerk_of"][clerk_visit.pk]).get(
            reverse("inspections:self_assessment", args=[clerk_visit.pk])
        ),
        "workspace": lambda: client(cast["lead"]).get(reverse("inspections:visit_workspace", args=[work_visit.pk])),
        "home, lead": lambda: client(cast["lead"]).get(reverse("home")),
        "home, superuser": lambda: client(cast["admin"]).get(reverse("home")),
        "sheet save": sheet_save,
        "workspace save": workspace_save,
    }
    out = {}
    for name, request in pages.items():
        response = request()
        if response.status_code != 200:
            raise SystemExit(f"{name}: status {response.status_code}")
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Counted by a wrapper: the test client's request_started signal empties Django's own query log.
        with connection.execute_wrapper(count):
            response = request()
        calls = _calls(request)
        times, walls = [], []
        for _ in range(runs):
            start, wall = time.process_time(), time.perf_counter()
            response = request()
            times.append((time.process_time() - start) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        out[name] = {
            "queries": len(queries),
            "cpu_ms": round(statistics.median(times)),
            # The mean counts the garbage collector's full passes, which come every few requests.
            "cpu_mean_ms": round(statistics.mean(times)),
            # Wall time adds the database's work (and, on a busy machine, waiting for a core).
            "wall_ms": round(statistics.median(walls)),
            "kb": round(len(response.content) / 1024),
            "calls": calls,
        }
    return out


def _calls(request) -> int:
    """The Python function calls of one request, from Django's request_started to request_finished (cProfile).

    Unlike CPU time, the count does not depend on how fast the shared cores run at the moment: it
    compares the work of two versions of the code across hours and days.
    """
    import cProfile
    import pstats

    from django.core.signals import request_finished, request_started

    profile = cProfile.Profile()

    def start(**_kwargs):
        profile.enable()

    def stop(**_kwargs):
        profile.disable()

    request_started.connect(start)
    request_finished.connect(stop)
    try:
        request()
    finally:
        request_started.disconnect(start)
        request_finished.disconnect(stop)
        profile.disable()
    return pstats.Stats(profile).total_calls


def sessions() -> None:
    """Sign the load's users in (sessions in the database) and write their cookies and addresses."""
    _django()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    cast = _cast()
    plan = cast["plan"]

    def cookie(user):
        c = Client()
        c.force_login(user)
        return c.cookies[settings.SESSION_COOKIE_NAME].value

    leads = [
        {"session": cookie(cast["lead"]), "pages": [reverse("inspections:plan_dashboard", args=[plan.pk]), "/"]}
        for _ in range(USERS["lead"])
    ]
    inspectors = []
    for i in range(USERS["inspector"]):
        user = cast["inspectors"][i % len(cast["inspectors"])]
        from inspections.permissions import appraisal_area_ids

        area_ids = appraisal_area_ids(user, plan)
        visit = cast["appraising"][i]
        inspectors.append(
            {
                "session": cookie(user),
                "page": reverse("inspections:visit_workspace", args=[visit.pk]),
                "saves": [
                    reverse("inspections:score_save", args=[visit.pk, c.pk])
                    for c in cast["leaves"]
                    if c.area_id in area_ids
                ],
            }
        )
    clerks = []
    for visit in cast["self_assessing"][: USERS["clerk"]]:
        clerks.append(
            {
                "session": cookie(cast["clerk_of"][visit.pk]),
                "page": reverse("inspections:self_assessment", args=[visit.pk]),
                "saves": [
                    {"url": reverse("inspections:self_score_save", args=[visit.pk, c.pk]), "criterion": c.pk}
                    for c in cast["leaves"]
                ],
            }
        )
    SESSIONS.write_text(json.dumps({"lead": leads, "inspector": inspectors, "clerk": clerks}))


def saves_kept(expected_file: Path) -> None:
    """Compare the saves locust says were answered with the scores in the database: none may be lost."""
    _django()
    from inspections.models import CriterionScore

    expected = json.loads(expected_file.read_text())["answered"] if expected_file.exists() else []
    lost = 0
    for item in expected:
        score = CriterionScore.objects.filter(visit_id=item["visit"], criterion_id=item["criterion"]).first()
        field = "appraised_comment" if item["kind"] == "appraised" else "self_explanation"
        if score is None or item["text"] not in _history_texts(score, field):
            lost += 1
    print(ANSWER + json.dumps({"answered": len(expected), "lost": lost}))


def _history_texts(score, field) -> set:
    return {getattr(h, field) for h in score.history.all()}


# Running -----------------------------------------------------------------------------------------


def _child(*args: str, live: bool = False) -> dict | None:
    """Run a step in a fresh process; its last JSON line is its answer, other lines are printed."""
    result = subprocess.run(
        [sys.executable, __file__, *args],
        env=_environment(),
        cwd=ROOT,
        text=True,
        check=False,
        stdout=None if live else subprocess.PIPE,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout or "")
        raise SystemExit(f"{' '.join(args)} failed")
    lines = [line for line in (result.stdout or "").splitlines() if line.startswith(ANSWER)]
    return json.loads(lines[-1][len(ANSWER) :]) if lines else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_exists() -> bool:
    import psycopg2

    try:
        psycopg2.connect(f"{POSTGRES}/{DATABASE}", connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def _wait_until_ready(port: int) -> None:
    """Until every worker answers /healthz, as a load balancer waits before sending users.

    gunicorn's socket accepts as soon as the master binds it, while each worker still loads and
    warms the application; users sent then would queue behind the start and be counted in the load.
    """
    url = f"http://127.0.0.1:{port}/healthz"

    def answered(_n=0) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    for _ in range(300):
        if answered():
            break
        time.sleep(0.2)
    # A request each at once for every worker, twice: a worker still starting would hold one back.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in range(20):
            started = time.perf_counter()
            if all(pool.map(answered, range(WORKERS * 2))) and time.perf_counter() - started < 0.5:
                return
            time.sleep(0.2)


def load(seconds: int) -> tuple[list[dict], dict]:
    """gunicorn (WORKERS workers, 127.0.0.1 only) under locust's 20 users for `seconds`; rows per page and the total."""
    _child("sessions")
    port = _free_port()
    env = _environment()
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cchc_inspect.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            # BENCH_THREADS > 1 measures gunicorn's threaded workers beside the default synchronous ones.
            "--threads",
            str(max(1, int(os.environ.get("BENCH_THREADS", "1")))),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait_until_ready(port)
        prefix = BENCH_DIR / "locust"
        saves = BENCH_DIR / "saves.json"
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(sum(USERS.values())),
                "--spawn-rate",
                "20",
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "BENCH_SESSIONS": str(SESSIONS),
                "BENCH_SAVES": str(saves),
                "BENCH_RATE": str(RATE),
                "BENCH_PACING": PACING,
                "BENCH_SECONDS": str(seconds),
            },
            cwd=ROOT,
            check=False,
            timeout=seconds + 120,
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = _child("saves", str(saves))
    kept["bunched"] = bunched(json.loads(saves.read_text())["starts"]) if saves.exists() else None
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return [r for r in rows if r["Name"] != "Aggregated"], {**total, **kept}


def bunched(starts: list[float], beat: float = 1 / RATE, slices: int = 10) -> float:
    """The share of the requests that started in the busiest tenth of the users' beat (1 / RATE s).

    Every request's start is placed on a clock face of one beat; 0.1 when they are spread evenly, near
    1 when all users click in step. A load in step is a burst of every user's request at once, and its
    percentiles measure how long the burst takes to clear, not how long a request waits for people
    working side by side.
    """
    counts = [0] * slices
    for start in starts:
        counts[int(start % beat / beat * slices) % slices] += 1
    return max(counts) / max(1, len(starts))


def _print_cpu(after: dict) -> list[str]:
    missed = []
    print(
        f"\n{'page (largest province)':<22}{'queries':>8}{'calls':>9}{'CPU ms':>8}{'mean':>6}{'wall ms':>8}{'KB':>6}"
        "  CPU goal"
    )
    for name, row in after.items():
        goal = CPU_GOAL_MS.get(name)
        print(
            f"{name:<22}{row['queries']:>8}{row['calls']:>9,}{row['cpu_ms']:>8}{row['cpu_mean_ms']:>6}"
            f"{row['wall_ms']:>8}{row['kb']:>6}  {f'≤ {goal} ms' if goal else ''}"
        )
        if goal and row["cpu_ms"] > goal:
            missed.append(f"{name}: {row['cpu_ms']} ms CPU > {goal} ms")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the national database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database instead of building one")
    parser.add_argument("--load", action="store_true", help="also run the load test with locust")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load test (at most 300)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page for the CPU figures")
    options = parser.parse_args()
    seconds = max(10, min(options.seconds, 300))
    if not postgres("SELECT 1"):
        print("no PostgreSQL server answers at BENCH_POSTGRES_URL: the national benchmark needs one")
        return 1
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    missed = []
    try:
        if not (options.reuse and _database_exists()):
            postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
            postgres(f"CREATE DATABASE {DATABASE}")
            started = time.perf_counter()
            print("building the national database")
            _child("build", live=True)
            print(f"built in {time.perf_counter() - started:.0f} s")
        missed += _print_cpu(_child("cpu", str(options.runs)))
        if options.load and not LOCUST.exists():
            missed.append(f"no locust at {LOCUST}: `make bench-load` installs it")
        elif options.load:
            rows, total = load(seconds)
            offered = RATE * sum(USERS.values())
            print(
                f"\nload: {sum(USERS.values())} users ({USERS}) offering {offered:.0f} requests/s, {seconds} s,"
                f" ({PACING}), gunicorn {WORKERS} workers"
            )
            print(f"{'request':<28}{'count':>7}{'fail':>6}{'p50':>7}{'p95':>7}{'p99':>7}{'req/s':>8}")
            for r in [*rows, total]:
                print(
                    f"{r['Name'][:27]:<28}{r['Request Count']:>7}{r['Failure Count']:>6}{r['50%']:>7}"
                    f"{r['95%']:>7}{r['99%']:>7}{float(r['Requests/s']):>8.1f}"
                )
            print(f"saves answered {total['answered']}, lost {total['lost']}")
            if total["bunched"] is not None:
                print(
                    f"starts in the busiest tenth of a {1 / RATE:.1f} s beat: {total['bunched']:.0%}"
                    " (10 % when the users' requests are spread, 100 % when they click in step)"
                )
            if float(total["95%"]) > LOAD_GOALS["p95"]:
                missed.append(f"p95 {total['95%']} ms > {LOAD_GOALS['p95']} ms")
            if float(total["99%"]) > LOAD_GOALS["p99"]:
                missed.append(f"p99 {total['99%']} ms > {LOAD_GOALS['p99']} ms")
            if float(total["Requests/s"]) < LOAD_GOALS["rps"]:
                missed.append(f"{float(total['Requests/s']):.1f} requests/s < {LOAD_GOALS['rps']}")
            if int(total["Failure Count"]) or total["lost"]:
                missed.append(f"{total['Failure Count']} failures, {total['lost']} saves lost")
    finally:
        if not options.keep:
            postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
            import shutil

            shutil.rmtree(BENCH_DIR, ignore_errors=True)
    print("goals met" if not missed else "goals missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "build":
        build()
    elif command == "cpu":
        print(ANSWER + json.dumps(cpu(int(sys.argv[2]))))
    elif command == "sessions":
        sessions()
    elif command == "saves":
        saves_kept(Path(sys.argv[2]))
    else:
        sys.exit(main())
