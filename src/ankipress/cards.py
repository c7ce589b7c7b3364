"""The cards of other flashcard tools, read as those tools read them. Pure.

In the files of these tools, notes and cards share a page: only the cards are notes, and the
rest (a lecture's transcript, links, headings) is left out, as the tools themselves do. Each
card shape is one rule, tried in order like the line rules of `lines.py`; their answers are
Markdown, as these tools render them.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from . import cloze
from .body import Body
from .details import ANSWER_SUMMARY_RE
from .formats import (
    ANKDOWN,
    ANKI_HEADER_RE,
    BACK_COLUMNS,
    CARD_END_RE,
    CARD_TAG_RE,
    DELIMITED,
    FIELD_SEPARATOR_RE,
    FRONT_COLUMNS,
    ID_COLUMNS,
    LOGSEQ,
    LOGSEQ_BLOCK_RE,
    LOGSEQ_CARD_TAG_RE,
    LOGSEQ_CLOZE_RE,
    MARKDOWN_FLASHCARDS,
    OBSIDIAN_SR,
    OBSIDIAN_TO_ANKI,
    RULE_LINE_RE,
    SEPARATOR_LINE_RE,
    SEPARATOR_TITLES,
    TAG_COLUMNS,
    TAGGED_CARDS,
    Format,
    custom_inline_card,
    delimited_separator,
    header_separator,
    inline_card,
    is_header_row,
    is_logseq_card,
    is_question_separator,
    numbered_rows,
    o2a_id_lines,
    reviewed_lines,
    split_spaced,
    tags_in_last_field,
    usual_width,
)
from .lines import (
    ATX_HEADING_RE,
    CALLOUT_RE,
    FORCED_RE,
    INTRODUCES,
    LONG_TITLE,
    QUOTE_MARK_RE,
    SENTENCE_ENDS,
    TRAILING_TAGS_RE,
    Draft,
    Reader,
    asks,
    blank_rule,
    dataview_field_rule,
    indent_width,
    label_kind,
    line_tags,
    reads_as_question,
    tags_rule,
)
from .patterns import lazy_pattern
from .records import Diagnostic, FieldFormat, NoteKind, Reading, error, warning

# Obsidian_to_Anki: `STARTI [Basic] front Back: back ENDI` on one line.
O2A_INLINE_RE = lazy_pattern(
    r"\s*STARTI\s*\[(?P<type>[^\]]*)\]\s*(?P<front>.*?)\s*Back:\s*(?P<back>.*?)\s*ENDI\s*$"
)

# Logseq: `key:: value`, a page's or a block's property (its review schedule among them).
LOGSEQ_HEADING_MARKS_RE = lazy_pattern(r"#{1,6}[ \t]+")
LOGSEQ_PROPERTY_RE = lazy_pattern(r"[ \t]*[A-Za-z][\w-]*::(?:[ \t]|$)")
# A drawer Logseq keeps under a block and never shows (`:LOGBOOK:`, its `CLOCK:` lines, `:END:`).
LOGSEQ_DRAWER_RE = lazy_pattern(r"[ \t]*:[A-Z][A-Z_-]*:[ \t]*$")
LOGSEQ_DRAWER_END_RE = lazy_pattern(r"[ \t]*:END:[ \t]*$")


def drawer_end(p: Reader, k: int) -> int | None:
    """The `:END:` line closing the drawer that line k opens; None when k opens none."""
    if ":" not in p.texts[k][:12] or not LOGSEQ_DRAWER_RE.match(p.texts[k]):
        return None
    for j in range(k + 1, p.end):
        if LOGSEQ_DRAWER_END_RE.match(p.texts[j]):
            return j
        if not p.texts[j].strip():
            return None
    return None


def give_answer(p: Reader, draft: Draft, first: int, last: int) -> None:
    """Lines first..last (blank edges left out) are the draft's Markdown answer."""
    while first <= last and p.is_blank(first):
        first += 1
    while last >= first and p.is_blank(last):
        last -= 1
    for k in range(first, last + 1):
        p.mark(k, Reading.ANSWER if not p.is_blank(k) else Reading.BLANK)
    draft.markdown = "\n".join(p.texts[first : last + 1])
    draft.markdown_at = tuple(p.indices[first : last + 1])


def back_end(p: Reader, k: int) -> int:
    """The last line of a back starting at k: up to a blank line, blocks taken whole."""
    last = k - 1
    while k < p.end and not p.is_blank(k):
        last = p.block_end(k) if k in p.body.block_ends else k
        k = last + 1  # type: ignore[operator]
    return last


def section_rule(p: Reader, k: int) -> int | None:
    """A heading gives a card its context; it is no card. One that asks, with text under it
    that is no card, is left out too, but never silently: the file may be meant in
    ankipress's format, where it is a note."""
    heading = ATX_HEADING_RE.match(p.texts[k])
    if heading is None:
        return None
    p.finish()
    p.mark(k, Reading.SECTION)
    p.after_blank = True
    if reads_as_question(heading["text"] or "") and answered_in_prose(p, k):
        p.diagnostics.append(
            warning(
                p.location(k),
                "this heading reads as a question with its answer under it, but only cards "
                "are notes in this file's format; write it as a card, or add `format: "
                "ankipress` to the front matter",
            )
        )
    return k + 1


def answered_in_prose(p: Reader, k: int) -> bool:
    """Whether text that is no card stands right under the heading on line k."""
    j = next((j for j in range(k + 1, p.end) if not p.is_blank(j)), None)
    if j is None or ATX_HEADING_RE.match(p.texts[j]) or is_question_separator(p.texts[j]):
        return False
    end = p.paragraph_end(j)
    return inline_card(p.texts[j]) is None and p.separator_in(j) in (None, end)


def prose_rule(p: Reader, k: int) -> int | None:
    """Text that is no card (blocks taken whole): left out, as the tool leaves it; a line
    that asks, alone right above a card's front, is said (it reads as part of the front)."""
    last = p.block_end(k) if k in p.body.block_ends else k
    for j in range(k, last + 1):  # type: ignore[operator]
        p.mark(j, Reading.IGNORED)
    if p.after_blank and asks(p.texts[k]) and asks_above_card(p, k):
        message = (
            "this line asks, but a blank line parts it from the card under it, whose front "
            "is only the lines right above its `?` line: it is left out; remove the blank "
            "line to make it part of the front"
        )
        p.diagnostics.append(warning(p.location(k), message))
    elif p.after_blank and is_question_separator(p.texts[k]) and k > p.start:
        message = (
            "this `?` line opens no card: a blank line stands right above it, where the card's "
            "front should be; it and the text under it are left out (remove the blank line)"
        )
        p.diagnostics.append(warning(p.location(k), message))
    elif not p.after_blank and p.reviewed and SEPARATOR_SLIP_RE.match(p.texts[k]):  # type: ignore[attr-defined]
        message = (
            "this line opens with `?` right under a front, but holds more: it splits no card "
            "(its front and back are left out); put the `?` alone on its line"
        )
        p.diagnostics.append(warning(p.location(k), message))
    p.after_blank = False
    return last + 1  # type: ignore[operator]


