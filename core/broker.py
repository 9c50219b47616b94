"""Publishing tasks without letting a broker outage reach the user."""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def publish(task, *, args: list, queue: str | None = None, countdown: int = 0) -> bool:
    """Send ``task`` once (to run ``countdown`` seconds from now), without the client's long
    connection retries. Returns False (and logs) when the broker is away; the caller's periodic
    sweep sends it later."""
    options = {"retry": False}
    if queue:
        options["queue"] = queue
    if countdown:
        options["countdown"] = countdown
    try:
        task.apply_async(args=args, **options)
    except BROKER_ERRORS:
        logger.warning("broker unavailable: %s%s left for the next sweep", task.name, args)
        return False
    return True
