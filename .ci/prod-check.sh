#!/usr/bin/env bash
# `check --deploy` with the production values of .env.example (and a generated key and host):
# exits non-zero on any warning. Used by `make prod-check` and by the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
set -a
# shellcheck disable=SC1091
. ./.env.example
set +a
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
ALLOWED_HOSTS=cchc.example.gov.vn
VAR_DIR=$(mktemp -d)
export SECRET_KEY ALLOWED_HOSTS VAR_DIR
trap 'rm -rf "$VAR_DIR"' EXIT
"$PY" manage.py check --deploy --fail-level WARNING
