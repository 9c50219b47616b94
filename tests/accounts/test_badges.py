import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def render(template: str, **context) -> str:
    return Template("{% load accounts %}" + template).render(Context(context))


@pytest.mark.parametrize(("flags", "slugs"), [
    ({}, []),
    ({"is_staff": True}, ["staff"]),
    ({"is_product_manager": True}, ["pm"]),
    ({"is_ambassador": True}, ["ambassador"]),
    ({"is_staff": True, "is_product_manager": True, "is_ambassador": True},
     ["staff", "pm", "ambassador"]),
])
def test_badges_follow_the_user_flags(flags, slugs):
    assert [badge.slug for badge in UserFactory(**flags).badges] == slugs


def test_superuser_without_staff_flag_gets_no_official_badge():
    assert UserFactory(is_superuser=True).badges == []


def test_badges_cost_no_query(django_assert_num_queries):
    user = UserFactory(is_staff=True, is_ambassador=True)
    with django_assert_num_queries(0):
        render("{% user_name user %}", user=user)


def test_user_name_links_to_the_profile_with_badges():
    user = UserFactory(username="lin", display_name="Lin Wei", is_product_manager=True)
    html = render("{% user_name user %}", user=user)
    assert '<a href="/en/u/lin/">Lin Wei</a>' in html
    assert '<span class="badge badge-pm">Product manager</span>' in html


def test_user_name_without_link():
    html = render("{% user_name user link=False %}", user=UserFactory(display_name="Sam"))
    assert "<a " not in html and "Sam" in html


def test_handle_is_shown_when_there_is_no_display_name():
    html = render("{% user_name user %}", user=UserFactory(username="anon", display_name=""))
    assert ">anon</a>" in html


def test_impersonation_in_the_display_name_is_escaped():
    fake = '<span class="badge">Official</span>'
    html = render("{% user_name user %}", user=UserFactory(display_name=f"Ada {fake}"))
    assert fake not in html
    assert "&lt;span" in html


def test_badge_labels_are_translated():
    user = UserFactory(is_staff=True)
    with translation.override("zh-hans"):
        expected = translation.gettext("Official")
        html = render("{% user_name user %}", user=user)
    assert f'<span class="badge badge-staff">{expected}</span>' in html


def test_avatar_falls_back_to_the_initial():
    user = UserFactory(display_name="xiaoming", avatar="")
    assert ">X</span>" in render("{% avatar user 32 %}", user=user)
    chinese = UserFactory(display_name="小明")
    assert ">小</span>" in render("{% avatar user %}", user=chinese)
