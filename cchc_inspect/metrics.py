"""Prometheus metrics: requests by view and status, latency, tasks by kind, queue length.

Web servers answer `/metrics` to a scraper that presents METRICS_TOKEN (unset: no endpoint,
404). A worker's tasks run in its pool's child processes, so with several processes per machine
(gunicorn workers, a prefork pool) every process writes to PROMETHEUS_MULTIPROC_DIR and the
scrape adds them up; a worker answers on its own port (CELERY_METRICS_PORT).
"""

import hmac
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
TASK_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

REQUESTS = Counter(
    "cchc_http_requests", "HTTP requests answered, by view, method and status.", ["view", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "cchc_http_request_duration_seconds", "Time to answer a request, by view.", ["view"], buckets=LATENCY_BUCKETS
)
TASKS = Counter("cchc_celery_tasks", "Celery tasks run, by task and final state.", ["task", "state"])
TASK_SECONDS = Histogram(
    "cchc_celery_task_duration_seconds", "Time a task ran, by task.", ["task"], buckets=TASK_BUCKETS
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    REQUEST_SECONDS.labels(view=view).observe(seconds)


def observe_task(*, task: str, state: str, seconds: float) -> None:
    TASKS.labels(task=task, state=state).inc()
    TASK_SECONDS.labels(task=task).observe(seconds)


class QueueLengthCollector:
    """Messages waiting in each Celery queue, read from the broker at scrape time."""

    def collect(self):
        from .celery import app

        family = GaugeMetricFamily("cchc_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
        queue = app.conf.task_default_queue or "celery"
        try:
            with app.connection_for_read() as broker:
                broker.ensure_connection(max_retries=1, timeout=2)
                waiting = _waiting(broker.default_channel, queue)
        except Exception as exc:
            logger.warning("Queue length unavailable: %s", type(exc).__name__)
            return
        family.add_metric([queue], waiting)
        yield family


def _waiting(channel, queue: str) -> int:
    # Redis keeps one list per priority step; kombu's _size adds them up (filesystem transport too).
    if hasattr(channel, "_size"):
        return int(channel._size(queue))
    _name, waiting, _consumers = channel.queue_declare(queue=queue, passive=True)
    return int(waiting)


def registry() -> CollectorRegistry:
    """This process's metrics, or every process's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    from prometheus_client import REGISTRY

    return REGISTRY


@never_cache
def metrics_view(request):
    """The metrics in Prometheus' text format, for a scraper with `Authorization: Bearer <METRICS_TOKEN>`."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(presented.encode(), token.encode()):
        return HttpResponseForbidden("metrics token required\n", content_type="text/plain")
    output = generate_latest(registry())
    queue = CollectorRegistry()
    queue.register(QueueLengthCollector())
    output += generate_latest(queue)
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


def start_worker_server(port: int, address: str) -> None:
    """Serve the worker's metrics (all its pool's processes) on address:port."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=address, registry=registry())
