"""A task travels through Redis to a real worker process and back."""

import os
import time
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
    # The worker's own log records the task: it ran in that process, not in this one.
    deadline = time.monotonic() + 10
    while f"{result.id}] succeeded" not in celery_worker_process.log_path.read_text():
        assert time.monotonic() < deadline, celery_worker_process.log_path.read_text()
        time.sleep(0.2)
    assert celery_worker_process.pid != os.getpid()