SEPARATOR_SLIP_RE = lazy_pattern(r"[ \t]*\?\??[^?\s]")
"""A card's `?` separator with text typed right after it (`?$(2.9)$`): a slip."""


def asks_above_card(p: Reader, k: int) -> bool:
    """Whether line k stands alone, one blank line above a card with a `?` line."""
    if k + 2 >= p.end or not p.is_blank(k + 1) or p.is_blank(k + 2):
        return False
    return p.separator_in(k + 2) is not None


def note_in_prose_rule(p: Reader, k: int) -> int | None:
    """Text that reads as an ankipress note (a short question line, then its answer) is left
    out like the rest, but never silently: the file may be meant in ankipress's format."""
    text = p.texts[k]
    if not p.after_blank or len(text) > 200 or not reads_as_question(text):
        return None
    end = p.paragraph_end(k)
    if not 1 <= end - k - 1 <= 3 or any(j in p.body.block_ends for j in range(k, end)):
        return None
    p.diagnostics.append(
        warning(
            p.location(k),
            "this reads as a question and its answer, but only cards are notes in this "
            "file's format; write it as a card, or add `format: ankipress` to the front matter",
        )
    )
    for j in range(k, end):
        p.mark(j, Reading.IGNORED)
    return end


def heading_card_rule(p: Reader, k: int) -> int | None:
    """A heading right above a `?` line (`??`: reversed) is the card's front, its back the
    lines under that line up to a blank one: a card per heading, as vaults write terms. A
    line of tags between them (`#词根`) tags the card."""
    heading = ATX_HEADING_RE.match(p.texts[k])
    sep = k + 1
    if heading is None or not heading["text"] or sep + 1 >= p.end:
        return None
    tags = line_tags(p.texts[sep]) if "#" in p.texts[sep] else None
    if tags is not None:
        sep += 1
    if sep + 1 >= p.end or not is_question_separator(p.texts[sep]) or p.is_blank(sep + 1):
        return None
    draft = p.start_question(k, heading.start("text"), heading["text"])
    draft.strong = True
    if tags is not None:
        draft.tags += tags[0]
        p.mark(k + 1, Reading.TAGS)
    return back_after_separator(p, draft, sep)


def separated_card_rule(p: Reader, k: int) -> int | None:
    """A front, a line holding only `?` (`??`: reversed), then a back up to a blank line."""
    if not p.after_blank:
        return None
    sep = p.separator_in(k)
    if sep is None or sep == k or sep + 1 >= p.end or p.is_blank(sep + 1):
        return None
    if all(QUOTE_MARK_RE.match(p.texts[j]) for j in range(k, sep)):
        draft = quoted_front(p, k, sep)
        if draft is not None:
            return back_after_separator(p, draft, sep)
    return back_after_separator(p, p.front_from(k, sep - 1), sep)


def quoted_front(p: Reader, k: int, sep: int) -> Draft | None:
    """A front written in a quote or a callout (`> [!question] Was ist …?` over `> …`
    lines, above a `?` line): its lines without the quote marks, a callout's title for its
    first line. None when nothing is written in it."""
    lines = []
    for j in range(k, sep):
        at = QUOTE_MARK_RE.match(p.texts[j]).end()  # type: ignore[union-attr]
        callout = CALLOUT_RE.match(p.texts[j]) if j == k else None
        if callout is not None:
            at = callout.start("title")
        if p.texts[j][at:].strip():
            lines.append((j, at))
    if not lines:
        return None
    (first, at), *rest = lines
    draft = p.start_question(first, at, p.texts[first][at:])
    for j in range(k, sep):
        p.mark(j, Reading.QUESTION)
    for j, at in rest:
        p.add_question_line(j, p.texts[j][at:], at + 1)
    draft.strong = True
    return draft


BULLET_MARK_RE = lazy_pattern(r"[ \t]*[-*+][ \t]+")
QUOTED_SEPARATOR_RE = lazy_pattern(r"[ \t]*>[ \t]*(\?\??)[ \t]*$")


def quoted_card_rule(p: Reader, k: int) -> int | None:
    """A card written in a quote, every line opening with `>` (a vault's styling): a front,
    `> ?` (`> ??`: reversed), a back; read as the same card unquoted."""
    if not p.after_blank or not QUOTE_MARK_RE.match(p.texts[k]) or "[!" in p.texts[k][:8]:
        return None
    end = p.paragraph_end(k)
    if not all(QUOTE_MARK_RE.match(p.texts[j]) for j in range(k, end)):
        return None
    sep = next((j for j in range(k, end) if QUOTED_SEPARATOR_RE.match(p.texts[j])), None)
    if sep is None or sep == k or sep + 1 >= end:
        return None
    quoted = [QUOTE_MARK_RE.match(p.texts[j]).end() for j in range(k, end)]  # type: ignore[union-attr]
    draft = p.start_question(k, quoted[0], p.texts[k][quoted[0] :])
    for j in range(k + 1, sep):
        p.add_question_line(j, p.texts[j][quoted[j - k] :], quoted[j - k] + 1)
    draft.strong = True
    if QUOTED_SEPARATOR_RE.match(p.texts[sep])[1] == "??":  # type: ignore[index]
        draft.kind = NoteKind.REVERSED
    p.mark(sep, Reading.SEPARATOR)
    for j in range(sep + 1, end):
        p.mark(j, Reading.ANSWER)
    draft.markdown = "\n".join(p.texts[j][quoted[j - k] :] for j in range(sep + 1, end))
    draft.markdown_at = tuple(p.indices[sep + 1 : end])
    p.finish()
    return end


def back_after_separator(p: Reader, draft: Draft, sep: int) -> int:
    """The `?` line `sep` (`??`: the card is reversed), then the card's back up to a blank
    line; where reading goes on."""
    if p.texts[sep].strip() == "??":
        draft.kind = NoteKind.REVERSED
    p.mark(sep, Reading.SEPARATOR)
    last = back_end(p, sep + 1)
    give_answer(p, draft, sep + 1, last)
    if draft.markdown and all(QUOTE_MARK_RE.match(line) for line in draft.markdown.split("\n")):
        draft.markdown = unquoted_back(draft.markdown)
    p.finish()
    return last + 1


def unquoted_back(markdown: str) -> str:
    """A back written in a quote, as vaults style it, without its quote marks; a callout in
    it that only labels the answer (`> [!success]- Lösung`, or no title) gives its body. Its
    lines stay where they were (a callout's title line becomes blank)."""
    lines = _unquoted(markdown.split("\n"))
    callout = CALLOUT_RE.match(lines[0])
    title = callout["title"].strip() if callout is not None else ""
    if callout is None or (title and not ANSWER_SUMMARY_RE.fullmatch(title)):
        return "\n".join(lines)
    body = lines[1:]
    if not all(QUOTE_MARK_RE.match(line) or not line.strip() for line in body):
        return "\n".join(lines)
    return "\n".join(["", *_unquoted(body)])


