from celery import shared_task

from tickets.services import chats_escalate, sla_breaches_mark


@shared_task
def sla_check() -> int:
    """Beat, every minute: mark SLA breaches and turn unanswered chats into tickets."""
    return sla_breaches_mark() + chats_escalate()
