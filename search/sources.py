"""The content apps whose objects are searchable: each module has ``SOURCE`` (its name),
``categories()`` -> [(key, label)], ``count()`` and ``batches(after_pk, size)`` yielding
(last primary key, [SearchDoc]) in primary key order, for the rebuild."""

from importlib import import_module

SOURCE_MODULES = ("forum.search", "blog.search", "feedback.search")


def sources():
    return [import_module(name) for name in SOURCE_MODULES]
