"""Helpers shared by the bench scripts. Importing this module changes nothing (no environment
defaults, no Django setup), so tests may import the scripts that use it."""

import time


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"\r  {label}: {done:>9,} / {total:,}  ({rate:,.0f}/s)", end="", flush=True)


def create_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist yet."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
