"""The database's own search structures: GIN indexes on PostgreSQL, the FTS5 table on
SQLite (``search.backends``)."""

from django.db import migrations


def _module(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from search.backends import postgres
        return postgres
    from search.backends import sqlite
    return sqlite


def create(apps, schema_editor):
    for statement in _module(schema_editor).SCHEMA:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_document_vector_idx")
        schema_editor.execute("DROP INDEX search_document_title_idx")
    else:
        schema_editor.execute("DROP TABLE search_document_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents_and_queries")]

    operations = [migrations.RunPython(create, drop)]
