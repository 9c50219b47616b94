from html import unescape

from django import template
from django.utils.html import strip_tags

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render user-written Markdown through the one sanitising renderer."""
    return render_markdown(text)


@register.filter
def plain_text(html: str) -> str:
    """The text of rendered HTML, for a meta description: tags dropped, entities decoded (the
    template escapes it once again), whitespace collapsed."""
    return " ".join(unescape(strip_tags(html)).split())
