"""The restore drill at province size: back up, restore into a fresh database and bucket, report from the copy.

Run by hand (`.venv/bin/python bench/restore_drill.py`), never by the tests. A generated province
of 150 communes with its district report and EVIDENCE_PER_COMMUNE evidence files each (about
100 KB apiece) is written into its own PostgreSQL database and a bucket of an S3-compatible server
started here (moto); then `manage.py backup`, `manage.py restore` into a new database and bucket,
and `manage.py render_report` from the restored copy each run as an operator would run them, and
their times are printed. The databases are dropped afterwards.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMUNES = int(os.environ.get("DRILL_COMMUNES", "150"))
EVIDENCE_PER_COMMUNE = int(os.environ.get("DRILL_EVIDENCE_PER_COMMUNE", "8"))
WORK = ROOT / "var" / "drill"


def _env(database: str, storage: dict) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc_inspect.settings",
        "DEBUG": "false",
        "SECRET_KEY": "drill-only-key",
        "ALLOWED_HOSTS": "localhost",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "VAR_DIR": str(WORK),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        **storage,
    }


def _run(args: list[str], env: dict) -> float:
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    print("  " + (result.stdout.strip().splitlines() or [""])[-1])
    return time.monotonic() - started


def populate() -> None:
    """In a process of its own: the province, its evidence files and its district report."""
    import hashlib
    import random

    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from inspections.models import Criterion, Evidence
    from reports import services
    from reports.models import Report
    from reports.tests.campaigns import build_province_campaign

    call_command("migrate", verbosity=0)
    plan = build_province_campaign(communes=COMMUNES, year=2024)
    leaves = list(Criterion.objects.filter(area__criteria_set=plan.criteria_set, children__isnull=True))
    rng = random.Random(7)
    for visit in plan.visits.all():
        for number in range(EVIDENCE_PER_COMMUNE):
            content = b"%PDF-1.4\n" + rng.randbytes(100_000) + b"\n%%EOF\n"
            evidence = Evidence(
                unit_id=visit.unit_id,
                visit=visit,
                criterion=leaves[number % len(leaves)],
                original_name=f"Tài liệu {number}.pdf",
                size=len(content),
                content_type="application/pdf",
                sha256=hashlib.sha256(content).hexdigest(),
            )
            evidence.file.save("tai-lieu.pdf", ContentFile(content), save=False)
            evidence.save()
    report = services.report_create(plan=plan, kind=Report.Kind.DISTRICT)
    report = services.report_render(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error


def main() -> None:
    from tests.objectstore import ObjectStore

    store = ObjectStore()
    source_db, restored_db = "cchc_drill_source", "cchc_drill_restored"
    try:
        for name in (source_db, restored_db):
            postgres(f'DROP DATABASE IF EXISTS "{name}"')
            postgres(f'CREATE DATABASE "{name}"')
        source_bucket, restored_bucket = store.bucket(), store.bucket()
        source = _env(source_db, store.env(source_bucket))
        restored = _env(restored_db, store.env(restored_bucket))
        folder = WORK / f"backup-{int(time.time())}"
        print(f"Populating {COMMUNES} communes, {COMMUNES * EVIDENCE_PER_COMMUNE} evidence files…")
        populate_seconds = _run([sys.executable, __file__, "--populate"], source)
        backup_seconds = _run([sys.executable, "manage.py", "backup", "--out", str(folder)], source)
        restore_seconds = _run([sys.executable, "manage.py", "restore", str(folder)], restored)
        out = WORK / "restored-report.pdf"
        render = [sys.executable, "manage.py", "render_report", "district", "--year", "2024", "--out", str(out)]
        render_seconds = _run(render, restored)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(
            f"populate {populate_seconds:.0f} s; backup {backup_seconds:.1f} s; restore {restore_seconds:.1f} s; "
            f"report from the copy {render_seconds:.1f} s; backup folder {size / 1e6:.0f} MB"
        )
    finally:
        store.stop()
        for name in (source_db, restored_db):
            postgres(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    if "--populate" in sys.argv:
        populate()
    else:
        main()
