"""Health checks for load balancers and monitoring: `/healthz` (the process answers) and `/readyz` (it can work).

Both answer JSON without secrets: each check says ok or not, how long it took and, when it
failed, only the kind of error (a message could hold a host name or a password). `/readyz` is
polled every few seconds by several machines, so each check is one cheap round trip, and a
worker ping is sent only when no worker has answered for a while.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

WORKER_PONG_KEY = "cchc:health:worker-pong"
WORKER_PING_KEY = "cchc:health:worker-ping"
BEAT_KEY = "cchc:health:beat"


class CheckFailed(Exception):
    """A readiness check that ran and found the part not ready."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    from .celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


def check_storage() -> None:
    """Write, read back and delete a small object where evidence and reports are kept."""
    token = uuid.uuid4().hex
    name = default_storage.save(f"health/{token}.txt", ContentFile(token.encode()))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != token.encode():
                raise CheckFailed("read back differs")
    finally:
        default_storage.delete(name)


def check_worker() -> None:
    """A worker answered a ping within READYZ_WORKER_MAX_AGE seconds; ping only when none has lately."""
    from .celery import app

    now = time.time()
    max_age = settings.READYZ_WORKER_MAX_AGE
    if now - (cache.get(WORKER_PONG_KEY) or 0) <= max_age:
        return
    # A failed ping is not repeated by every poll: a dead pool must not slow each answer by the timeout.
    if not cache.add(WORKER_PING_KEY, now, timeout=settings.READYZ_PING_INTERVAL):
        raise CheckFailed("no worker answered recently")
    if app.control.ping(timeout=settings.READYZ_PING_TIMEOUT):
        cache.set(WORKER_PONG_KEY, time.time(), timeout=None)
        return
    raise CheckFailed("no worker answered the ping")


def check_beat() -> None:
    """The beat's heartbeat task ran (through a worker) within READYZ_BEAT_MAX_AGE seconds."""
    last = cache.get(BEAT_KEY) or 0
    if time.time() - last > settings.READYZ_BEAT_MAX_AGE:
        raise CheckFailed("no beat heartbeat recently")


def record_beat() -> None:
    """Called by the beat's heartbeat task on a worker."""
    cache.set(BEAT_KEY, time.time(), timeout=None)


def readiness_checks() -> dict:
    checks = {
        "database": check_database,
        "broker": check_broker,
        "storage": check_storage,
        "worker": check_worker,
    }
    if settings.CELERY_BEAT_ENABLED:
        checks["beat"] = check_beat
    return checks


def run_checks(checks: dict) -> dict:
    results = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            results[name] = {"ok": False, "error": type(exc).__name__}
            logger.warning("Readiness check %s failed: %s", name, type(exc).__name__)
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers: nothing else is touched."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Database, broker, storage, a worker and (when configured) the beat: 200 when all are ready, else 503."""
    results = run_checks(readiness_checks())
    ready = all(result["ok"] for result in results.values())
    if not settings.CELERY_BEAT_ENABLED:
        results["beat"] = {"ok": True, "skipped": "not configured"}
    return JsonResponse({"status": "ok" if ready else "fail", "checks": results}, status=200 if ready else 503)
