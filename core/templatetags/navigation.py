"""``{% main_nav %}``: the site's sections in the header, the current one marked. Written in
Python rather than as an include per section: it is on every page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()
CURRENT = mark_safe(' aria-current="page"')  # noqa: S308 - a constant

SECTIONS = [
    ("forum:index", _("Forum")),
    ("blog:index", _("Blog")),
    ("tickets:index", _("Support")),
    ("feedback:index", _("Feedback")),
    ("surveys:index", _("Surveys")),
    ("events:index", _("Events")),
    ("programs:index", _("Programs")),
]


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    path = context["request"].path
    links = [(url, CURRENT if path.startswith(url) else "", label)
             for url, label in ((reverse(name), label) for name, label in SECTIONS)]
    return format_html_join("\n", '<li><a href="{}"{}>{}</a></li>', links)
