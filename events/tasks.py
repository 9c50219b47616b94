from celery import shared_task

from events.services import meetup_reminders_send as reminders_send


@shared_task
def meetup_reminders_send() -> int:
    """Beat, every 15 minutes: remind attendees of meetups starting within a day. Safe to run
    twice: each RSVP is reminded once. Returns how many were reminded."""
    return reminders_send()
