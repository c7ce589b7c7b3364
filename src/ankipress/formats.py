"""Which format a file is written in, recognised from the file itself. Pure.

ankipress's own format (line style and heading style, mixed) is the default. A file written
for another flashcard tool is read the way that tool reads it, so that a student moving to
ankipress never rewrites their notes. Each format is recognised from marks only it leaves;
front matter `format:` forces one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .body import Body
from .cloze import written_highlights
from .literals import mask_literals
from .records import Diagnostic, SourceFile, warning

ANKIPRESS = "ankipress"
OBSIDIAN_SR = "obsidian-spaced-repetition"
OBSIDIAN_TO_ANKI = "obsidian-to-anki"
MDANKI = "mdanki"
MARKDOWN_FLASHCARDS = "markdown-flashcards"
LOGSEQ = "logseq"
FORMATS = (ANKIPRESS, OBSIDIAN_SR, OBSIDIAN_TO_ANKI, MDANKI, MARKDOWN_FLASHCARDS, LOGSEQ)
# Formats whose files mix cards with prose that is no card: only their cards are notes.
CARDS_ONLY = frozenset({OBSIDIAN_SR, OBSIDIAN_TO_ANKI, MARKDOWN_FLASHCARDS, LOGSEQ})
TITLES = {
    ANKIPRESS: "ankipress",
    OBSIDIAN_SR: "Obsidian Spaced Repetition",
    OBSIDIAN_TO_ANKI: "Obsidian_to_Anki",
    MDANKI: "mdanki",
    MARKDOWN_FLASHCARDS: "markdown-flashcards",
    LOGSEQ: "Logseq",
}

FLASHCARDS_TAG_RE = re.compile(r"(?:^|\s)#flashcards(?:/\S*)?(?=\s|$)", re.IGNORECASE)
SEPARATOR_LINE_RE = re.compile(r"[ \t]*(\?\??|%)[ \t]*$")
RULE_LINE_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
INLINE_SEP_RE = re.compile(r"(?<!:)(:::|::)(?!:)")
SPACED_SEP_RE = re.compile(r"(?<=\s)(:::|::)(?=\s)")
# Logseq: an outline block (`- …`, any indentation) tagged `#card` (or `#[[card]]`).
LOGSEQ_CARD_TAG_RE = re.compile(r"(?:^|(?<=\s))#(?:card|\[\[card\]\])(?=\s|$)", re.IGNORECASE)
LOGSEQ_BLOCK_RE = re.compile(r"(?P<indent>[ \t]*)-(?:[ \t]+(?P<text>.*))?$")
TAG_LINK_LINE_RE = re.compile(r"[ \t]*(?:\[#[^\]\s]+\]\([^)]*\)[ \t]*)+$")


@dataclass(frozen=True)
class Format:
    """The format a file is read in, and how that was decided (shown by `explain`)."""

    name: str
    why: str

    @property
    def cards_only(self) -> bool:
        return self.name in CARDS_ONLY

    @property
    def title(self) -> str:
        return TITLES[self.name]


@dataclass(frozen=True)
class InlineCard:
    """`front::back` (or `front:::back`, reversed) on one line."""

    front: str
    back: str
    reversed: bool
    spaced: bool
    """A space on each side of the `::`, as ankipress's own one-liners need."""


def inline_card(text: str, spaced_only: bool = False) -> InlineCard | None:
    """The first `::` or `:::` outside code, math and cloze deletions splits a line in two
    (the first with a space on each side, with `spaced_only`)."""
    if "==c" in text:  # `==c1::x==` is a deletion, whose `::` splits nothing
        text = written_highlights(text)
    if "::" not in text or "{{" in text:
        return None
    match = (SPACED_SEP_RE if spaced_only else INLINE_SEP_RE).search(mask_literals(text))
    if match is None:
        return None
    front, back = text[: match.start()].strip(), text[match.end() :].strip()
    if not front or not back:
        return None
    spaced = text[match.start() - 1 : match.start()] == " " == text[match.end() : match.end() + 1]
    return InlineCard(front, back, match[1] == ":::", spaced)


