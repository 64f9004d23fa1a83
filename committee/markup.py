"""Officers' Markdown, made safe to show and print, with the papers' paragraph numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}, "td": {"colspan"}}
LIST_LINE = re.compile(r"^\s*([-*+]|\d+[.)])\s")
# A list whose items are labelled "a)", "b)"… by hand: one <ol type="a">, not "• a)".
PLAIN_LIST = re.compile(r"<(?:ul|ol)>(\s*(?:<li>.*?</li>\s*)+)</(?:ul|ol)>", re.S)
LETTER_LABEL = re.compile(r"<li>(\s*(?:<p>)?)([a-z])[.)]\s+")


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, with scripts, raw HTML and unsafe links removed."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(_lettered_lists(cleaned))


def _lettered_lists(html: str) -> str:
    def lettered(match: re.Match[str]) -> str:
        items = match.group(1)
        letters = [letter for _, letter in LETTER_LABEL.findall(items)]
        if (
            "<ul" in items
            or "<ol" in items
            or items.count("<li>") != len(letters)
            or letters != [chr(ord("a") + index) for index in range(len(letters))]
        ):
            return match.group(0)
        return '<ol type="a">' + LETTER_LABEL.sub(r"<li>\1", items) + "</ol>"

    return PLAIN_LIST.sub(lettered, html)


@dataclass(frozen=True)
class Paragraph:
    number: str
    html: SafeString
    generated: bool = False  # written from the figures as the report is shown, not by an officer


def numbered_paragraphs(
    section_number: int | str, text: str, *, start: int = 1, generated: bool = False
) -> list[Paragraph]:
    """Split a section into paragraphs numbered 1.1, 1.2… as the papers number them (7.1.1,
    7.1.2… in a sub-section of the implications), counting from `start`.

    A list belongs to the paragraph before it, so "The Board has three aims:" and its bullets
    share one number.
    """
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    grouped: list[str] = []
    for block in blocks:
        if grouped and LIST_LINE.match(block):
            grouped[-1] += "\n\n" + block
        else:
            grouped.append(block)
    return [
        Paragraph(f"{section_number}.{index}.", render_markdown(block), generated)
        for index, block in enumerate(grouped, start=start)
    ]