def _unquoted(lines: list[str]) -> list[str]:
    """Lines without one level of quote marks."""
    return [line[m.end() :] if (m := QUOTE_MARK_RE.match(line)) else line for line in lines]


def inline_card_rule(p: Reader, k: int) -> int | None:
    """`front::back` or `front:::back` (reversed) on one line, spaces around `::` or not; or
    split by the separator the vault chose (`:=`). In a quote or a list (`> front::back`,
    `- front::back`), the quote mark or bullet is no part of the front."""
    text = p.texts[k]
    mark = QUOTE_MARK_RE.match(text) if "[!" not in text[:8] else None
    mark = mark or BULLET_MARK_RE.match(text)
    offset = mark.end() if mark else 0
    card = inline_card(text[offset:])
    if card is None and p.inline_separator:  # type: ignore[attr-defined]
        card = custom_inline_card(text[offset:], p.inline_separator)  # type: ignore[attr-defined]
    if card is None:
        return None
    draft = p.start_question(k, offset, card.front, Reading.ONE_LINER)
    draft.kind = NoteKind.REVERSED if card.reversed else NoteKind.BASIC
    back = card.back
    if "#" in back and (tags := TRAILING_TAGS_RE.search(back)):  # `… Python. #python`: tags
        draft.tags += [tag for tag in tags[0].split() if not CARD_TAG_RE.fullmatch(tag)]
        back = back[: tags.start()]  # (`#card` marks a card: no tag)
    draft.markdown, draft.markdown_at = back, (p.indices[k],)
    p.finish()
    return k + 1


def tagged_card_rule(p: Reader, k: int) -> int | None:
    """A card's front tagged at its end (`How to rename a branch? #card`, `## Rebase
    #card-reverse`; a heading over `#card` alone on the next line), its back the lines
    under it up to a blank line or the next tagged line (a code block whole).
    `reverse` in the tag adds the reversed card."""
    text = p.texts[k]
    tag = CARD_TAG_RE.search(text) if "#" in text else None
    if tag is None:
        return None
    front_line, front = k, text[: tag.start()].rstrip()
    if not front and k > p.start and (above := ATX_HEADING_RE.match(p.texts[k - 1])):
        front_line, front = k - 1, above["text"] or ""  # `## Front` over `#card` alone
    elif heading := ATX_HEADING_RE.match(front):
        front = heading["text"] or ""
    if not front.strip():
        return None
    last = id_bounded_back(p, k)
    if last is None:
        last = k
        while last + 1 < p.end and not p.is_blank(last + 1) and not _next_card(p, last + 1):
            last = (p.block_end(last + 1) if last + 1 in p.body.block_ends else None) or last + 1
    offset = p.texts[front_line].find(front.strip())
    draft = p.start_question(front_line, max(offset, 0), front)
    if front_line != k:
        p.mark(k, Reading.SEPARATOR)
    draft.strong = True
    draft.kind = NoteKind.REVERSED if "reverse" in tag["tag"].lower() else NoteKind.BASIC
    if last > k:
        draft.markdown = "\n".join(p.texts[k + 1 : last + 1])
        draft.markdown_at = tuple(p.indices[j] for j in range(k + 1, last + 1))
        for j in range(k + 1, last + 1):
            p.mark(j, Reading.ANSWER)
    p.finish()
    return last + 1


def _tagged(text: str) -> bool:
    """Whether a line is tagged as a card's front (`### Divergent, beschränkt #card`): the
    next card, which ends the back above it though no blank line parts them."""
    return "#" in text and CARD_TAG_RE.search(text) is not None


def _next_card(p: Reader, j: int) -> bool:
    """Whether line j is the next card's front: tagged, or a heading over `#card` alone."""
    if _tagged(p.texts[j]):
        return True
    if j + 1 >= p.end or not ATX_HEADING_RE.match(p.texts[j]) or not _tagged(p.texts[j + 1]):
        return False
    return not p.texts[j + 1][: CARD_TAG_RE.search(p.texts[j + 1]).start()].strip()


def _opens_card(p: Reader, j: int) -> bool:
    """Whether line j starts another card or section: a heading, or a tagged line."""
    return bool(ATX_HEADING_RE.match(p.texts[j]) or _tagged(p.texts[j]))


def id_bounded_back(p: Reader, k: int) -> int | None:
    """Where the back of the card tagged on line k ends when Obsidian_to_Anki wrote its note
    id under it: the last written line above that id, blank lines between included (the
    plugin's pattern runs to the id); None when no id follows before the next card or
    heading."""
    ids = p.file_fact("note ids", lambda: o2a_id_lines(p.source.lines))
    following = bisect.bisect_right(ids, p.indices[k])
    if following == len(ids):
        return None
    last = k
    for j in range(k + 1, p.end):
        if p.indices[j] > ids[following]:
            break
        if _opens_card(p, j):
            return None  # the next section or card comes first
        if p.texts[j].strip():
            last = j
    return last if last > k else None


def heading_cloze_rule(p: Reader, k: int) -> int | None:
    """A heading holding `==highlights==` (or `{{c1::…}}`) is a cloze card by itself, as the
    plugin reads any line holding them (`## ==90%== of bars are in a trading range`): its
    text, not its marks; it gives no context to the cards under it."""
    if p.texts[k][:1] != "#" or ("==" not in p.texts[k] and "{{" not in p.texts[k]):
        return None
    heading = ATX_HEADING_RE.match(p.texts[k])
    text = cloze.curly_as_highlights(heading["text"] or "") if heading else ""
    if not cloze.may_hold_cloze(text) or not cloze.has_cloze(cloze.written_highlights(text)):
        return None
    draft = p.start_question(k, heading.start("text"), text)  # type: ignore[union-attr]
    draft.strong = True
    draft.needs_answer = False
    p.finish()
    p.after_blank = True
    return k + 1


def cloze_paragraph_rule(p: Reader, k: int) -> int | None:
    """A paragraph with `==highlights==`, `{{c1::…}}` or the plugin's curly `{{…}}` is a
    cloze note by itself."""
    if not p.after_blank:
        return None
    end = p.paragraph_end(k)
    text = cloze.curly_as_highlights("\n".join(p.texts[k:end]))
    if not cloze.may_hold_cloze(text) or not cloze.has_cloze(cloze.written_highlights(text)):
        return None
    draft = p.front_from(k, end - 1)
    draft.question = [cloze.curly_as_highlights(line) for line in draft.question]
    draft.needs_answer = False
    p.finish()
    return end


O2A_FILE_LINE_RE = lazy_pattern(r"(?P<key>TARGET DECK|FILE TAGS)(?::[ \t]*(?P<value>.*))?$")


