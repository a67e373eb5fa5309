"""Watching the application: health checks, one JSON log line per request and task, Prometheus metrics."""

import json
import logging
import socket
import time
import urllib.request

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cchc_inspect import health, logs
from cchc_inspect.celery import app, beat_heartbeat
from reports.models import Report
from tests.workers import ROOT, Workers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_health():
    cache.delete_many([health.WORKER_PONG_KEY, health.WORKER_PING_KEY, health.BEAT_KEY])
    yield
    cache.delete_many([health.WORKER_PONG_KEY, health.WORKER_PING_KEY, health.BEAT_KEY])


def test_healthz_answers_json_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_without_a_worker_fails_on_the_worker_check_and_pings_at_most_every_interval(client, settings):
    settings.READYZ_PING_TIMEOUT = 0.5
    started = time.monotonic()
    first = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert first.status_code == 503
    body = first.json()
    assert body["status"] == "fail"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "storage": True,
        "worker": False,
        "beat": True,
    }
    assert body["checks"]["worker"]["error"] == "CheckFailed"
    assert body["checks"]["beat"]["skipped"] == "not configured"
    # The next polls within the interval do not wait for another ping.
    again = client.get("/readyz")
    assert again.status_code == 503 and again.json()["checks"]["worker"]["ms"] < 100


def test_readyz_names_a_broker_that_does_not_answer_and_tells_no_address(client, settings):
    settings.READYZ_PING_TIMEOUT = 0.2
    original = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/readyz").json()
    finally:
        app.conf.broker_write_url = original
    assert body["checks"]["broker"]["ok"] is False
    text = json.dumps(body)
    assert "127.0.0.1" not in text and "redis" not in text and "postgres" not in text


def test_readyz_with_beat_configured_wants_a_recent_heartbeat(client, settings):
    settings.CELERY_BEAT_ENABLED = True
    cache.set(health.WORKER_PONG_KEY, time.time())
    assert client.get("/readyz").json()["checks"]["beat"]["ok"] is False
    beat_heartbeat()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["beat"] == {"ok": True, "ms": response.json()["checks"]["beat"]["ms"]}


def test_readyz_checks_that_object_storage_is_writable(object_storage, object_store, client):
    cache.set(health.WORKER_PONG_KEY, time.time())
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["storage"]["ok"] is True
    # The probe object is removed again.
    assert object_store.objects(object_storage) == {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def formatted(records) -> list[dict]:
    formatter = logs.JsonFormatter()
    context = logs.ContextFilter()
    lines = []
    for record in records:
        context.filter(record)
        lines.append(json.loads(formatter.format(record)))
    return lines


def test_each_request_logs_one_json_line_with_its_id_user_status_and_duration_and_nothing_personal(world, caplog):
    client = Client()
    client.force_login(world.users["commune_a"])
    with caplog.at_level(logging.INFO, logger="cchc.request"):
        response = client.get(reverse("home") + "?q=Phạm Thị Lan", HTTP_X_REQUEST_ID="req-0123456789")
    assert response["X-Request-ID"] == "req-0123456789"
    lines = formatted(r for r in caplog.records if r.name == "cchc.request")
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "req-0123456789"
    assert line["user_id"] == world.users["commune_a"].pk
    assert line["status"] == 200 and line["view"] == "home" and line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)
    text = json.dumps(line, ensure_ascii=False)
    assert "Phạm" not in text and "commune_a" not in text and "q=" not in text


def test_a_request_id_that_is_not_plain_is_replaced(client, caplog):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert response["X-Request-ID"] != "<script>alert(1)</script>" and len(response["X-Request-ID"]) == 32


