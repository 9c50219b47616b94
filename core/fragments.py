"""Fragments of a page rendered once and shared by every reader who would get the same HTML.

A fragment's key is built from the data it shows (ids, edit counters, names), so a change makes
a new key rather than needing an invalidation; old entries simply expire."""

import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from django.core.cache import cache

Item = TypeVar("Item")

FRAGMENT_SECONDS = 24 * 3600


def fragment_key(prefix: str, *parts: Hashable) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f"fragment:{prefix}:{digest}"


def fragments_render(items: Sequence[Item], *, key: Callable[[Item], str],
                     render: Callable[[Item], str]) -> list[str]:
    """``render(item)`` for each item, in order, from the cache where it is there: one
    ``get_many`` for all of them and one ``set_many`` for those rendered now."""
    keys = [key(item) for item in items]
    found = cache.get_many(keys)
    missing = {k: render(item) for k, item in zip(keys, items, strict=True) if k not in found}
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
        found.update(missing)
    return [found[k] for k in keys]
