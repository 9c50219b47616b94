"""A small fixed-window rate limit on the shared cache (Redis in production)."""

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one action for ``key`` in ``scope``; True once over ``limit`` per ``period`` s."""
    cache_key = f"rl:{scope}:{key}"
    # add() only sets when absent, so the window starts at the first action and expires whole.
    if cache.add(cache_key, 1, timeout=period):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period)
        return False
    return count > limit
