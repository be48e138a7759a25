"""Allow-list sanitising of rich text written in the back-office editor, and its plain text.

Everything the portal publishes as HTML goes through `clean_html` first. The portal promises
that no page loads anything from a third-party host, so images may only come from this site.
"""

import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
        "td", "caption", "figure", "figcaption", "hr", "span", "div",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    # A wide table scrolls sideways on a phone; a scrolling region must take keyboard focus
    # (tabindex="0", the only value kept: a positive one would reorder the page's focus).
    "table": {"tabindex"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Elements whose content is code or machinery, never readable text: dropped whole.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "textarea",
     "select", "svg", "math", "title", "head"}
)  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Browsers delete tabs and newlines anywhere in a URL and trim C0 controls and spaces at both
# ends, so "/\t/evil.example" is "//evil.example" to them: check the URL as they will read it.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# nh3 serialises every element the same way (lower-case names, double-quoted attributes),
# so an <img> left without its src can be found reliably in its output.
_IMG_TAG = re.compile(r'<img(?:\s+[a-z\-]+="[^"]*")*\s*/?>')


def _browser_url(value: str) -> str:
    return _URL_IGNORED.sub("", value).strip(_URL_TRIMMED)


def _site_relative(url: str) -> bool:
    # "//host/x" and "/\host/x" are protocol-relative to a browser: another host.
    return url.startswith("/") and url[1:2] not in ("/", "\\")


def _allowed_link(url: str) -> bool:
    if _site_relative(url):
        return True
    scheme = _SCHEME.match(url)
    return bool(scheme) and scheme.group(1).lower() in LINK_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        url = _browser_url(value)
        return url if _allowed_link(url) else None
    if tag == "img" and attribute == "src":
        url = _browser_url(value)
        return url if _site_relative(url) else None
    if attribute == "tabindex":
        return "0" if value.strip() == "0" else None
    return value


def _drop_sourceless_image(match: re.Match) -> str:
    return match.group(0) if ' src="' in match.group(0) else ""


def clean_html(html: str) -> str:
    """The fragment with only the allowed tags and attributes; external images removed."""
    cleaned = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(LINK_SCHEMES),
    )
    return _IMG_TAG.sub(_drop_sourceless_image, cleaned)


# Elements that start a new line of text when rendered.
BLOCK_TAGS = frozenset(
    {
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "table",
        "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "hr", "div",
        "section", "article", "header", "footer", "aside", "nav", "pre", "address", "dl", "dt",
        "dd", "main",
    }
)  # fmt: skip
# Cells of a row are separated by a space, not a line.
CELL_TAGS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r"\s*\n\s*")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping.append(tag)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append(" ")
        elif tag == "img":
            # An image's alternative text is what a screen reader says: it is page text.
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_startendtag(self, tag, attrs):
        if tag not in DROPPED_WITH_CONTENT:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            # Line breaks in the source are spaces when rendered; only blocks break lines.
            self.parts.append(_WHITESPACE.sub(" ", data))


def text_of(html: str) -> str:
    """Plain text of a fragment: entities decoded, one line per block, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = _SPACES.sub(" ", "".join(collector.parts))
    return _LINES.sub("\n", text).strip()
