"""Operations URLs: open to every caller, signed in or not; what they tell is the same for all and holds no data."""

import time

from django.core.cache import cache

from cchc_inspect.health import WORKER_PING_KEY, WORKER_PONG_KEY
from tests.access import Row, expect


def _no_worker_lately(world) -> dict:
    # No worker runs during the matrix: a ping just tried and failed, so the check answers at once.
    cache.delete(WORKER_PONG_KEY)
    cache.set(WORKER_PING_KEY, time.time(), timeout=60)
    return {}


ACCESS_ROWS = [
    Row("healthz", expect(200, anonymous=200)),
    Row("readyz", expect(503, anonymous=503), kwargs=_no_worker_lately, label="no worker"),
    # Without METRICS_TOKEN there is no endpoint; with it, only the scraper's token opens it.
    Row("metrics", expect(404, anonymous=404)),
]