def o2a_file_line(texts: Sequence[str], k: int, end: int) -> tuple[str, str, int] | None:
    """Obsidian_to_Anki's `TARGET DECK` or `FILE TAGS` on line k, with its value after `: `
    or on the next written line: (the key, the value, the value's line); None if not one."""
    line = O2A_FILE_LINE_RE.match(texts[k].rstrip()) if texts[k][:1] in "TF" else None
    if line is None:
        return None
    if line["value"] is not None:
        return line["key"], line["value"].strip(), k
    if k + 1 < end and texts[k + 1].strip():
        return line["key"], texts[k + 1].strip(), k + 1
    return line["key"], "", k


def o2a_file_rule(p: Reader, k: int) -> int | None:
    """Obsidian_to_Anki's `TARGET DECK` (the deck of the file's notes) and `FILE TAGS` (tags
    of them all), their value after `: ` or on the next line."""
    found = o2a_file_line(p.texts, k, p.end)
    if found is None:
        return None
    key, value, last = found
    deck = key == "TARGET DECK"
    for j in range(k, last + 1):
        p.mark(j, Reading.FRONT_MATTER if deck else Reading.TAGS)
    if deck and value:
        p.title = value  # type: ignore[attr-defined]
    elif not deck:
        p.tags += value.split()
    return last + 1


# The fields of Anki's Basic note types, named in the languages of Anki's own interface: a
# vault writes them as its Anki names them (`Vorderseite:`, `Rückseite:`).
O2A_FRONT_RE = lazy_pattern(
    r"(?:Front|Vorderseite|Recto|Anverso|Fronte|Frente|Voorkant|Przód|Лицевая сторона|表面|正面)"
    r"[ \t]*:"
)
O2A_BACK_RE = lazy_pattern(
    r"(?:Back|Rückseite|Verso|Reverso|Retro|Achterkant|Tył|Оборотная сторона|裏面|背面)[ \t]*:"
)
# The reversed Basic note types, in those languages (`Einfach (beide Richtungen)`,
# `Basique (et carte inversée)`, `Básico (y tarjeta invertida)`).
O2A_REVERSED_RE = lazy_pattern(
    r"revers|umgekehrt|beide richtungen|invers|invertid|omgekeerd|odwrotn|обратн|両方向|反向|双向",
    re.IGNORECASE,
)


def o2a_block_rule(p: Reader, k: int) -> int | None:
    """Obsidian_to_Anki's `START`, a note type line, the front, `Back:` and the back, maybe
    `Tags:`, then `END`."""
    if p.texts[k].strip() == "END":  # blocks take their own `END`: a `START` is missing
        p.diagnostics.append(
            error(p.location(k), "`END` without its `START`: the card above it is not read")
        )
        return prose_rule(p, k)
    if p.texts[k].strip() != "START":
        return None
    end = next((j for j in range(k + 1, p.end) if p.texts[j].strip() in ("END", "START")), None)
    if end is None or p.texts[end].strip() != "END":
        p.diagnostics.append(
            error(p.location(k), "`START` without its `END`: this card is not read")
        )
        return prose_rule(p, k)
    p.mark(k, Reading.SEPARATOR)
    p.mark(end, Reading.SEPARATOR)
    kind_line = next((j for j in range(k + 1, end) if not p.is_blank(j)), end)
    note_type = p.texts[kind_line].strip() if kind_line < end else ""
    if kind_line < end:
        p.mark(kind_line, Reading.SEPARATOR)
    back = next((j for j in range(kind_line + 1, end) if O2A_BACK_RE.match(p.texts[j])), end)
    after = back if back < end else kind_line + 1
    tags = next((j for j in range(after, end) if p.texts[j].startswith("Tags:")), end)
    fields = custom_fields(p, kind_line, tags) if back == end else []
    front = [j for j in range(kind_line + 1, fields[0] if fields else back) if not p.is_blank(j)]
    if not front:
        p.diagnostics.append(error(p.location(k), "this card has no front"))
        return end + 1
    first = p.texts[front[0]]
    named = O2A_FRONT_RE.match(first)
    offset = named.end() if named else 0
    draft = p.start_question(front[0], offset, first[offset:])
    for j in front[1:]:
        p.add_question_line(j)
    draft.kind = NoteKind.REVERSED if O2A_REVERSED_RE.search(note_type) else NoteKind.BASIC
    if back < end:
        give_answer(p, draft, back, tags - 1)
        field = O2A_BACK_RE.match(draft.markdown or "")
        draft.markdown = (draft.markdown or "")[field.end() if field else 0 :].lstrip()
    elif fields:
        custom_back(p, draft, fields, tags)
    if tags < end:
        p.mark(tags, Reading.TAGS)
        draft.tags += p.texts[tags].removeprefix("Tags:").split()
    p.finish()
    return end + 1


O2A_FIELD_RE = lazy_pattern(r"(?P<name>[^\W\d_][\w ()'’-]{0,30}?)[ \t]*:(?:[ \t]+|$)")
"""A field's name opening a line of a block of the vault's own note type (`Explanation:`)."""


def custom_fields(p: Reader, kind_line: int, tags: int) -> list[int]:
    """The lines opening the fields after the first of a block of the vault's own note type
    (`School`: `Front:`, `Explaination:`, `Examples:`), which has no `Back:`: lines that
    open with a field's name after the front's first line. [] when there are none."""
    first = next((j for j in range(kind_line + 1, tags) if not p.is_blank(j)), tags)
    return [j for j in range(first + 1, tags) if O2A_FIELD_RE.match(p.texts[j])]


def custom_back(p: Reader, draft: Draft, fields: list[int], tags: int) -> None:
    """The back of a block of the vault's own note type: its fields after the first, those
    written (an empty one is left out); several, each a paragraph led by its name in bold,
    as no field of ankipress's note types holds them apart."""
    written: list[tuple[str, list[tuple[int, str]]]] = []
    for start, stop in zip(fields, [*fields[1:], tags], strict=True):
        label = O2A_FIELD_RE.match(p.texts[start])
        lines = [(start, p.texts[start][label.end() :])]  # type: ignore[union-attr]
        lines += [(j, p.texts[j]) for j in range(start + 1, stop)]
        while lines and not lines[-1][1].strip():
            lines.pop()
        if any(text.strip() for _, text in lines):
            written.append((label["name"], lines))  # type: ignore[index]
            for j, _ in lines:
                p.mark(j, Reading.ANSWER)
        else:
            p.mark(start, Reading.IGNORED)
    markdown: list[tuple[int, str]] = []
    for name, lines in written:
        if markdown:
            markdown.append((lines[0][0], ""))
        (first, text), *rest = lines
        text = text.strip()
        markdown += [(first, f"**{name}:** {text}" if len(written) > 1 else text), *rest]
    if markdown:
        draft.markdown = "\n".join(text for _, text in markdown)
        draft.markdown_at = tuple(p.indices[j] for j, _ in markdown)


