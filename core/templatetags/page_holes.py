"""``{% page_hole "includes/member_tools.html" %}``: a part of the layout that is the reader's
own (their account menu, their unread count). It renders in place, except while a page is
rendered to be shared between members (``core.pagecache.member_page``): then it leaves a marker
that each response fills for its own reader."""

from django import template
from django.utils.safestring import mark_safe

from core.pagecache import hole_marker

register = template.Library()


@register.simple_tag(takes_context=True)
def page_hole(context, template_name: str) -> str:
    holes = getattr(context["request"], "page_holes", None)
    if holes is not None:
        holes.append(template_name)
        return mark_safe(hole_marker(template_name))  # noqa: S308 - an HTML comment of ours
    return context.template.engine.get_template(template_name).render(context)
