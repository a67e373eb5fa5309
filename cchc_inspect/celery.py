"""The Celery application: configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspect.settings")

app = Celery("cchc_inspect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="cchc_inspect.ping")
def ping(token: str) -> str:
    """Answer a health check: returns the token it was given, touching nothing."""
    return token
