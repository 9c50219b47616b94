"""The one Markdown renderer every app uses.

User text is rendered with Python-Markdown, then sanitised with nh3 against an allowlist, so
whatever a user writes (raw HTML, ``javascript:`` links, event handlers) comes out inert.
"""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["extra", "sane_lists", "nl2br"]
# Column alignment as ``align`` (allowed below); the default ``style`` attribute is stripped.
EXTENSION_CONFIGS = {"extra": {"tables": {"use_align_attribute": True}}}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "dd", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p",
    "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Render user-written Markdown to sanitised HTML, safe to put in a template as is."""
    html = md.markdown(text or "", extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                       output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it
