import pytest

from core.markdown import render_markdown


def test_markdown_renders_basic_formatting():
    html = render_markdown("**bold** and [OKX](https://www.okx.com)")
    assert "<strong>bold</strong>" in html
    assert 'href="https://www.okx.com"' in html
    assert 'rel="nofollow noopener"' in html


def test_script_tag_and_its_content_are_removed():
    html = render_markdown("before\n\n<script>alert(1)</script>\n\nafter")
    assert "<script" not in html.lower()
    assert "alert(1)" not in html
    assert "before" in html and "after" in html


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
])
def test_dangerous_link_schemes_lose_their_href(url):
    html = render_markdown(f"[click me]({url})")
    assert "click me" in html
    assert "href" not in html
    assert "script:" not in html.lower()


def test_data_url_image_is_dropped():
    html = render_markdown("![pixel](data:image/png;base64,iVBORw0KGgo=)")
    assert "data:" not in html
    assert "src=" not in html


@pytest.mark.parametrize("payload", [
    "<img src=x onerror=alert(1)>",
    '<a href="https://www.okx.com" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
])
def test_event_handlers_are_stripped(payload):
    html = render_markdown(payload)
    assert "alert" not in html
    assert " on" not in html.lower()


@pytest.mark.parametrize("payload", [
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<form action="https://evil.example/"><input name="password"></form>',
    '<object data="https://evil.example/x.swf"></object>',
])
def test_raw_html_containers_are_stripped(payload):
    html = render_markdown(payload)
    for tag in ("<iframe", "<style", "<form", "<input", "<object", "display: none"):
        assert tag not in html
    assert "evil.example" not in html


def test_inline_style_attribute_is_stripped():
    html = render_markdown('<span style="position:fixed;top:0">overlay</span>')
    assert "overlay" in html
    assert "style" not in html


@pytest.mark.parametrize("url", [
    "http://example.com/a", "https://example.com/b?c=d", "mailto:support@example.com",
])
def test_safe_link_schemes_are_kept_with_nofollow(url):
    html = render_markdown(f"[link]({url})")
    assert f'href="{url.replace("&", "&amp;")}"' in html
    assert 'rel="nofollow noopener"' in html


def test_author_cannot_override_rel():
    html = render_markdown('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    assert 'rel="nofollow noopener"' in html
    assert 'rel="opener"' not in html


def test_tables_render_with_column_alignment():
    html = render_markdown("| Coin | Price |\n|------|------:|\n| BTC | 100 |")
    assert "<table>" in html
    assert "<th>Coin</th>" in html
    assert '<td align="right">100</td>' in html


def test_fenced_code_is_escaped_and_keeps_language_class():
    html = render_markdown('```python\nprint("<b>hi</b>")\n```')
    assert '<pre><code class="language-python">' in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html
    assert "<b>" not in html


def test_chinese_text_is_intact():
    html = render_markdown("# 比特币\n\n你好，世界！**加粗**")
    assert "<h1>比特币</h1>" in html
    assert "你好，世界！<strong>加粗</strong>" in html


def test_empty_input_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