def o2a_inline_rule(p: Reader, k: int) -> int | None:
    match = O2A_INLINE_RE.match(p.texts[k])
    if match is None:
        return None
    draft = p.start_question(k, match.start("front"), match["front"], Reading.ONE_LINER)
    draft.kind = NoteKind.REVERSED if "reverse" in match["type"].lower() else NoteKind.BASIC
    draft.markdown, draft.markdown_at = match["back"], (p.indices[k],)
    p.finish()
    return k + 1


def qa_card_rule(p: Reader, k: int) -> int | None:
    """`Q:` lines, then (blank lines allowed) `A:` lines up to a blank line."""
    match = FORCED_RE.match(p.texts[k])
    if match is None or label_kind(match) != "Q":
        return None
    answer = next((j for j in range(k + 1, p.end) if FORCED_RE.match(p.texts[j])), None)
    if answer is None or label_kind(FORCED_RE.match(p.texts[answer])) not in "AR":  # type: ignore[arg-type]
        return None
    draft = p.start_question(k, match.start("text"), match["text"])
    for j in range(k + 1, answer):
        if not p.is_blank(j):
            p.add_question_line(j)
    last = back_end(p, answer)
    give_answer(p, draft, answer, last)
    draft.markdown = FORCED_RE.sub(r"\g<text>", draft.markdown or "", count=1)
    p.finish()
    return last + 1


def ruled_chunk_rule(p: Reader, k: int) -> int | None:
    """markdown-flashcards: a card between two horizontal rules, front and back split by a
    line holding only `?`, blank lines allowed anywhere in it."""
    if RULE_LINE_RE.match(p.texts[k]) or ATX_HEADING_RE.match(p.texts[k]):
        return None
    end = k
    while end < p.end and not (
        end not in p.body.in_block
        and (RULE_LINE_RE.match(p.texts[end]) or ATX_HEADING_RE.match(p.texts[end]))
    ):
        end = (p.block_end(end) or end) + 1
    sep = next(
        (
            j
            for j in range(k, end)
            if j not in p.body.in_block and SEPARATOR_LINE_RE.match(p.texts[j])
        ),
        None,
    )
    front = [j for j in range(k, sep) if not p.is_blank(j)] if sep is not None else []
    if not front:
        first = next((j for j in range(k, end) if not p.is_blank(j)), None)
        if first is not None:
            p.diagnostics.append(
                warning(
                    p.location(first),
                    "this text is no card (no front and `?` line between two rules); "
                    "it is left out",
                )
            )
        for j in range(k, end):
            p.mark(j, Reading.IGNORED if not p.is_blank(j) else Reading.BLANK)
        return end
    draft = p.front_of(front)
    if p.texts[sep].strip() == "??":
        draft.kind = NoteKind.REVERSED
    p.mark(sep, Reading.SEPARATOR)
    give_answer(p, draft, sep + 1, end - 1)
    p.finish()
    return end


def ankdown_end_rule(p: Reader, k: int) -> int | None:
    """ankdown: a `---` (or `%%`) line alone ends a card."""
    return card_end(p, k, CARD_END_RE)


def card_end(p: Reader, k: int, line: re.Pattern[str]) -> int | None:
    """A line that ends a card (a rule): the card before it is done."""
    if not line.match(p.texts[k]):
        return None
    p.finish()
    p.mark(k, Reading.SEPARATOR)
    return k + 1


def ankdown_card_rule(p: Reader, k: int) -> int | None:
    """ankdown: a card's fields split by `%` lines, up to the line that ends it: the front
    (its lines), the back (full Markdown), then its tags (split by commas, else spaces)."""
    end, fields = k, []
    while end < p.end and (end in p.body.in_block or not CARD_END_RE.match(p.texts[end])):
        if end not in p.body.in_block and FIELD_SEPARATOR_RE.match(p.texts[end]):
            fields.append(end)
        end += 1
    if not fields or len(fields) > 2:
        return None
    front = [j for j in range(k, fields[0]) if not p.is_blank(j)]
    if not front:
        return None
    draft = p.front_of(front)
    for sep in fields:
        p.mark(sep, Reading.SEPARATOR)
    give_answer(p, draft, fields[0] + 1, (fields[1] if len(fields) > 1 else end) - 1)
    if len(fields) > 1:
        words = " ".join(p.texts[fields[1] + 1 : end])
        draft.tags += [t for t in re.split(r"," if "," in words else r"\s+", words) if t.strip()]
        for j in range(fields[1] + 1, end):
            p.mark(j, Reading.COMMENT if not p.is_blank(j) else Reading.BLANK)
    p.finish()
    return end


def rule_line_rule(p: Reader, k: int) -> int | None:
    """markdown-flashcards: a horizontal rule ends a card."""
    return card_end(p, k, RULE_LINE_RE)


def logseq_property_rule(p: Reader, k: int) -> int | None:
    """Page and block properties (`tags:: …`, `collapsed:: true`, Logseq's `card-…::`
    review schedule) are no text; the page's own `tags::` tag its notes, and its `deck::`
    (the Anki plugin's) names their deck."""
    text = p.texts[k]
    if "::" not in text or not LOGSEQ_PROPERTY_RE.match(text):
        return None
    key, _, value = text.partition("::")
    key = key.strip().casefold()
    if text[:1] not in " \t" and not p.drafts and key in ("tags", "deck"):  # the page's
        p.mark(k, Reading.TAGS if key == "tags" else Reading.FRONT_MATTER)
        names = [name.strip().removeprefix("[[").removesuffix("]]") for name in value.split(",")]
        if key == "tags":
            p.tags += [name.lstrip("#") for name in names if name]
        elif value.strip():
            p.title = value.strip().removeprefix("[[").removesuffix("]]").strip()
        return k + 1
    p.mark(k, Reading.IGNORED)
    return k + 1


