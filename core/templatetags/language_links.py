from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html_join
from django.utils.translation import to_language

register = template.Library()


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> str:
    """``<link rel="alternate" hreflang=...>`` for this page in every language of the site,
    so search engines send each reader to their language. Pages without language-prefixed
    twins (the admin, error pages) get none.

    A page whose twins have addresses of their own (a blog article's translated slug) lists
    them as ``hreflang_alternates`` in its context, ``(language, path)`` pairs; only those
    are linked, with the default language's as x-default when it is among them."""
    request = context.get("request")
    if request is None:
        return ""
    alternates = context.get("hreflang_alternates")
    if alternates is None:
        alternates = []
        for code, _name in settings.LANGUAGES:
            url = translate_url(request.path, code)
            if not url.startswith(f"/{code}/"):
                return ""
            alternates.append((code, url))
    links = [(_hreflang(code), request.build_absolute_uri(url)) for code, url in alternates]
    default = dict(links).get(_hreflang(settings.LANGUAGE_CODE))
    if default:
        links.append(("x-default", default))
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links)


def _hreflang(code: str) -> str:
    """"zh-hans" -> "zh-Hans", as hreflang spells scripts."""
    language, _dash, script = to_language(code).partition("-")
    return f"{language}-{script.title()}" if script else language
