"""Benchmark of `import_units`: the whole official register into an empty database, then a second run.

Run by `make bench-units`, never by the tests. The database is made afresh and dropped
afterwards: PostgreSQL (cchc_bench_units) when the server at BENCH_POSTGRES_URL answers, as
in production, else a SQLite file under var/bench/. Each import runs in its own process,
timed from start to exit, with that process's peak memory.

Prints seconds and peak memory of the first import (empty database) and of the second
(nothing to change), and exits 1 when a goal is missed: under 60 s and 500 MB each.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from maintenance import POSTGRES, postgres

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
GOALS = {"seconds": 60.0, "peak_mb": 500.0}
DATABASE = "cchc_bench_units"


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


def _run(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run manage.py in a child process: (seconds, peak MB of that child, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    # ru_maxrss of children is the largest child so far; the migrate child is smaller than an import.
    return seconds, max(peak, before) / 1024, done.stdout


def main() -> int:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    use_postgres = postgres(f"DROP DATABASE IF EXISTS {DATABASE}") and postgres(f"CREATE DATABASE {DATABASE}")
    sqlite_file = BENCH_DIR / "units.sqlite3"
    if not use_postgres:
        sqlite_file.unlink(missing_ok=True)
    url = f"{POSTGRES}/{DATABASE}" if use_postgres else f"sqlite:///{sqlite_file}"
    env = _environment(url)
    try:
        _run(["migrate", "--no-input", "-v0"], env)
        missed = False
        print(f"import_units on {'PostgreSQL' if use_postgres else 'SQLite'}")
        for label in ("first (empty database)", "second (nothing to change)"):
            seconds, peak_mb, output = _run(["import_units"], env)
            ok = seconds < GOALS["seconds"] and peak_mb < GOALS["peak_mb"]
            missed |= not ok
            print(f"  {label}: {seconds:.1f} s, peak {peak_mb:.0f} MB {'ok' if ok else 'MISSED'}")
            print(f"    {output.splitlines()[0]}")
        print(f"goals: under {GOALS['seconds']:.0f} s and {GOALS['peak_mb']:.0f} MB")
        return 1 if missed else 0
    finally:
        if use_postgres:
            postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
        else:
            sqlite_file.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