def logseq_card_rule(p: Reader, k: int) -> int | None:
    """A Logseq block tagged `#card` (or `#flashcard`), or holding a `{{cloze …}}`: the block
    is the front (each `{{cloze …}}` a deletion), its child blocks the back. A card without
    children or cloze has no back: left out, said."""
    block = LOGSEQ_BLOCK_RE.match(p.texts[k])
    if block is None or not is_logseq_card(p.texts[k]):
        return None
    width = indent_width(block["indent"])
    front = [k]
    j = k + 1
    while j < p.end and p.texts[j].strip() and _logseq_depth(p.texts[j]) > width:
        if LOGSEQ_BLOCK_RE.match(p.texts[j]):
            break  # the first child block
        if (closed := drawer_end(p, j)) is not None:
            for i in range(j, closed + 1):
                p.mark(i, Reading.IGNORED)
            j = closed + 1
            continue
        if LOGSEQ_PROPERTY_RE.match(p.texts[j]):
            p.mark(j, Reading.IGNORED)
        else:
            front.append(j)
        j += 1
    last = _logseq_children_end(p, j, width)
    is_cloze = any(LOGSEQ_CLOZE_RE.search(p.texts[i]) for i in front)
    if last < j and not is_cloze:
        p.diagnostics.append(
            warning(
                p.location(k),
                "this Logseq card has no child blocks, so no back; it is left out "
                "(indent its answer under it)",
            )
        )
        for i in front:
            p.mark(i, Reading.IGNORED)
        return j
    front_text = LOGSEQ_CARD_TAG_RE.sub("", block["text"]).strip()
    # A block written as a heading (`- ## 3. What is AMS? #card`): its text, not its marks
    marks = LOGSEQ_HEADING_MARKS_RE.match(front_text)
    offset = block.start("text") + (marks.end() if marks else 0)
    front_text = front_text[marks.end() :] if marks else front_text
    draft = p.start_question(k, offset, front_text)
    for i in front[1:]:
        p.add_question_line(i)
    draft.question[:] = [
        LOGSEQ_CLOZE_RE.sub(r"{{c1::\1}}", logseq_styling_out(line)) for line in draft.question
    ]
    draft.strong = True
    draft.needs_answer = not is_cloze
    if last >= j:
        back, draft.markdown_at = _logseq_back(p, j, last)
        draft.markdown = logseq_styling_out(back)
    p.finish()
    return max(last, j - 1) + 1


def logseq_styling_out(text: str) -> str:
    """A Logseq block's text without the marks that only style it: `==text==` highlights
    (no deletions: Logseq's are `{{cloze …}}`), a highlight's colour before it (`[[#red]]`)
    and an image's size after it (`{:height 370, :width 749}`)."""
    if "{:" in text:
        text = LOGSEQ_IMAGE_SIZE_RE.sub("", text)
    if "==" not in text:
        return text
    return cloze.without_highlights(LOGSEQ_HIGHLIGHT_COLOUR_RE.sub("", text))


LOGSEQ_IMAGE_SIZE_RE = lazy_pattern(r"(?<=\))\{:[ \t]*(?::?(?:height|width)[ \t]+\d+[ \t,]*)+\}")
LOGSEQ_HIGHLIGHT_COLOUR_RE = lazy_pattern(r"\[\[#[a-z]+\]\](?===)")


def _logseq_depth(text: str) -> int:
    return indent_width(text[: len(text) - len(text.lstrip(" \t"))])


def _logseq_children_end(p: Reader, k: int, width: int) -> int:
    """The last line of the blocks under a block indented `width` (k - 1 if none): deeper
    lines, blank ones between them."""
    last = k - 1
    while k < p.end:
        if p.texts[k].strip():
            if _logseq_depth(p.texts[k]) <= width:
                break
            last = k
        k += 1
    return last


def _logseq_back(p: Reader, first: int, last: int) -> tuple[str, tuple[int, ...]]:
    """Child blocks first..last as Markdown: one child alone as its text, several as a list
    nested as they are; a block's further lines (code among them) under its item."""
    alone = sum(1 for j in range(first, last + 1) if LOGSEQ_BLOCK_RE.match(p.texts[j])) == 1
    lines: list[str] = []
    at: list[int] = []
    widths: list[int] = []
    item_indent, depth = "", 0
    drawer = -1  # the last line of the drawer being passed
    for j in range(first, last + 1):
        text = p.texts[j]
        if j > drawer and (closed := drawer_end(p, j)) is not None:
            drawer = closed
        if j <= drawer:
            p.mark(j, Reading.IGNORED)
            continue
        block = LOGSEQ_BLOCK_RE.match(text)
        if block is not None:
            width = indent_width(block["indent"])
            while widths and widths[-1] > width:
                widths.pop()
            if not widths or widths[-1] < width:
                widths.append(width)
            item_indent, depth = block["indent"], len(widths) - 1
            body = block["text"] or ""
            lines.append(body if alone else "  " * depth + "- " + body)
        elif LOGSEQ_PROPERTY_RE.match(text):
            p.mark(j, Reading.IGNORED)
            continue
        else:
            prefix = item_indent + "  "  # where Logseq writes a block's further lines
            rest = text[len(prefix) :] if text.startswith(prefix) else text.lstrip(" \t")
            if not alone and rest.strip():
                rest = "  " * depth + "  " + rest
            lines.append(rest)
        p.mark(j, Reading.ANSWER if text.strip() else Reading.BLANK)
        at.append(p.indices[j])
    return "\n".join(lines), tuple(at)


@dataclass(frozen=True)
class RowLayout:
    """How the rows of a delimited text file are read, from its `#key:value` headers."""

    separator: str
    reversed: bool = False
    """`#notetype:` names a reversed note type: each row makes two cards."""
    tag_column: int | None = None
    """The column (from 0) holding each row's tags."""
    skipped: frozenset[int] = frozenset()
    """Columns that are no field: Anki's GUID, note type and deck columns."""
    notetype_column: int | None = None
    """The column naming each row's note type (a reversed one makes two cards)."""
    deck_column: int | None = None
    """The column naming each row's deck."""
    fields_in: FieldFormat = FieldFormat.MARKDOWN
    """What the fields are written in: Markdown, or, under Anki's `#html:` header, HTML
    (`true`) or plain text (`false`), as Anki reads them."""
    id_column: bool = False
    """The first column numbers the rows (1, 2, 3, …): a spreadsheet's ids, no field."""
    width: int | None = None
    """The rows' usual number of fields, in a file whose separator was recognised from its
    rows and whose columns no header names: a row split into more holds the separator in
    its last field, typed without quotes (`Question ?;réponse; suite`)."""
    tags_last: bool = False
    """The last of the `width` fields holds each row's tags (`tags_in_last_field`); a row
    split into more holds the separator in its back."""
    front_column: int | None = None
    """The column a first row naming the columns names as the fronts' (`ID	Front	Back`)."""
    back_column: int | None = None
    """The column it names as the backs': the back's first paragraph."""


