"""A task travels through Redis to a real worker process and back."""

import uuid

import pytest

from cchc_inspect.celery import ping


@pytest.mark.worker
def test_ping_runs_in_a_real_worker_process_over_redis(celery_worker_process, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token], ignore_result=False)
    assert result.get(timeout=30) == token
    assert result.successful()
    assert token in celery_worker_process.log_path.read_text()