def is_tight_inline(text: str) -> bool:
    """`front::back` written the Obsidian way: no space on a side of `::`, and a front that is
    a phrase (it holds a space), so that `std::vector` is no card."""
    card = inline_card(text)
    return card is not None and not card.spaced and " " in card.front


def is_logseq_card(text: str) -> bool:
    """An outline block tagged `#card`: Logseq's flashcard."""
    block = LOGSEQ_BLOCK_RE.match(text)
    return block is not None and LOGSEQ_CARD_TAG_RE.search(block["text"] or "") is not None


def flashcards_front_matter(source: SourceFile) -> bool:
    """Whether front matter tags the page `flashcards` (or `flashcards/…`)."""
    return any(
        tag.casefold() == "flashcards" or tag.casefold().startswith("flashcards::")
        for tag in source.front_matter.tags
    )


def is_question_separator(text: str) -> bool:
    """A line holding only `?` or `??`, splitting a card's front from its back."""
    return "?" in text and text.strip() in ("?", "??")


def _o2a_blocks(texts: Sequence[str]) -> int:
    starts = ends = 0
    for text in texts:
        if "START" not in text and "END" not in text:
            continue
        word = text.strip()
        starts += word == "START" or word.startswith("STARTI ")
        ends += (word == "END" and starts > ends) or word.endswith(" ENDI")
    return min(starts, ends)


def _loose_separators(body: Body) -> int:
    """`?` lines with a blank line beside them, as in cards between horizontal rules."""
    texts = body.texts
    count = 0
    for k, text in enumerate(texts):
        if "?" in text and SEPARATOR_LINE_RE.match(text):
            above = k > 0 and not texts[k - 1].strip()
            below = k + 1 < len(texts) and not texts[k + 1].strip()
            count += above or below
    return count


def choose_format(source: SourceFile, body: Body) -> tuple[Format, list[Diagnostic]]:
    """The format a file is written in: forced by front matter, else recognised from marks."""
    if source.front_matter.format:
        return Format(source.front_matter.format, "as front matter `format` says"), []
    in_code = body.in_block
    texts = [t if k not in in_code else "" for k, t in enumerate(body.texts)]
    if _o2a_blocks(texts):
        return Format(OBSIDIAN_TO_ANKI, "recognised from its START…END blocks"), []
    if any("<!--SR:" in line for line in source.lines):
        return Format(OBSIDIAN_SR, "recognised from its `<!--SR:` review comments"), []
    if any(is_logseq_card(t) for t in texts if "#" in t):
        return Format(LOGSEQ, "recognised from its outline blocks tagged `#card`"), []
    if any(FLASHCARDS_TAG_RE.search(t) for t in texts if "#" in t):
        return Format(OBSIDIAN_SR, "recognised from its `#flashcards` tag"), []
    tight = [k for k, t in enumerate(texts) if is_tight_inline(t)]
    # The plugin also takes the tag from front matter; there, a tag for Anki is as likely, so
    # it counts only beside the plugin's own cards (a `?` line or `front::back`).
    if flashcards_front_matter(source) and (tight or any(map(is_question_separator, texts))):
        return Format(OBSIDIAN_SR, "recognised from the `flashcards` tag of its front matter"), []
    if len(tight) >= 2:
        return Format(OBSIDIAN_SR, "recognised from its `front::back` lines"), []
    rules = sum(1 for t in texts if t[:4].lstrip()[:1] in ("-", "*", "_") and RULE_LINE_RE.match(t))
    if rules and _loose_separators(body):
        why = "recognised from its cards between horizontal rules, split by a `?` line"
        return Format(MARKDOWN_FLASHCARDS, why), []
    diagnostics = []
    if tight:
        diagnostics.append(
            warning(
                source.location(body.indices[tight[0]]),
                "this line reads like an Obsidian card `front::back`, but the file is read in "
                "ankipress's format, where `::` needs a space on each side; write `front :: "
                "back`, or add `format: obsidian-spaced-repetition` to the front matter",
            )
        )
    marks = any(
        ("%" in t and t.strip() == "%") or ("[#" in t and TAG_LINK_LINE_RE.match(t)) for t in texts
    )
    if marks:
        return Format(MDANKI, "recognised from its `%` separators or `[#tag]()` tags"), diagnostics
    return Format(ANKIPRESS, ""), diagnostics
