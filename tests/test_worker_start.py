"""A web worker loads at start what its first request would otherwise wait for, and no more."""

import json
import os
import subprocess
import sys

import pytest
from django.template import engines

from cchc_inspect import heap
from tests.workers import ROOT

# Imports the WSGI application as gunicorn does, then tells what the worker holds.
WSGI_PROBE = """
import json, sys
from django.db import connection
import cchc_inspect.wsgi
from django.template import engines
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "weasyprint": "weasyprint" in sys.modules,
    "templates": len(loader.get_template_cache),
    "database": connection.connection is not None,
}))
"""


def test_the_wsgi_application_starts_with_its_templates_compiled_and_without_the_pdf_renderer(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOG_")}
    env.update(DJANGO_SETTINGS_MODULE="cchc_inspect.settings", VAR_DIR=str(tmp_path), DEBUG="true")
    result = subprocess.run([sys.executable, "-c", WSGI_PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    held = json.loads(result.stdout.strip().splitlines()[-1])
    # WeasyPrint is the report worker's: half a second of import a web worker never needs.
    assert held["weasyprint"] is False
    # Every template of the project is compiled before the first request; the database is not touched.
    assert held["templates"] == len(list((ROOT / "templates").rglob("*.html")))
    assert held["database"] is False


@pytest.mark.django_db
def test_warming_up_reads_nothing_from_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        heap.warm_up()
    loader = engines["django"].engine.template_loaders[0]
    assert "base.html" in {key.split("-")[0] for key in loader.get_template_cache}
