"""Several machines on one: two gunicorn web servers and two Celery workers share PostgreSQL, Redis and object storage.

A report asked for on web A is rendered by either worker and downloaded on web B; the worker
rendering it is killed mid-render (main process and pool, as when a machine goes down) and the
report still ends done once, with one stored object.
"""

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from cchc_inspect.celery import app
from reports.models import Report
from reports.tests.campaigns import build_province_campaign
from tests.workers import Workers, _test_database_url, children_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
MID_RENDER = ("charts", "html", "layout", "writing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(url: str, *, cookies: dict, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request, redirects not followed."""
    request = urllib.request.Request(url, data=data, headers={**(headers or {})})
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with OPENER.open(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read()


def post_form(url: str, *, cookies: dict, csrf: str, data: bytes):
    """(status, headers, body) of a form posted with its CSRF token, redirects not followed."""
    headers = {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    return call(url, cookies=cookies, data=data, headers=headers)


def wait_for(predicate, *, timeout: float, message=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out\n{message()}")


class WebServers:
    """gunicorn processes on free ports of 127.0.0.1, on the test database."""

    def __init__(self, tmp_path: Path, env: dict):
        self.tmp_path = tmp_path
        self.env = {**os.environ, "DATABASE_URL": _test_database_url(), "PYTHONUNBUFFERED": "1", **env}
        self.processes: list[subprocess.Popen] = []

    def start(self) -> str:
        port = free_port()
        log_path = self.tmp_path / f"gunicorn-{port}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cchc_inspect.wsgi",
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        process.url = f"http://127.0.0.1:{port}"
        self.processes.append(process)
        return process.url

    def wait_ready(self) -> None:
        for process in self.processes:

            def answers(process=process):
                if process.poll() is not None:
                    raise AssertionError(process.log_path.read_text())
                try:
                    return call(f"{process.url}/healthz", cookies={})[0] == 200
                except OSError:
                    return False

            wait_for(answers, timeout=60, message=lambda process=process: process.log_path.read_text())

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text(errors="replace") for p in self.processes)

    def stop_all(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_web_servers_and_two_workers_share_the_work_and_survive_losing_a_worker(object_store, tmp_path, settings):
    bucket = object_store.bucket()
    settings.STORAGES = object_store.storages(bucket, settings.STORAGES)
    storage_env = object_store.env(bucket)
    app.control.purge()
    # A province campaign of 20 communes: its report takes seconds, long enough to be interrupted.
    plan = build_province_campaign(communes=20, year=2024, code="K92")
    lead = plan.team.members.get(role="lead").user
    MembershipFactory(user=lead, unit=plan.authority, role=Membership.Role.TEAM_LEAD)
    session = Client()
    session.force_login(lead)
    csrf = secrets.token_hex(16)
    cookies = {django_settings.SESSION_COOKIE_NAME: session.cookies[django_settings.SESSION_COOKIE_NAME].value}
    cookies[django_settings.CSRF_COOKIE_NAME] = csrf

    webs = WebServers(tmp_path, storage_env)
    web_a, web_b = webs.start(), webs.start()
    workers = Workers(
        tmp_path,
        settings.MEDIA_ROOT,
        {
            **storage_env,
            # Short, so that the message a dead worker held comes back within seconds.
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        },
    )
    try:
        processes = {process.node_name: process for process in workers.start_many(2)}
        webs.wait_ready()

        status, headers, _body = post_form(
            f"{web_a}/reports/campaigns/{plan.pk}/request/", cookies=cookies, csrf=csrf, data=b"kind=district"
        )
        assert status == 302, webs.logs()
        report = Report.objects.get(plan=plan, kind=Report.Kind.DISTRICT)

        running = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, stage__in=MID_RENDER)
        wait_for(running.exists, timeout=60, message=workers.logs)
        active = app.control.inspect(timeout=1).active() or {}
        [holder] = [node for node, tasks in active.items() if any(str(report.pk) in str(t["args"]) for t in tasks)]
        victim = processes[holder]
        for child in children_of(victim.pid):
            os.kill(child, signal.SIGKILL)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)

        finished = Report.objects.filter(pk=report.pk, status__in=[Report.Status.DONE, Report.Status.FAILED])
        wait_for(finished.exists, timeout=120, message=workers.logs)
        report.refresh_from_db()
        assert report.status == Report.Status.DONE, report.error
        assert report.attempts == 2
        stored = {
            k: v for k, v in object_store.objects(bucket).items() if k.startswith(f"reports/{plan.pk}/{report.pk}/")
        }
        assert len(stored) == 1
        assert hashlib.sha256(next(iter(stored.values()))).hexdigest() == report.sha256

        status, headers, _body = call(f"{web_b}/reports/{report.pk}/download/", cookies=cookies)
        assert status == 302, webs.logs()
        with urllib.request.urlopen(headers["Location"], timeout=10) as answer:
            content = answer.read()
        assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == report.sha256
        # The score table asked for with it was rendered by the surviving worker (or before the kill).
        xlsx = Report.objects.get(plan=plan, kind=Report.Kind.DISTRICT_XLSX)
        wait_for(lambda: Report.objects.filter(pk=xlsx.pk, status=Report.Status.DONE).exists(), timeout=60)
        # Both web servers answer ready: database, broker, storage and a live worker.
        for web in (web_a, web_b):
            assert call(f"{web}/readyz", cookies={})[0] == 200
    finally:
        workers.stop_all()
        webs.stop_all()


def test_two_web_servers_with_a_shared_cache_read_one_session_and_a_sign_out_ends_it_on_both(tmp_path):
    """With CACHE_URL, sessions are read from Redis (cached_db): signed out on web A, refused on web B at once."""
    user = MembershipFactory(role=Membership.Role.SECRETARIAT).user
    session = Client()
    session.force_login(user)
    csrf = secrets.token_hex(16)
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session.cookies[django_settings.SESSION_COOKIE_NAME].value,
        django_settings.CSRF_COOKIE_NAME: csrf,
    }
    # A database of Redis of its own, emptied first: no session of an earlier run is found there.
    cache_url = "redis://127.0.0.1:6379/13"
    import redis

    redis.Redis.from_url(cache_url).flushdb()
    webs = WebServers(tmp_path, {"CACHE_URL": cache_url})
    web_a, web_b = webs.start(), webs.start()
    try:
        webs.wait_ready()
        for web in (web_a, web_b):
            status, _headers, _body = call(f"{web}/", cookies=cookies)
            assert status == 200, webs.logs()
        # Both servers read the session: it is now in the shared cache.
        assert redis.Redis.from_url(cache_url).keys("*sessions.cached_db*"), "the session is not in the cache"

        status, _headers, _body = post_form(f"{web_a}/accounts/logout/", cookies=cookies, csrf=csrf, data=b"")
        assert status == 302, webs.logs()
        status, headers, _body = call(f"{web_b}/", cookies=cookies)
        assert status == 302 and "/accounts/login/" in headers["Location"], webs.logs()
    finally:
        webs.stop_all()
