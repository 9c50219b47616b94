"""Survey invitations on pages outside the surveys: the portal's home and a resolved ticket."""

from django import template

from surveys import selectors
from surveys.browser import respondent_of

register = template.Library()


@register.inclusion_tag("surveys/includes/invitation.html", takes_context=True)
def survey_home_invitation(context):
    """The newest survey flagged for the home page that the reader has not answered yet."""
    return {"survey": selectors.survey_invitation(respondent=respondent_of(context["request"]))}


@register.inclusion_tag("surveys/includes/invitation.html", takes_context=True)
def survey_support_invitation(context):
    """The support survey, on a resolved ticket, unless the reader has answered it."""
    return {"survey": selectors.survey_invitation(respondent=respondent_of(context["request"]),
                                                  support=True),
            "support": True}