def test_metrics_need_the_token(client, settings):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_metrics_count_requests_by_view_and_status_with_latency_and_the_queue_length(world, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    app.control.purge()
    client = Client()
    client.force_login(world.users["viewer"])
    client.get(reverse("home"))
    client.get("/campaigns/999999/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'cchc_http_requests_total{method="GET",status="200",view="home"}' in text
    assert 'cchc_http_request_duration_seconds_bucket{le="0.25",view="home"}' in text
    assert 'status="404"' in text
    assert 'cchc_celery_queue_length{queue="celery"} 0.0' in text


@pytest.mark.worker
def test_the_request_id_reaches_the_worker_whose_metrics_count_the_task(transactional_db, world, tmp_path, settings):
    app.control.purge()
    unused_tcp_port = free_port()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    pool = Workers(
        tmp_path,
        settings.MEDIA_ROOT,
        {
            "LOG_FORMAT": "json",
            "CELERY_METRICS_PORT": str(unused_tcp_port),
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        },
    )
    try:
        pool.start()
        client = Client()
        client.force_login(world.users["lead"])
        response = client.post(
            reverse("reports:request", args=[world.plan.pk]),
            {"kind": "district"},
            HTTP_X_REQUEST_ID="req-worker-0001",
        )
        assert response.status_code == 302
        deadline = time.monotonic() + 60
        while Report.objects.exclude(status__in=["done", "failed"]).exists() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert set(Report.objects.values_list("status", flat=True)) == {"done"}
        with urllib.request.urlopen(f"http://127.0.0.1:{unused_tcp_port}/metrics", timeout=5) as answer:
            scraped = answer.read().decode()
    finally:
        pool.stop_all()
    task_lines = [
        json.loads(line)
        for line in pool.logs().splitlines()
        if line.startswith("{") and '"logger": "cchc.task"' in line
    ]
    assert len(task_lines) == 2
    assert {line["request_id"] for line in task_lines} == {"req-worker-0001"}
    assert {line["task"] for line in task_lines} == {"reports.render_report"}
    assert all(line["state"] == "SUCCESS" and line["duration_ms"] > 0 and line["task_id"] for line in task_lines)
    assert 'cchc_celery_tasks_total{state="SUCCESS",task="reports.render_report"} 2.0' in scraped
    assert 'cchc_celery_task_duration_seconds_count{task="reports.render_report"} 2.0' in scraped


@pytest.mark.worker
def test_readyz_is_ready_when_a_worker_answers(celery_worker_process, client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert all(check["ok"] for check in response.json()["checks"].values())


SETTINGS_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'storage': settings.STORAGES['default']['BACKEND'], 'log': settings.LOG_FORMAT}))"
)


def probe_settings(tmp_path, **env):
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "STORAGE_", "LOG_"))}
    clean.update(DJANGO_SETTINGS_MODULE="cchc_inspect.settings", VAR_DIR=str(tmp_path), DEBUG="true", **env)
    return subprocess.run([sys.executable, "-c", SETTINGS_PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_development_keeps_the_local_folder_and_plain_logs(tmp_path):
    result = probe_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"storage": "django.core.files.storage.FileSystemStorage", "log": "plain"}


def test_object_storage_is_chosen_by_environment_and_needs_a_bucket(tmp_path):
    result = probe_settings(tmp_path, STORAGE_BACKEND="s3", S3_BUCKET="cchc-angiang", LOG_FORMAT="json")
    assert json.loads(result.stdout) == {"storage": "storages.backends.s3.S3Storage", "log": "json"}
    missing = probe_settings(tmp_path, STORAGE_BACKEND="s3")
    assert missing.returncode != 0 and "S3_BUCKET must be set" in missing.stderr
    unknown = probe_settings(tmp_path, STORAGE_BACKEND="nfs")
    assert unknown.returncode != 0 and "use local or s3" in unknown.stderr


def test_a_task_run_in_the_requests_own_process_keeps_the_request_id_and_gives_it_back(caplog):
    token = logs.request_id_var.set("req-eager-0001")
    app.conf.task_always_eager = True
    try:
        with caplog.at_level(logging.INFO, logger="cchc.task"):
            beat_heartbeat.delay()
        assert logs.request_id_var.get() == "req-eager-0001"
        assert logs.task_id_var.get() == ""
    finally:
        app.conf.task_always_eager = False
        logs.request_id_var.reset(token)
    [line] = formatted(r for r in caplog.records if r.name == "cchc.task")
    assert line["request_id"] == "req-eager-0001" and line["task"] == "cchc_inspect.beat_heartbeat"
    assert line["state"] == "SUCCESS" and line["task_id"]