def row_layout(body: Body, separator: str) -> RowLayout:
    """A delimited file's layout: its separator (as recognised with the format; looked for
    when front matter forced the format) and what its headers say of its columns."""
    separator = separator or delimited_separator(body.texts)[0] or "\t"
    reversed_, tag_column, skipped, columns = False, None, set(), {}
    fields_in, declared = FieldFormat.MARKDOWN, False
    for text in body.texts:
        header = ANKI_HEADER_RE.match(text) if text.startswith("#") else None
        if header is None:
            if text.strip():
                break  # the headers stand above the rows
            continue
        key, value = header["key"].casefold(), header["value"].strip()
        declared = declared or key == "separator" or key.endswith("column")
        if key == "notetype":
            reversed_ = is_reversed_type(value)
        elif key == "html":
            fields_in = FieldFormat.HTML if value.casefold() == "true" else FieldFormat.TEXT
        elif key.endswith(" column") and value.isdigit() and int(value) > 0:
            if key == "tags column":
                tag_column = int(value) - 1
            else:
                skipped.add(int(value) - 1)
                columns[key] = int(value) - 1
    width, numbered, tags_last, front_column, back_column = None, False, False, None, None
    if len(separator) == 1 and not declared:
        rows = [t for t in body.texts if t.strip() and not ANKI_HEADER_RE.match(t)]
        width = usual_width(rows[1:] if rows and separator not in rows[0] else rows, separator)
        names = column_names(rows[0], separator) if rows else None
        if names is not None:  # the first row says what each column holds
            skipped |= {i for i, name in enumerate(names) if name in ID_COLUMNS}
            tag_column = next((i for i, n in enumerate(names) if n in TAG_COLUMNS), None)
            front_column = next((i for i, n in enumerate(names) if n in FRONT_COLUMNS), None)
            back_column = next((i for i, n in enumerate(names) if n in BACK_COLUMNS), None)
        else:
            numbered = numbered_rows(rows, separator)
        if width and not numbered and tag_column is None and names is None:
            tags_last = tags_in_last_field(rows, separator, width)
            tag_column = width - 1 if tags_last else None
    return RowLayout(
        separator,
        reversed_,
        tag_column,
        frozenset(skipped),
        columns.get("notetype column"),
        columns.get("deck column"),
        fields_in,
        numbered,
        width,
        tags_last,
        front_column,
        back_column,
    )


def column_names(first_row: str, separator: str) -> list[str] | None:
    """The names a delimited file's first row gives its columns, casefolded (`Front`,
    `Back`, `Tags`), or None when that row is no such header."""
    try:
        fields = next(csv.reader([first_row + "\n"], delimiter=separator))
    except (csv.Error, StopIteration):
        return None
    if not is_header_row(fields):
        return None
    return [field.strip().casefold() for field in fields]


def is_reversed_type(name: str) -> bool:
    """A note type making a card each way (`Basic (and reversed card)`, `Umgedreht`)."""
    return "revers" in name.casefold() or "umgedreht" in name.casefold()


def anki_header_rule(p: Reader, k: int) -> int | None:
    """Anki's `#separator:tab`, `#html:true`, `#tags:…`, `#deck:…` headers above the rows:
    how to read them, no note."""
    text = p.texts[k]
    header = ANKI_HEADER_RE.match(text) if text.startswith("#") and not p.drafts else None
    if header is None:
        return None
    p.mark(k, Reading.FRONT_MATTER)
    key, value = header["key"].casefold(), header["value"].strip()
    if key == "html" and value.casefold() == "true":
        p.allow_html = True
        p.diagnostics.append(
            warning(
                p.location(k),
                "this file lets raw HTML through (`#html:true`): any script in it reaches "
                "the cards; keep it only if you trust every line of this file",
            )
        )
    elif key == "tags":
        p.tags += value.split()
    elif key == "deck" and value:
        p.title = value
    elif key == "separator" and not header_separator(value):
        p.diagnostics.append(error(p.location(k), f"unknown separator `{value}`"))
    return k + 1


def delimited_row_rule(p: Reader, k: int) -> int | None:
    """A row: its first field is the front, the next ones the back (Markdown), split by the
    file's separator; a quoted field (`"…"`) may hold the separator and span lines. A first
    line without the separator names the deck."""
    layout: RowLayout = p.layout  # type: ignore[attr-defined]
    try:
        fields, last = split_row(p, k, layout.separator)
    except RowError as problem:
        p.diagnostics.append(error(p.location(k), f"this row cannot be read: {problem}"))
        p.mark(k, Reading.IGNORED)
        return k + 1
    if layout.width and len(fields) > layout.width:
        width, joined = layout.width, layout.separator.join
        if layout.tags_last:  # the tags last: the separator was typed in the back
            fields = [*fields[: width - 2], joined(fields[width - 2 : -1]), fields[-1]]
        else:
            fields = [*fields[: width - 1], joined(fields[width - 1 :])]
    if not p.drafts and is_header_row(fields):
        # A spreadsheet's first row naming its columns (`Front,Back`): no note.
        for j in range(k, last + 1):
            p.mark(j, Reading.FRONT_MATTER)
        return last + 1
    if layout.id_column:
        fields = fields[1:]
    if layout.fields_in is FieldFormat.MARKDOWN and not p.html_said:  # type: ignore[attr-defined]
        p.diagnostics += html_as_text(p, k, fields)
    for j in range(k, last + 1):
        p.mark(j, Reading.ANSWER if j > k else Reading.ONE_LINER)
    if len(fields) < 2:
        sentence = p.texts[k].strip()
        if not p.drafts and len(sentence) >= LONG_TITLE and sentence.endswith(SENTENCE_ENDS):
            p.mark(k, Reading.IGNORED)  # a sentence introducing the rows: no deck's name
            p.diagnostics.append(warning(p.location(k), INTRODUCES))
            return last + 1
        if not p.drafts and p.title is None:
            title = p.texts[k].strip().lstrip("#").strip()  # a title line or a `# Title`
            target = o2a_file_line([title], 0, 1)  # or Obsidian_to_Anki's `TARGET DECK: …`
            if target is not None and target[0] == "TARGET DECK" and target[1]:
                title = target[1]
            p.title = title
            p.mark(k, Reading.TITLE)
            return last + 1
        name = SEPARATOR_TITLES.get(layout.separator, f"`{layout.separator.strip()}`")
        p.diagnostics.append(
            error(p.location(k), f"this row has no {name} between its front and its back")
        )
        return last + 1
    tags = fields[layout.tag_column].split() if layout.tag_column in range(len(fields)) else []
    columns = [i for i in range(len(fields)) if i not in layout.skipped and i != layout.tag_column]
    for position, named in enumerate((layout.front_column, layout.back_column)):
        if named in columns:  # as the first row names the columns: `gloss	question	answer`
            columns.remove(named)
            columns.insert(position, named)
    kept = [fields[i] for i in columns]
    if not kept or not kept[0].strip():
        p.diagnostics.append(error(p.location(k), "this row has no front"))
        return last + 1
    front, *backs = kept
    place = _places(p, k, last)
    front_lines = front.strip().split("\n")
    at, col = place(front_lines[0])
    draft = p.start_question(at, col - 1, front_lines[0], Reading.ONE_LINER)
    for line in front_lines[1:]:
        at, col = place(line)
        draft.question.append(line.strip())
        draft.question_at.append((p.indices[at], col))
    # Several back fields are paragraphs of the back (in HTML, a blank line is no break).
    joiner = "<br><br>" if layout.fields_in is FieldFormat.HTML else "\n\n"
    back = joiner.join(b.strip() for b in backs if b.strip())
    draft.markdown = back
    draft.markdown_at = tuple(p.indices[place(line)[0]] for line in back.split("\n"))
    reversed_ = layout.reversed
    if layout.notetype_column in range(len(fields)):
        reversed_ = is_reversed_type(fields[layout.notetype_column])
    draft.kind = NoteKind.REVERSED if reversed_ else NoteKind.BASIC
    if layout.deck_column in range(len(fields)) and fields[layout.deck_column].strip():
        draft.deck = fields[layout.deck_column].strip()
    draft.fields_in = layout.fields_in
    draft.page_links = False  # no vault's rows: `[[Prototype]]` is text
    draft.strong = True
    draft.tags += tags
    p.finish()
    return last + 1


