"""Comments under articles: members write Markdown, reply one level deep (the parent's author
is told), react, and flag for the moderators' queue; comments close after a while, are
rate-limited, and a hidden comment is seen only by its author and staff."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.comments import comment_create, comment_flag, comment_hide
from blog.models import Article, Comment, CommentFlag
from blog.selectors import article_comments
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article):
    return make_article(title="Spot the phishing email", slug="phishing")


@pytest.fixture
def member(db):
    return UserFactory(display_name="Alice Trader")


def post_comment(client, article, body, parent=None):
    """A comment on ``article``, or a reply to ``parent`` (posted to the parent's address)."""
    if parent is not None:
        return client.post(reverse("blog:comment_reply", kwargs={"pk": parent.pk}),
                           {"body": body})
    return client.post(reverse("blog:comment_create", kwargs={"pk": article.pk}),
                       {"body": body})


def test_a_member_comments_in_markdown(client, article, member):
    client.force_login(member)
    response = post_comment(client, article, "Great guide, **thanks**! <script>x</script>")
    comment = Comment.objects.get()
    assert response["Location"] == comment.get_absolute_url()
    landing = client.get(comment.get_absolute_url())
    assert landing["Location"] == f"/en/blog/phishing/#comment-{comment.pk}"
    html = client.get("/en/blog/phishing/").content.decode()
    assert "Great guide, <strong>thanks</strong>!" in html and "<script>x" not in html
    assert comment.author == member


def test_anonymous_visitors_and_forged_posts_write_nothing(client, article, member):
    assert client.get(reverse("blog:comment_create", kwargs={"pk": article.pk})).status_code \
        == 405
    response = post_comment(client, article, "Hello")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert post_comment(strict, article, "Hello").status_code == 403
    assert "Sign in to comment." in client.get("/en/blog/phishing/").content.decode()
    assert not Comment.objects.exists()


def test_bad_input_shows_the_article_again_and_writes_nothing(client, article, member):
    client.force_login(member)
    response = post_comment(client, article, "   ")
    assert response.status_code == 400
    assert b"This field is required." in response.content
    response = post_comment(client, article, "x" * 5001)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comments_on_an_article_readers_cannot_see_are_404(client, make_article, member):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    client.force_login(member)
    assert post_comment(client, draft, "Hello").status_code == 404


def test_a_reply_tells_the_parents_author_and_stays_one_level_deep(client, article, member):
    writer = UserFactory(language="zh-hans")
    parent = comment_create(article=article, author=writer, body="Is SMS 2FA enough?")
    client.force_login(member)
    post_comment(client, article, "Use an authenticator app.", parent=parent)
    reply = Comment.objects.get(body="Use an authenticator app.")
    assert reply.parent == parent
    notification = Notification.objects.get(recipient=writer)
    assert notification.target_url == reply.get_absolute_url()
    # A reply to a reply joins the same thread and tells the one answered; nobody is told of
    # their own reply.
    nested = comment_create(article=article, author=writer, body="Thanks!", parent=reply)
    assert nested.parent == parent
    assert Notification.objects.filter(recipient=member).count() == 1
    comment_create(article=article, author=writer, body="Also...", parent=parent)
    assert Notification.objects.filter(recipient=writer).count() == 1
    html = client.get("/en/blog/phishing/").content.decode()
    assert html.index("Is SMS 2FA enough?") < html.index("Use an authenticator app.")


def test_a_reply_goes_under_the_parents_article_and_needs_a_parent_one_may_see(
        client, article, make_article, member):
    other = make_article(title="Other")
    foreign = comment_create(article=other, author=UserFactory(), body="Elsewhere")
    with pytest.raises(ValidationError, match="You cannot reply to this comment."):
        comment_create(article=article, author=member, body="Sneaky", parent=foreign)
    client.force_login(member)
    assert post_comment(client, article, "Under other", parent=foreign).status_code == 302
    assert Comment.objects.get(body="Under other").article == other
    assert post_comment(client, article, "Ghost", parent=Comment(pk=999)).status_code == 404
    hidden = comment_create(article=article, author=UserFactory(), body="Spam")
    comment_hide(comment=hidden, by=UserFactory(is_staff=True), hidden=True)
    assert post_comment(client, article, "To hidden", parent=hidden).status_code == 404
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    on_draft = comment_create(article=article, author=UserFactory(), body="Moved")
    Comment.objects.filter(pk=on_draft.pk).update(article=draft)
    assert post_comment(client, draft, "Hidden article", parent=on_draft).status_code == 404
    assert Comment.objects.filter(article=article, parent__isnull=False).count() == 0


def test_a_refused_reply_shows_the_reply_form_again(client, article, member):
    parent = comment_create(article=article, author=UserFactory(display_name="Bob"), body="Q?")
    client.force_login(member)
    response = post_comment(client, article, "   ", parent=parent)
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('id="comment-form"'):]
    assert f'action="/en/blog/comment/{parent.pk}/reply/"' in form and "Reply to Bob" in form
    # The form holds the comment box only: no stray field for the reply's target.
    assert 'name="parent"' not in html and ">Parent<" not in html


def test_comments_close_after_the_configured_days(client, make_article, member, settings):
    settings.BLOG_COMMENTS_CLOSE_DAYS = 30
    old = make_article(title="Old news", published_at=timezone.now() - timedelta(days=31))
    client.force_login(member)
    html = client.get("/en/blog/old-news/").content.decode()
    assert "Comments on this article are closed." in html and 'id="comment-form"' not in html
    response = post_comment(client, old, "Late")
    assert response.status_code == 400 and not Comment.objects.exists()
    settings.BLOG_COMMENTS_CLOSE_DAYS = 0
    assert post_comment(client, old, "Never closed").status_code == 302


