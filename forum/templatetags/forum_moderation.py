"""Template tags for the flag form under each post (templates/forum/includes/flag_form.html)."""

from django import template

from forum.models import Flag

register = template.Library()


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    """The reasons a member may give, as (value, translated label)."""
    return Flag.Reason.choices