def split_row(p: Reader, k: int, separator: str) -> tuple[list[str], int]:
    """The fields of the row starting at line k, and its last line."""
    if len(separator) > 1:  # a word list's ` - `: no quoting
        return split_spaced(p.texts[k], separator), k
    lines = (text + "\n" for text in p.texts[k : p.end])
    reader = csv.reader(lines, delimiter=separator, quotechar='"', strict=False)
    try:
        fields = next(reader, [])
    except csv.Error as problem:  # a field past the csv module's limit (128 KB)
        raise RowError(str(problem)) from None
    return fields, k + max(reader.line_num, 1) - 1


class RowError(ValueError):
    """A row that cannot be split into fields."""


def _places(p: Reader, first: int, last: int) -> Callable[[str], tuple[int, int]]:
    """Where each next piece of a row stands: (line, column), found in order."""
    cursor = [first]

    def place(text: str) -> tuple[int, int]:
        text = text.strip()
        for j in range(cursor[0], last + 1):
            col = p.texts[j].find(text)
            if col >= 0:
                cursor[0] = j
                return j, col + 1
        return cursor[0], 1

    return place


HTML_TAG_RE = lazy_pattern(
    r"</?(?:b|i|u|s|em|strong|font|span|div|p|br|img|sub|sup|ul|ol|li|table|tr|td|code|pre|a)\b[^>]*>",
    re.IGNORECASE,
)
"""An HTML tag of the kind Anki's editor writes into fields."""


def html_as_text(p: Reader, k: int, fields: Sequence[str]) -> list[Diagnostic]:
    """A warning at the first row of a file holding HTML, which is shown as text (the file
    does not say that its fields are HTML): once a file."""
    tag = next((m for f in fields if "<" in f and (m := HTML_TAG_RE.search(f))), None)
    if tag is None:
        return []
    p.html_said = True  # type: ignore[attr-defined]
    message = (
        f"this row holds HTML (`{tag[0]}`), shown as text, as is all HTML in this file; if it "
        "comes from Anki with its HTML, put `#html:true` on a line above the rows"
    )
    return [warning(p.location(k), message)]


CARD_READINGS = frozenset(
    {Reading.QUESTION, Reading.ANSWER, Reading.ONE_LINER, Reading.CLOZE, Reading.SEPARATOR}
)


def unread_reviews(p: Reader) -> list[Diagnostic]:
    """A warning at each line an Obsidian Spaced Repetition review comment follows that is
    no card here: the plugin scheduled a card there, written in a way not read (its
    separator chosen in the vault's settings, say)."""
    return [
        warning(
            p.source.location(i),
            "a review comment of Obsidian's Spaced Repetition plugin follows this line, but it "
            "is no card here; if your vault sets its own separator, write the cards with `::` "
            "or a `?` line",
        )
        for i in reviewed_lines(p.source.lines)
        if p.readings.get(i) not in CARD_READINGS
    ]


def unread_ids(p: Reader) -> list[Diagnostic]:
    """Text left out right above an Obsidian_to_Anki note id: a note the plugin made (by a
    note type of the vault's own) that ankipress does not read. Said once a file."""
    lines = p.source.lines
    left_out = []
    for index in p.file_fact("note ids", lambda: o2a_id_lines(lines)):
        above = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
        if above is not None and p.readings.get(above) is Reading.IGNORED:
            left_out.append(above)
    if not left_out:
        return []
    others = f", as are {len(left_out) - 1} more like it" if len(left_out) > 1 else ""
    message = (
        "this text stands above an Obsidian_to_Anki note id (`<!--ID: …-->`), so the plugin "
        f"made a note of it, but it is no card ankipress reads: it is left out{others}; "
        "write it as a `START`…`END` card or as `front :: back`"
    )
    return [warning(p.source.location(left_out[0]), message)]


class CardReader(Reader):
    """Reads the cards of one tool's format; whatever is no card is left out."""

    RULES: ClassVar[dict[str, tuple[Callable[[Reader, int], int | None], ...]]] = {
        OBSIDIAN_SR: (
            blank_rule,
            heading_cloze_rule,
            heading_card_rule,
            section_rule,
            tags_rule,
            separated_card_rule,
            quoted_card_rule,
            dataview_field_rule,
            inline_card_rule,
            cloze_paragraph_rule,
            note_in_prose_rule,
            prose_rule,
        ),
        OBSIDIAN_TO_ANKI: (
            blank_rule,
            o2a_file_rule,
            section_rule,
            o2a_block_rule,
            o2a_inline_rule,
            qa_card_rule,
            dataview_field_rule,
            inline_card_rule,  # the plugin's custom note type for `front::back` lines
            note_in_prose_rule,
            prose_rule,
        ),
        LOGSEQ: (
            blank_rule,
            logseq_property_rule,
            logseq_card_rule,
            prose_rule,
        ),
        DELIMITED: (
            blank_rule,
            anki_header_rule,
            delimited_row_rule,
        ),
        MARKDOWN_FLASHCARDS: (
            rule_line_rule,
            section_rule,
            ruled_chunk_rule,
            prose_rule,
        ),
        ANKDOWN: (
            ankdown_end_rule,
            blank_rule,
            ankdown_card_rule,
            prose_rule,
        ),
        TAGGED_CARDS: (
            blank_rule,
            o2a_file_rule,
            inline_card_rule,  # `front::back #card`: the plugin's one-line cards
            tagged_card_rule,
            section_rule,
            prose_rule,
        ),
    }

    def __init__(self, source, body, fmt: Format) -> None:
        super().__init__(source, body)
        self.rules = self.RULES[fmt.name]
        self.title: str | None = None
        """The deck name the file gives (a delimited file's `#deck:` header or title line)."""
        self.allow_html = False
        """Whether the file lets raw HTML through (a delimited file's `#html:true`)."""
        self.layout = row_layout(body, fmt.separator) if fmt.name == DELIMITED else None
        self.html_said = False
        """Whether a row holding HTML shown as text was said (once a file)."""
        self.inline_separator = fmt.separator if fmt.name == OBSIDIAN_SR else ""
        """The one-line cards' separator the vault chose (`custom_separator`), if any."""
        self.multiline_separator = fmt.multiline
        self.reviewed = fmt.name == OBSIDIAN_SR

    def read(self) -> Reader:
        super().read()
        if self.reviewed:
            self.diagnostics += unread_reviews(self)
        self.diagnostics += unread_ids(self)
        return self
