"""Search fixtures: the forum's and the blog's (content written through their services, so
the index is kept in sync as it is for users) and ``find``, the search as the page runs it."""

import pytest

from search.selectors import search_run
from tests.blog.conftest import blog_author, blog_category, make_article  # noqa: F401
from tests.forum.conftest import (  # noqa: F401
    _relaxed_forum_limits,
    forum_category,
    forum_member,
    forum_section,
    make_reply,
    make_topic,
    qa_category,
)


@pytest.fixture
def find(rf):
    """``find(text, **filters)``: the titles search_run finds for an anonymous reader, in
    result order."""
    from django.contrib.auth.models import AnonymousUser

    def run(text, **filters):
        results = search_run(user=AnonymousUser(), text=text, **filters)
        return [hit.title for hit in results.hits]

    return run
