"""Benchmark of the 7-day self-assessment reminders of a province round.

Run by hand (`.venv/bin/python bench/notifications_bench.py`), never by the tests. A PostgreSQL
database cchc_bench_notifications is made afresh on the server at BENCH_POSTGRES_URL and dropped
afterwards. For 10 and then 150 communes, each with its chairman and two civil servants (3 people
a commune: 450 for 150), every self-assessment due in 7 days and not submitted:

- the queries of the beat's run (`reminders_send`), which must not grow with the communes;
- the worker's time for the whole round: the run, then every mail through the worker's code path
  (`deliveries_send`, in batches as the task receives them) to a real SMTP server on 127.0.0.1.

Exits 1 when a goal is missed: the same number of queries for 10 and 150 communes, and the
worker's time for 150 communes under 30 s.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cchc_bench_notifications"
GOAL_SECONDS = 30.0


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cchc_inspect.settings",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-key",
            "ALLOWED_HOSTS": "localhost",
            "STATIC_MANIFEST": "false",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "VAR_DIR": str(ROOT / "var" / "bench"),
            "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "memory://",
        }
    )
    import django

    django.setup()


def _round(communes: int, tag: str):
    """A province, its plan due in 7 days, and `communes` communes with 3 people each (with addresses)."""
    from accounts.models import Membership, User
    from communes.models import AdministrativeUnit
    from inspections.demo.build import DemoBuilder
    from inspections.demo.criteria import BANDS_2020, CRITERIA_2020
    from inspections.models import InspectionPlan, Visit

    province = AdministrativeUnit.objects.create(
        code=f"B{tag}", name=f"Tỉnh {tag}", kind=AdministrativeUnit.Kind.PROVINCE
    )
    units = AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(
                code=f"B{tag}{i:04d}",
                name=f"Xã Thạnh Đông {i}",
                kind=AdministrativeUnit.Kind.COMMUNE,
                level=AdministrativeUnit.Level.COMMUNE,
                parent=province,
            )
            for i in range(communes)
        ]
    )
    builder = DemoBuilder()
    builder.district = province
    criteria_set = builder.build_criteria_set(2026, CRITERIA_2020, BANDS_2020)
    today = dt.date.today()
    plan = InspectionPlan.objects.create(
        authority=province,
        criteria_set=criteria_set,
        year=2026,
        number=f"{tag}/KH-UBND",
        issued_on=today,
        title="Kế hoạch kiểm tra công tác cải cách hành chính năm 2026",
        round_start=today + dt.timedelta(days=10),
        round_end=today + dt.timedelta(days=30),
        self_assessment_deadline=today + dt.timedelta(days=7),
        status=InspectionPlan.Status.APPROVED,
    )
    Visit.objects.bulk_create(
        [
            Visit(plan=plan, unit=unit, scheduled_on=plan.round_start, status=Visit.Status.SELF_ASSESSMENT)
            for unit in units
        ]
    )
    people = User.objects.bulk_create(
        [
            User(username=f"b{tag}-{i}-{n}", full_name=f"Nguyễn Văn {n}", email=f"b{tag}-{i}-{n}@example.vn")
            for i in range(communes)
            for n in range(3)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=person,
                unit=units[index // 3],
                role=Membership.Role.COMMUNE_LEAD if index % 3 == 0 else Membership.Role.COMMUNE_STAFF,
            )
            for index, person in enumerate(people)
        ]
    )
    return plan, today


def _clear():
    """Forget the previous measurement's round: its communes would be reminded again."""
    from accounts.models import Delivery, Membership, Notification
    from inspections.models import Visit

    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    Visit.objects.all().delete()
    Membership.objects.all().delete()


def measure(communes: int, smtp) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Delivery, Notification
    from accounts.notifications import services
    from inspections.reminders import reminders_send

    _clear()
    _plan, today = _round(communes, tag=f"{communes}")
    enqueued: list[int] = []
    services.enqueue_deliveries = lambda ids, countdown=0: enqueued.extend(ids)
    received_before = len(smtp.inbox.messages)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        written = reminders_send(day=today)
    run_seconds = time.perf_counter() - started
    started_send = time.perf_counter()
    retry = []
    for start in range(0, len(enqueued), services.BATCH_SIZE):
        retry += services.deliveries_send(delivery_ids=enqueued[start : start + services.BATCH_SIZE])
    send_seconds = time.perf_counter() - started_send
    with transaction.atomic():
        again = reminders_send(day=today)
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    return {
        "communes": communes,
        "people": communes * 3,
        "notifications": Notification.objects.count(),
        "written": written,
        "queries": len(queries),
        "run_s": run_seconds,
        "send_s": send_seconds,
        "worker_s": run_seconds + send_seconds,
        "sent": sent,
        "received": len(smtp.inbox.messages) - received_before,
        "retry": len(retry),
        "second_run_written": again,
    }


def main() -> int:
    if not postgres(f'DROP DATABASE IF EXISTS "{DATABASE}"') or not postgres(f'CREATE DATABASE "{DATABASE}"'):
        print(f"No PostgreSQL server answers at {POSTGRES}.")
        return 1
    try:
        _django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        sys.path.insert(0, str(ROOT / "accounts" / "tests"))
        from smtp import SmtpServer

        call_command("migrate", verbosity=0)
        smtp = SmtpServer().start()
        smtp.settings(settings)
        try:
            small = measure(10, smtp)
            large = measure(150, smtp)
        finally:
            smtp.stop()
        connections.close_all()
    finally:
        postgres(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    for row in (small, large):
        print(
            f"{row['communes']:>4} communes, {row['people']} people: {row['written']} reminders in "
            f"{row['queries']} queries, run {row['run_s']:.2f} s, sending {row['send_s']:.2f} s, "
            f"worker {row['worker_s']:.2f} s; {row['received']} mails received by SMTP; "
            f"second run wrote {row['second_run_written']}"
        )
    ok = True
    if small["queries"] != large["queries"]:
        print(f"GOAL MISSED: queries grow with the communes ({small['queries']} → {large['queries']})")
        ok = False
    if large["worker_s"] >= GOAL_SECONDS:
        print(f"GOAL MISSED: worker time {large['worker_s']:.1f} s ≥ {GOAL_SECONDS:.0f} s")
        ok = False
    if large["received"] != large["people"] or large["second_run_written"] != 0:
        print("GOAL MISSED: not every person received exactly one reminder")
        ok = False
    print("All goals met." if ok else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
