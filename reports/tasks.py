"""Celery tasks of the reports: thin, by record id, idempotent."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name="reports.render_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def render_report(report_id: int) -> None:
    """Render the report record `report_id` and store its file.

    Acknowledged only once it has run, and given back to the queue when the worker dies,
    so that a killed render is done again; a re-delivered task for a finished record
    does nothing (see services.report_render).
    """
    services.report_render(report_id=report_id)
