"""Real Celery worker processes for tests: started on the test database and Redis, killed on demand."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the prefork pool's children of a worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Workers:
    """Starts `celery worker` processes (prefork, one child) and kills them on demand."""

    def __init__(self, tmp_path: Path, media_root: Path, extra_env: dict):
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "MEDIA_ROOT": str(media_root),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        return self.start_many(1)[0]

    def start_many(self, count: int) -> list[subprocess.Popen]:
        """Start `count` workers at once and wait until every one answers a ping."""
        from cchc_inspect.celery import app

        started = [self._spawn() for _ in range(count)]
        deadline = time.monotonic() + 60
        waiting = list(started)
        while waiting and time.monotonic() < deadline:
            for process in list(waiting):
                if process.poll() is not None:
                    raise RuntimeError(f"Celery worker exited early:\n{process.log_path.read_text()}")
            answered = app.control.ping(destination=[p.node_name for p in waiting], timeout=0.5)
            names = {name for reply in answered for name in reply}
            waiting = [p for p in waiting if p.node_name not in names]
        if waiting:
            raise RuntimeError(f"Celery worker did not answer within 60 s:\n{waiting[0].log_path.read_text()}")
        return started

    def _spawn(self) -> subprocess.Popen:
        node = f"test-{uuid.uuid4().hex[:8]}@localhost"
        log_path = self.tmp_path / f"{node}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cchc_inspect",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    node,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        process.node_name = node
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text(errors="replace") for p in self.processes)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for child in children_of(process.pid):
                    os.kill(child, signal.SIGKILL)
                process.kill()
                process.wait()
