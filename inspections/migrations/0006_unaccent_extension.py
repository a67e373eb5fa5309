from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# An IMMUTABLE text-search document of one, two or three fields, with marks and case dropped, so that
# findings, evidence and criteria can carry GIN indexes on it. unaccent() itself is only STABLE (its
# dictionary could change); the dictionary is named explicitly, which makes the result fixed. Both are
# qualified with the extension's schema, so that a restore (which empties search_path) rebuilds the indexes.
FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION cchc_search_document(a text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig, {schema}.unaccent('{schema}.unaccent'::regdictionary, coalesce(a, ''))) $$
    """,
    """
    CREATE OR REPLACE FUNCTION cchc_search_document(a text, b text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig,
        {schema}.unaccent('{schema}.unaccent'::regdictionary, coalesce(a, '') || ' ' || coalesce(b, ''))) $$
    """,
    """
    CREATE OR REPLACE FUNCTION cchc_search_document(a text, b text, c text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig,
        {schema}.unaccent('{schema}.unaccent'::regdictionary, coalesce(a, '') || ' ' || coalesce(b, '') || ' ' || coalesce(c, ''))) $$
    """,
]
# The same field lists as inspections/search.py.
INDEXES = {
    "inspections_finding_search": ("inspections_finding", "text, recommendation, answer"),
    "inspections_evidence_search": ("inspections_evidence", "original_name, description, document_number"),
    "inspections_criterion_search": ("inspections_criterion", "code, title"),
}


class PostgresUnaccentExtension(UnaccentExtension):
    """The unaccent extension on PostgreSQL; nothing elsewhere, in either direction.

    Django checks the database only on the way forwards: unapplying on SQLite would query pg_extension.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        schema = schema_editor.connection.ops.quote_name(cursor.fetchone()[0])
    for sql in FUNCTIONS:
        schema_editor.execute(sql.replace("{schema}", schema))
    for name, (table, fields) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (cchc_search_document({fields}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for arguments in ("text", "text, text", "text, text, text"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS cchc_search_document({arguments})")


class Migration(migrations.Migration):
    """Searching Vietnamese with or without its marks: the unaccent extension and indexed search documents.

    Both operations do nothing on other databases, so SQLite (`make run`) migrates either way as before
    and searches through its own fallback.
    """

    dependencies = [("inspections", "0005_team_history")]

    operations = [PostgresUnaccentExtension(), migrations.RunPython(create, drop)]
