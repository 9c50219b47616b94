"""The ticket list never counts a huge table: on PostgreSQL, beyond ``exact_limit`` rows the
paginator takes the planner's estimate (``pg_class.reltuples`` unfiltered, ``EXPLAIN`` when
filtered); on small tables and SQLite it counts exactly. And what keeps a page of the list
cheap besides: its categories read once, an agent's filtered list counted right."""

import pytest
from django.db import connection
from django.urls import reverse

from core.paginator import EstimatedCountPaginator
from tests.tickets.services_fixtures import staff_member
from tickets.models import Ticket
from tickets.services import ticket_change

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def six_tickets(make_ticket):
    tickets = [make_ticket(subject=f"Deposit {n} missing") for n in range(6)]
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[:2]]).update(status="on_hold")
    return tickets


@pytest.fixture
def huge(monkeypatch, postgres, six_tickets):
    """Six tickets count as a huge table, and the planner knows how many rows it has."""
    monkeypatch.setattr(EstimatedCountPaginator, "exact_limit", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")


def full_counts(queries) -> list[str]:
    """The COUNT queries that read the whole result (not stopped by a LIMIT)."""
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in
            q["sql"].upper()]


def test_a_small_list_is_counted_exactly(client, supervisor, six_tickets):
    client.force_login(supervisor)
    response = client.get(CHANGELIST)

    cl = response.context["cl"]
    assert (cl.result_count, cl.paginator.is_estimate) == (6, False)
    assert "6 tickets" in response.content.decode() and "about" not in \
        response.content.decode().split('class="paginator"')[1]


def test_the_paginator_counts_exactly_on_sqlite(six_tickets):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite behaviour")
    paginator = EstimatedCountPaginator(Ticket.objects.all(), 2)
    paginator.exact_limit = 3
    assert (paginator.count, paginator.is_estimate, paginator.num_pages) == (6, False, 3)


def test_an_unfiltered_huge_list_uses_the_table_estimate(client, supervisor, huge,
                                                         django_assert_max_num_queries):
    client.force_login(supervisor)
    with django_assert_max_num_queries(40) as captured:
        response = client.get(CHANGELIST)

    cl = response.context["cl"]
    assert (cl.result_count, cl.paginator.is_estimate) == (6, True)
    assert any("reltuples" in q["sql"] for q in captured.captured_queries)
    assert full_counts(captured.captured_queries) == []
    assert "about 6 tickets" in response.content.decode()


def test_a_filtered_huge_list_counts_up_to_the_limit_then_asks_the_planner(
        client, supervisor, huge, django_assert_max_num_queries):
    client.force_login(supervisor)
    with django_assert_max_num_queries(40) as captured:
        response = client.get(CHANGELIST, {"status__exact": "new"})

    cl = response.context["cl"]
    assert cl.paginator.is_estimate and cl.result_count >= 4
    assert len(cl.result_list) == 4  # the page itself is exact
    assert full_counts(captured.captured_queries) == []
    assert any(q["sql"].startswith("EXPLAIN") for q in captured.captured_queries)


def test_the_bounded_count_reads_the_rows_in_the_lists_order(client, supervisor, huge,
                                                             django_assert_max_num_queries):
    """So the planner stops after the limit on the index the page itself reads."""
    client.force_login(supervisor)
    with django_assert_max_num_queries(40) as captured:
        client.get(CHANGELIST, {"status__exact": "new"})

    bounded = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert len(bounded) == 1
    assert 'ORDER BY "tickets_ticket"."created_at" DESC' in bounded[0] and "LIMIT 4" in bounded[0]


def test_a_filtered_list_under_the_limit_is_exact_even_on_a_huge_table(client, supervisor,
                                                                       huge):
    client.force_login(supervisor)
    cl = client.get(CHANGELIST, {"status__exact": "on_hold"}).context["cl"]
    assert (cl.result_count, cl.paginator.is_estimate) == (2, False)


def test_an_agents_list_is_filtered_so_never_takes_the_table_estimate(client, agent, huge,
                                                                      make_ticket):
    make_ticket(subject="Order history empty", category="trading")  # not agent's team
    client.force_login(agent)
    cl = client.get(CHANGELIST, {"status__exact": "on_hold"}).context["cl"]
    assert (cl.result_count, cl.paginator.is_estimate) == (2, False)


def test_an_agents_list_of_another_teams_category_holds_only_their_own_assignments(
        client, agent, supervisor, make_ticket, support_desk):
    """The agent's teams are written into the list's query as ids: the same tickets as the
    subquery they replace."""
    trading = [make_ticket(subject=f"Order {n} not filled", category="trading") for n in range(3)]
    ticket_change(ticket=trading[1], actor=supervisor, assignee=agent)
    care = staff_member(username="care_lead", teams=[support_desk.teams["account-care"]])
    ticket_change(ticket=trading[2], actor=supervisor, assignee=care)
    client.force_login(agent)

    cl = client.get(CHANGELIST, {"category": support_desk.categories["trading"].pk}
                    ).context["cl"]
    assert list(cl.result_list) == [trading[1]]
    assert (cl.result_count, cl.paginator.is_estimate) == (1, False)


def test_the_categories_are_read_once_per_list_page(client, agent, six_tickets,
                                                    django_assert_max_num_queries):
    """For the category filter and the category column alike (Django builds the columns
    twice)."""
    client.force_login(agent)
    with django_assert_max_num_queries(40) as captured:
        page = client.get(CHANGELIST).content.decode()

    reads = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "tickets_category"' in sql for sql in reads) == 1
    assert sum('FROM "tickets_category_translation"' in sql for sql in reads) == 1
    assert '<td class="field-category">Deposits &amp; withdrawals</td>' in page
    assert "Identity verification" in page  # a choice of the filter
