"""Real Celery workers that a test can kill and start again, on the test database and Redis."""

import pytest

from tests.workers import Workers


@pytest.fixture
def workers(transactional_db, tmp_path, settings):
    """A factory of real workers with a short Redis visibility timeout; every one is stopped afterwards."""
    from cchc_inspect.celery import app

    app.control.purge()
    pool = Workers(
        tmp_path,
        settings.MEDIA_ROOT,
        {
            # Short, so that a message held by a dead worker comes back within seconds.
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        },
    )
    yield pool
    pool.stop_all()
