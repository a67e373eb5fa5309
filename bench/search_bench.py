"""Benchmark of finding things at province scale: the search, the filtered lists and the largest gaps.

Run by `make bench-search`, never by the tests. A fresh PostgreSQL database (cchc_bench_search) gets the
generated province (150 communes, two years, every criterion scored, findings carried over) and an
evidence file row per commune and criterion; it is dropped afterwards. Each page is requested through
Django's test client as the team lead and as a commune's staff, and the median of RUNS requests is
printed (wall clock, CPU of the Django process, time in SQL) with its number of queries. Exits 1 when a
page's median wall time passes GOAL_MS. The machine is shared: read the CPU column against the page budget.
"""

import os
import statistics
import sys
import time
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cchc_bench_search"
RUNS = 7
GOAL_MS = 500.0


def _setup_django() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cchc_inspect.settings",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-key",
            "ALLOWED_HOSTS": "testserver",
            "STATIC_MANIFEST": "false",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "VAR_DIR": str(ROOT / "var" / "bench"),
            "CELERY_BROKER_URL": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _build():
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Membership, User
    from inspections.models import Criterion, Evidence, Visit
    from reports.tests.campaigns import build_province_campaign

    call_command("migrate", verbosity=0)
    plan = build_province_campaign(communes=150, year=2024)
    visits = list(Visit.objects.filter(plan=plan).select_related("unit"))
    leaves = list(Criterion.objects.filter(criteria_set=plan.criteria_set, children__isnull=True))
    Evidence.objects.bulk_create(
        [
            Evidence(
                unit=visit.unit,
                visit=visit,
                criterion=criterion,
                file=f"evidence/bench/{visit.pk}-{criterion.pk}.pdf",
                original_name=f"Biên bản {criterion.code} {visit.unit.name}.pdf",
                size=1000,
                content_type="application/pdf",
                sha256="0" * 64,
            )
            for visit in visits
            for criterion in leaves
        ],
        batch_size=2000,
    )
    clerk = User.objects.create(username="bench-clerk", full_name="Lê Thị Hoa")
    Membership.objects.create(user=clerk, unit=visits[0].unit, role=Membership.Role.COMMUNE_STAFF)
    lead = User.objects.get(username="x91-lead")
    # As autovacuum would after a bulk load: without statistics the planner ignores the search indexes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return plan, visits, lead, clerk


def _measure(client, url: str) -> tuple[float, float, float, int]:
    """Median wall time, median CPU time of this process, median time in the database (ms), and queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, dbs, queries = [], [], [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        dbs.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries = len(captured)
    return statistics.median(walls), statistics.median(cpus), statistics.median(dbs), queries


def main() -> int:
    if not postgres(f"DROP DATABASE IF EXISTS {DATABASE}") or not postgres(f"CREATE DATABASE {DATABASE}"):
        print("No PostgreSQL server answers at BENCH_POSTGRES_URL; nothing measured.")
        return 1
    try:
        _setup_django()
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from inspections.models import Evidence, Finding

        setup_test_environment()
        plan, visits, lead, clerk = _build()
        print(
            f"150 communes, {Finding.objects.count()} findings, {Evidence.objects.count()} evidence rows; "
            f"median of {RUNS} requests"
        )
        commune = visits[3].unit.name
        pages = [
            ("search: a commune, no marks", reverse("inspections:search") + f"?q={commune}"),
            ("search: finding words", reverse("inspections:search") + "?q=niem+yet+thu+tuc"),
            ("search: criterion code", reverse("inspections:search") + "?q=4.1"),
            ("search: file name", reverse("inspections:search") + "?q=bien+ban+2.1"),
            ("remedies: overdue, year", reverse("inspections:remedy_list") + "?overdue=on&year=2024&area=procedures"),
            ("remedies: all", reverse("inspections:remedy_list")),
            ("visits: by status", reverse("inspections:plan_detail", args=[plan.pk]) + "?status=signed"),
            ("largest gaps", reverse("inspections:plan_gaps", args=[plan.pk])),
        ]
        failed = False
        for who, user in (("lead", lead), ("commune staff", clerk)):
            client = Client()
            client.force_login(user)
            for label, url in pages:
                if who == "commune staff" and "gaps" in label:
                    continue
                wall, cpu, db, queries = _measure(client, url)
                failed |= wall > GOAL_MS
                figures = f"{wall:6.1f} ms wall {cpu:6.1f} ms CPU {db:6.1f} ms SQL {queries:3d} queries"
                print(f"{who:14} {label:32} {figures}")
        print(f"goal: every page under {GOAL_MS:.0f} ms: {'missed' if failed else 'met'}")
        return 1 if failed else 0
    finally:
        from django.db import connections

        connections.close_all()
        postgres(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    sys.exit(main())
