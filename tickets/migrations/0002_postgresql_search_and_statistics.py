"""What only PostgreSQL has, for the admin's ticket list: trigram indexes for substring search,
and statistics on how a ticket's category, team and assignee go together. Neither can be
declared in ``Meta.indexes`` and SQLite has neither: elsewhere this migration does nothing.

Trigram indexes (pg_trgm, a trusted extension: the database's owner may create it).
``icontains`` on a ticket's subject or a message's body compiles to
``UPPER(column::text) LIKE UPPER('%word%')``, which a GIN trigram index on that same expression
answers without reading every row (bench/tickets_admin.py: a TxID among two million messages in
milliseconds instead of seconds).

Statistics. An agent's ticket list is ``team IN (their teams) OR assignee = them``
(``selectors.tickets_handled``). Filtered on another team's category or on another team, it
keeps a handful of tickets, but the planner, taking the columns for independent, expects tens of
thousands and reads the whole table in the list's order to find them (bench/tickets_admin.py,
a million tickets: ~300 ms for the count and as much again for the page). Knowing the common
(category, team, assignee) combinations, it estimates such a list right and reads it from
``tickets_category_team_idx`` and ``tickets_assignee_team_idx`` in a millisecond. It must know
nearly every combination to be sure one is absent: the default list of 100 is outgrown by a
desk with a few dozen agents, hence 1,000 (ANALYZE of a million tickets then takes ~6 s
instead of ~1 s).
"""

from django.db import migrations

INDEXES = {
    # name: (table, the expression Django's icontains compares)
    "tickets_subject_trgm": ("tickets_ticket", 'UPPER("subject"::text)'),
    "tickets_message_body_trgm": ("tickets_message", 'UPPER("body"::text)'),
}
STATISTICS = "tickets_ticket_scope_stats"
STATISTICS_TARGET = 1000


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)")
    schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) "
                          "ON category_id, team_id, assignee_id FROM tickets_ticket")
    schema_editor.execute(f"ALTER STATISTICS {STATISTICS} SET STATISTICS {STATISTICS_TARGET}")
    schema_editor.execute("ANALYZE tickets_ticket")  # in use at once, not after autovacuum's


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
