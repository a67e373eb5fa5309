"""The benchmarks' databases: statements on the PostgreSQL server's maintenance database."""

import os

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def postgres(sql: str) -> bool:
    """Run one statement (CREATE or DROP DATABASE) on the server; False when no server answers."""
    try:
        import psycopg2
    except ImportError:
        return False
    try:
        connection = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=3)
    except psycopg2.OperationalError:
        return False
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()
    return True
