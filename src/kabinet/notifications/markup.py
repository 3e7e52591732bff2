"""Staff-written text with safe formatting: Markdown rendered without raw HTML, then sanitised.

markdown-it-py (CommonMark, `html` off: a `<script>` typed into a notice stays text) renders; nh3
(the Ammonia sanitiser) then keeps only the listed tags and attributes and safe link schemes, so
even a parser bug cannot let markup through. The result is the one place a string is marked safe.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_HEADING = re.compile(r"<(/?)h([1-6])>")
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def markdown_to_html(text: str) -> SafeString:
    """Sanitised HTML of a Markdown text (headings move down to h3/h4 under the page's own)."""
    html = _parser.render(text or "")
    html = _HEADING.sub(lambda m: f"<{m[1]}h{'3' if m[2] in '12' else '4'}>", html)
    return sanitised(html)


def sanitised(html: str) -> SafeString:
    """HTML with only the listed tags, attributes and link schemes left, safe to show. Stored
    renderings pass through here again when shown, so a row changed behind the service's back
    cannot inject markup either."""
    clean = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # the sanitiser's output: only the tags and attributes listed above remain
    return mark_safe(clean)  # noqa: S308
