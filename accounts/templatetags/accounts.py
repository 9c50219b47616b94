from django import template

register = template.Library()


@register.inclusion_tag("accounts/user_name.html")
def user_name(user, link=True):
    """A user's name with their badges, as shown wherever a user appears."""
    return {"person": user, "link": link}


@register.inclusion_tag("accounts/avatar.html")
def avatar(user, size=40):
    return {"person": user, "size": size, "initial": (user.name[:1] or "?").upper()}
