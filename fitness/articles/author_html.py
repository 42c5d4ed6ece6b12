"""
What `fitness.articles.markdown.render` does to the HTML an author writes (a WordPress body is
HTML), besides the sanitiser's allow-list:

* An element whose content the HTML parser does not read as the article's markup (`<script>`,
  `<style>`, `<template>`, `<textarea>`, `<title>`, `<xmp>`, `<math>`, ...) runs until its end
  tag: written without one, it takes the rest of the article with it (as raw text, or as content
  that is never shown, which the sanitiser then drops), and Markdown stops converting at such a
  tag when it begins a line. So an unclosed one loses only its start tag, the text after it is
  kept, and the author is told. `<plaintext>` never ends: it is always removed so.
* Ids belong to the page: the comment section's script finds `#respond`, `#commentform`,
  `#comment-N`, and the page has others. Every id the author writes gets the prefix `article-`
  (an id the page uses never starts so), and a link in the body to one of them (`href="#x"`)
  gets it too, so the article's own in-page links keep working.
"""

import re

from markdown.preprocessors import Preprocessor

# Elements the parser reads as text (or, for template, math and svg, as content apart from the
# page) until their end tag; `<plaintext>` has none.
SWALLOWING = [
    "iframe", "math", "noembed", "noframes", "noscript", "script", "style", "svg", "template",
    "textarea", "title", "xmp",
]  # fmt: skip
TAG = re.compile(rf"<(/?)({'|'.join(SWALLOWING)}|plaintext)(?=[\s/>])[^>]*>", re.IGNORECASE)
ID_PREFIX = "article-"
HEADING_ID = re.compile(r'<(h[2-6]) id="([^"]*)">')
LOCAL_LINK = re.compile(r'(<a\s[^>]*?href=")#([^"]*)"')

UNCLOSED_REASON = (
    "<{tag}> has no </{tag}> after it, so it would have hidden the rest of the article: only "
    "the tag <{tag}> was removed, and the text after it is kept. Add </{tag}> where it should "
    "end, or remove the tag."
)
PLAINTEXT_REASON = (
    "<plaintext> was removed: it would have shown the rest of the article as raw HTML. The text "
    "after it is kept."
)
ID_REASON = (
    "Ids in an article get the prefix {prefix} so that they cannot clash with the page's own "
    "(the comment form is #respond): {changes}. Links within the article to them were changed "
    "to match; a link from elsewhere needs the new id."
)


def without_unclosed(text, problems, *, at_line_start=False):
    """`text` without the start tags of the SWALLOWING elements that have no end tag (a start
    tag of the same name met before it does not count as one), and without `<plaintext>`.
    With `at_line_start` (Markdown's source, where a tag elsewhere may be inside a code span)
    only start tags that begin a line are looked at."""
    open_tags, remove = {}, []
    for match in TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name == "plaintext":
            remove.append(match)
        elif closing:
            if open_tags.get(name):
                open_tags[name].pop()
        else:
            open_tags.setdefault(name, []).append(match)
    remove.extend(match for matches in open_tags.values() for match in matches)
    if at_line_start:
        remove = [m for m in remove if re.fullmatch(r" {0,3}", _line_before(text, m))]
    reasons = (
        PLAINTEXT_REASON if name == "plaintext" else UNCLOSED_REASON.format(tag=name)
        for name in (m.group(2).lower() for m in sorted(remove, key=lambda m: m.start()))
    )
    problems.extend(reason for reason in dict.fromkeys(reasons) if reason not in problems)
    for match in sorted(remove, key=lambda m: m.start(), reverse=True):
        text = text[: match.start()] + text[match.end() :]
    return text


def _line_before(text, match):
    return text[text.rfind("\n", 0, match.start()) + 1 : match.start()]


class UnclosedTagsPreprocessor(Preprocessor):
    """Before Markdown reads raw HTML blocks (and after fenced code is set aside): an unclosed
    swallowing tag at the start of a line would make the rest of the body one raw block."""

    def __init__(self, converter, problems):
        super().__init__(converter)
        self.problems = problems

    def run(self, lines):
        text, before = "\n".join(lines), None
        while text != before:  # a tag removed may leave another one at the line's start
            before, text = text, without_unclosed(text, self.problems, at_line_start=True)
        return text.split("\n")


def ids_prefixed(html, problems):
    """The sanitised `html` with ID_PREFIX before every id, and before the `#` links that point
    at one of them; the author is told which ids changed."""
    ids = list(dict.fromkeys(match.group(2) for match in HEADING_ID.finditer(html)))
    if not ids:
        return html
    html = HEADING_ID.sub(rf'<\1 id="{ID_PREFIX}\2">', html)

    def link(match):
        target = match.group(2)
        if target in ids:
            target = ID_PREFIX + target
        return f'{match.group(1)}#{target}"'

    html = LOCAL_LINK.sub(link, html)
    changes = ", ".join(f'id="{name}" is now id="{ID_PREFIX}{name}"' for name in ids)
    problems.append(ID_REASON.format(prefix=ID_PREFIX, changes=changes))
    return html
