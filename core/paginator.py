"""A paginator for lists over huge tables (the admin's ticket list, a million rows and more).

``COUNT(*)`` reads every row PostgreSQL cannot prove invisible, so on a large table it costs
more than the page itself. This paginator counts exactly while that is cheap and otherwise asks
the planner: the table's row estimate (``pg_class.reltuples``, kept by autovacuum) for an
unfiltered list, or ``EXPLAIN``'s for a filtered one. Elsewhere (SQLite) it counts exactly.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """``count`` is exact up to ``exact_limit`` rows and an estimate beyond (``is_estimate``
    tells which). Precondition: ``object_list`` is a QuerySet."""

    # Ten pages of the admin's list. Finding that many rows of a sparse list (a search row by
    # row) can take a read of much of the table: the lower, the cheaper.
    exact_limit = 1_000

    @cached_property
    def is_estimate(self) -> bool:
        return self._counted[1]

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            return queryset.count(), False
        if not queryset.query.where:
            rows = self._table_estimate(queryset)
            if rows > self.exact_limit:
                return rows, True
        # Counting stops at the limit, so a page of a big filtered list costs at most that.
        # In the list's order, the planner reads the rows as the page does, by the index that
        # yields them in that order, and stops after the limit. Unordered, it may choose a
        # path where they come later: 18 ms instead of 0.9 for an agent's list of a million
        # tickets (bench/tickets_admin.py), though a list it must sort anyway (a search
        # through the trigram indexes) costs some more ordered.
        bounded = queryset[: self.exact_limit + 1].count()
        if bounded <= self.exact_limit:
            return bounded, False
        return max(self._plan_estimate(queryset.order_by()), bounded), True

    @staticmethod
    def _table_estimate(queryset) -> int:
        """The planner's row count for the whole table; -1 before its first ANALYZE."""
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                           [queryset.model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row else -1

    @staticmethod
    def _plan_estimate(queryset) -> int:
        sql, params = queryset.query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):  # psycopg decodes json itself, other drivers may not
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])
