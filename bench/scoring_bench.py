"""Benchmark of the scoring function: every total of a province-size round with the whole method in play.

Run by `make bench-scoring`, never by the tests. The database is made afresh and dropped
afterwards: PostgreSQL (cchc_bench_scoring) when the server at BENCH_POSTGRES_URL answers, else
a SQLite file under var/bench/. A child process builds a round of 150 communes on a set of 7
areas and 70 scored criteria, with two criteria accepted as not applicable at every third
commune, a bonus and a penalty at every other, two survey sub-indices and band rules; then it
times `visit_results` over all 150 visits (best of 5) and counts its queries, and does the same
for 15 visits to show the queries do not grow with the communes.

Prints seconds and queries, and exits 1 when a goal is missed: 150 communes under 0.5 s, and
the same number of queries for 15 and 150 communes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = "cchc_bench_scoring"
GOAL_SECONDS = 0.5


def child() -> None:
    """In the benchmark's own process and database: build the round, then time and count `visit_results`."""
    sys.path.insert(0, str(ROOT))
    import time
    from decimal import Decimal

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communes.tests.factories import CommuneFactory, ProvinceFactory
    from inspections.models import AdjustmentItem, CriterionScore, SurveyIndex, SurveyResult, VisitAdjustment
    from inspections.scoring import visit_results
    from inspections.tests.factories import (
        BandFactory,
        CriteriaSetFactory,
        CriterionFactory,
        PlanFactory,
        ReviewAreaFactory,
        VisitFactory,
    )

    province = ProvinceFactory(name="Tỉnh Thử")
    cset = CriteriaSetFactory(
        authority=province,
        year=2026,
        survey_weight=Decimal("30"),
        bonus_cap=Decimal("3"),
        penalty_cap=Decimal("5"),
    )
    leaves = []
    for a in range(7):
        area = ReviewAreaFactory(criteria_set=cset, code=f"a{a}", number=str(a + 1), order=a)
        for c in range(10):
            leaves.append(
                CriterionFactory(
                    area=area, code=f"{a + 1}.{c + 1}", max_score=Decimal("1"), may_be_not_applicable=c == 9
                )
            )
    for label, start, floor, serious in (("Xuất sắc", 95, 80, True), ("Tốt", 80, 60, False), ("Kém", 0, None, False)):
        BandFactory(
            criteria_set=cset,
            label=label,
            min_percent=start,
            area_floor_percent=floor,
            requires_no_serious_violation=serious,
        )
    bonus = AdjustmentItem.objects.create(
        criteria_set=cset, kind="bonus", code="T1", title="Sáng kiến", max_points=Decimal("2")
    )
    penalty = AdjustmentItem.objects.create(
        criteria_set=cset, kind="penalty", code="D1", title="Vi phạm", max_points=Decimal("1"), serious_violation=True
    )
    indices = [
        SurveyIndex.objects.create(criteria_set=cset, code=code, title=code, weight=weight)
        for code, weight in (("SIPAS", 60), ("CBCC", 40))
    ]
    plan = PlanFactory(criteria_set=cset, authority=province, year=2026)
    visits = [VisitFactory(plan=plan, unit=CommuneFactory(parent=province)) for _n in range(150)]
    rows = []
    for i, visit in enumerate(visits):
        for j, leaf in enumerate(leaves):
            # Two criteria accepted as not applicable at every third commune.
            na = i % 3 == 0 and j in (9, 19)
            rows.append(
                CriterionScore(
                    visit=visit,
                    criterion=leaf,
                    max_score=leaf.max_score,
                    self_score=None if na else Decimal("0.75"),
                    appraised_score=None if na else Decimal(("1", "0.5", "0.75")[(i + j) % 3]),
                    not_applicable="accepted" if na else "",
                )
            )
    CriterionScore.objects.bulk_create(rows, batch_size=2000)
    VisitAdjustment.objects.bulk_create(
        VisitAdjustment(visit=v, item=bonus if i % 4 == 0 else penalty, points=Decimal("1"), note="x")
        for i, v in enumerate(visits)
        if i % 2 == 0
    )
    SurveyResult.objects.bulk_create(
        SurveyResult(visit=v, index=index, value=Decimal("80")) for v in visits for index in indices
    )

    def measure(some):
        best, count = None, 0
        for _run in range(5):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                results = visit_results(visits=some, criteria_set=cset)
            seconds = time.perf_counter() - start
            best, count = (seconds if best is None else min(best, seconds)), len(queries)
        assert all(r.percent is not None and r.grade is not None for r in results.values())
        return best, count

    print(json.dumps({"small": measure(visits[:15]), "large": measure(visits)}))


def _environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc_inspect.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-key",
        "ALLOWED_HOSTS": "localhost",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(BENCH_DIR),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def main() -> int:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    use_postgres = postgres(f"DROP DATABASE IF EXISTS {DATABASE}") and postgres(f"CREATE DATABASE {DATABASE}")
    sqlite_file = BENCH_DIR / "scoring.sqlite3"
    if not use_postgres:
        sqlite_file.unlink(missing_ok=True)
    env = _environment(f"{POSTGRES}/{DATABASE}" if use_postgres else f"sqlite:///{sqlite_file}")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        done = subprocess.run(
            [sys.executable, __file__, "--child"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise SystemExit(f"the benchmark failed:\n{done.stderr}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        (small_s, small_q), (large_s, large_q) = figures["small"], figures["large"]
        print(f"visit_results on {'PostgreSQL' if use_postgres else 'SQLite'} (best of 5)")
        print(f"  15 communes: {small_s * 1000:.1f} ms, {small_q} queries")
        print(f"  150 communes: {large_s * 1000:.1f} ms, {large_q} queries")
        ok = large_s < GOAL_SECONDS and small_q == large_q
        verdict = "ok" if ok else "MISSED"
        print(f"goals: 150 communes under {GOAL_SECONDS} s, queries independent of the communes: {verdict}")
        return 0 if ok else 1
    finally:
        if use_postgres:
            postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
        else:
            sqlite_file.unlink(missing_ok=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        sys.exit(main())
