"""The Celery application: configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspect.settings")

app = Celery("cchc_inspect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_observability() -> None:
    from .logs import connect_celery_signals

    connect_celery_signals()


_connect_observability()


@signals.worker_init.connect(weak=False)
def _serve_worker_metrics(**kwargs) -> None:
    from django.conf import settings

    from .metrics import start_worker_server

    if settings.CELERY_METRICS_PORT:
        start_worker_server(settings.CELERY_METRICS_PORT, settings.CELERY_METRICS_ADDRESS)


@app.task(name="cchc_inspect.ping")
def ping(token: str) -> str:
    """Answer a health check: returns the token it was given, touching nothing."""
    return token


@app.task(name="cchc_inspect.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Sent by the beat every 30 s: records that the beat and a worker both ran (read by /readyz)."""
    from .health import record_beat

    record_beat()
