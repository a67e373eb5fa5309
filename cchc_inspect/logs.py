"""One log line per request and per task, as JSON in production, with the request id carried into tasks.

Each line says what ran, how long it took and how it ended, with the ids that join the lines
of one action (request id, user id, task id) and nothing personal: no names, no addresses,
no query strings, no form fields. `make run` keeps plain text lines.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from . import metrics

request_logger = logging.getLogger("cchc.request")
task_logger = logging.getLogger("cchc.task")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
task_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")

# An id set by the proxy in front (nginx's $request_id) is kept, so both logs join; anything else is replaced.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Polled every few seconds: a line only when the answer is not a success.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Attributes every LogRecord has; anything else on a record was passed through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Puts the current request id, user id and task id on every record."""

    def filter(self, record):
        # A value passed with `extra=` wins over the context.
        for name, var in (("request_id", request_id_var), ("user_id", user_id_var), ("task_id", task_id_var)):
            if not hasattr(record, name):
                setattr(record, name, var.get())
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the context ids and any extra fields."""

    def format(self, record):
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_") or value in (None, ""):
                continue
            line[key] = value
        if record.exc_info:
            line["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Plain text for a person at a terminal, with the request id when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s%(ids)s")

    def format(self, record):
        ids = [f"{key}={getattr(record, key)}" for key in ("request_id", "task_id") if getattr(record, key, "")]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


def new_request_id(incoming: str | None) -> str:
    if incoming and INCOMING_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Outermost: gives the request its id, then logs and counts it once it has been answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id(request.headers.get("X-Request-ID"))
        id_token = request_id_var.set(request.request_id)
        user_token = user_id_var.set(None)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            return response
        finally:
            duration = time.perf_counter() - started
            status = response.status_code if response is not None else 500
            view = _view_name(request)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            if response is not None:
                response["X-Request-ID"] = request.request_id
            metrics.observe_request(view=view, method=request.method, status=status, seconds=duration)
            if not (request.path in QUIET_PATHS and status < 400):
                request_logger.info(
                    "%s %s %s %.0f ms",
                    request.method,
                    request.path,
                    status,
                    duration * 1000,
                    extra={
                        "request_id": request.request_id,
                        "method": request.method,
                        "path": request.path,
                        "view": view,
                        "status": status,
                        "duration_ms": round(duration * 1000, 1),
                        "user_id": user_id,
                    },
                )
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "<unresolved>"


# Celery: the id travels in the task message's headers -------------------------------------

_running: dict[str, tuple] = {}


def on_before_task_publish(headers=None, **kwargs):
    if headers is not None and request_id_var.get():
        headers.setdefault("request_id", request_id_var.get())


def on_task_prerun(task_id=None, task=None, **kwargs):
    # A task run in the request's own process (eager) keeps the request's id.
    request_id = getattr(task.request, "request_id", None) or request_id_var.get()
    tokens = (request_id_var.set(request_id), task_id_var.set(task_id or ""))
    _running[task_id] = (time.perf_counter(), tokens)


def on_task_postrun(task_id=None, task=None, state=None, **kwargs):
    started, tokens = _running.pop(task_id, (None, None))
    duration = time.perf_counter() - started if started is not None else 0.0
    name = getattr(task, "name", "?")
    metrics.observe_task(task=name, state=state or "UNKNOWN", seconds=duration)
    task_logger.info(
        "task %s %s %.0f ms",
        name,
        state,
        duration * 1000,
        extra={"task": name, "state": state, "duration_ms": round(duration * 1000, 1)},
    )
    if tokens is not None:
        request_id_var.reset(tokens[0])
        task_id_var.reset(tokens[1])


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(on_before_task_publish, weak=False)
    signals.task_prerun.connect(on_task_prerun, weak=False)
    signals.task_postrun.connect(on_task_postrun, weak=False)


def logging_config(*, json_lines: bool, level: str) -> dict:
    """The LOGGING setting: one console handler, JSON or plain, with the context ids on every record."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "cchc_inspect.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "cchc_inspect.logs.JsonFormatter"},
            "plain": {"()": "cchc_inspect.logs.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if json_lines else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # WeasyPrint logs each step of every render at INFO.
            "weasyprint.progress": {"level": "WARNING"},
            # runserver's own line per request; ours says more.
            "django.server": {"level": "WARNING"},
            # Sign-in failures, lockouts and unlocks; ship these lines to the authority's log collector.
            "cchc.security": {"level": "INFO"},
            # django-axes' own lines repeat ours.
            "axes": {"level": "ERROR"},
        },
    }