def test_comments_are_rate_limited(client, article, member):
    client.force_login(member)
    for n in range(5):
        assert post_comment(client, article, f"Comment {n}").status_code == 302
    response = post_comment(client, article, "One too many")
    assert response.status_code == 400 and b"too fast" in response.content
    assert Comment.objects.count() == 5


def test_a_hidden_comment_is_seen_only_by_its_author_and_staff(client, article, member):
    comment = comment_create(article=article, author=member, body="Buy my course")
    staff = UserFactory(is_staff=True)
    comment_hide(comment=comment, by=staff, hidden=True)
    url = "/en/blog/phishing/"
    assert "Buy my course" not in client.get(url).content.decode()
    assert client.get(comment.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert "Buy my course" not in client.get(url).content.decode()
    for who in (member, staff):
        client.force_login(who)
        assert "Buy my course" in client.get(url).content.decode()


def test_reactions_toggle_with_a_plain_form(client, article, member):
    comment = comment_create(article=article, author=UserFactory(), body="Useful tip")
    client.force_login(member)
    url = reverse("blog:comment_react", kwargs={"pk": comment.pk})
    assert client.post(url, {"kind": "like"})["Location"] == comment.get_absolute_url()
    comment.refresh_from_db()
    assert comment.reaction_counts == {"like": 1}
    html = client.get("/en/blog/phishing/").content.decode()
    assert 'aria-pressed="true"' in html
    client.post(url, {"kind": "like"})
    comment.refresh_from_db()
    assert comment.reaction_counts == {}
    client.post(url, {"kind": "bogus"})
    client.force_login(comment.author)
    client.post(url, {"kind": "like"})  # one's own comment
    comment.refresh_from_db()
    assert comment.reaction_counts == {}


def test_flags_go_to_the_queue_once_per_member(client, article, member):
    comment = comment_create(article=article, author=UserFactory(), body="Send BTC to x")
    client.force_login(member)
    url = reverse("blog:comment_flag", kwargs={"pk": comment.pk})
    client.post(url, {"reason": "scam", "note": "Fake giveaway"})
    client.post(url, {"reason": "spam"})
    flag = CommentFlag.objects.get()
    assert (flag.user, flag.reason, flag.note, flag.status) == (
        member, "scam", "Fake giveaway", CommentFlag.Status.PENDING)
    client.post(url, {"reason": "nonsense"})
    assert CommentFlag.objects.count() == 1


def test_moderators_hide_flagged_comments_from_the_admin_queue(client, article, member):
    comment = comment_create(article=article, author=UserFactory(), body="Send BTC to x")
    kept = comment_create(article=article, author=UserFactory(), body="Fine comment")
    comment_flag(comment=comment, user=member, reason="scam")
    comment_flag(comment=comment, user=UserFactory(), reason="spam")
    comment_flag(comment=kept, user=member, reason="other")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    queue = client.get(reverse("admin:blog_commentflag_changelist"))
    assert queue.status_code == 200 and queue.content.decode().count("Send BTC to x") == 2
    flag = CommentFlag.objects.filter(comment=comment).first()
    client.post(reverse("admin:blog_commentflag_changelist"),
                {"action": "flags_hide", "_selected_action": [flag.pk]})
    comment.refresh_from_db()
    assert comment.is_hidden
    assert set(CommentFlag.objects.filter(comment=comment).values_list("status", flat=True)) \
        == {CommentFlag.Status.UPHELD}
    client.post(reverse("admin:blog_commentflag_changelist"),
                {"action": "flags_dismiss",
                 "_selected_action": [CommentFlag.objects.get(comment=kept).pk]})
    kept.refresh_from_db()
    assert not kept.is_hidden
    assert CommentFlag.objects.get(comment=kept).status == CommentFlag.Status.DISMISSED
    pending = client.get(reverse("admin:blog_commentflag_changelist")).content.decode()
    assert "Send BTC to x" not in pending


def test_authors_and_staff_carry_badges(client, article, blog_author, member):
    comment_create(article=article, author=blog_author, body="Author here")
    comment_create(article=article, author=member, body="Reader here")
    html = client.get("/en/blog/phishing/").content.decode()
    author_part = html[html.index("Author here") - 1500:html.index("Author here")]
    assert 'blog-author-badge' in author_part and 'badge-staff' in author_part
    reader_part = html[html.index("Author here"):html.index("Reader here")]
    assert "blog-author-badge" not in reader_part


def test_what_each_reader_may_do_with_each_comment(article, blog_author, member, settings):
    by_author = comment_create(article=article, author=blog_author, body="Author here")
    comment_create(article=article, author=member, body="Reader", parent=by_author)
    hidden = comment_create(article=article, author=UserFactory(), body="Spam")
    comment_hide(comment=hidden, by=blog_author, hidden=True)
    article = Article.objects.prefetch_related("authors").get(pk=article.pk)

    def seen(user) -> dict[str, tuple[bool, bool, bool]]:
        threads = article_comments(article=article, user=user)
        rows = [*threads, *[r for thread in threads for r in thread.visible_replies]]
        return {row.body: (row.may_respond, row.may_reply, row.by_article_author)
                for row in rows}

    assert seen(AnonymousUser()) == {"Author here": (False, False, True),
                                     "Reader": (False, False, False)}
    assert seen(member) == {"Author here": (True, True, True), "Reader": (False, False, False)}
    assert seen(blog_author)["Spam"] == (False, False, False)  # staff see it, hidden
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(days=settings.BLOG_COMMENTS_CLOSE_DAYS + 1))
    settings.BLOG_COMMENTS_CLOSE_DAYS = 1
    article.refresh_from_db(fields=["published_at"])
    assert seen(member)["Author here"] == (True, False, True)  # closed: no more replies
