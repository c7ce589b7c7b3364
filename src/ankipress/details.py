"""HTML `<details>` blocks, as GitHub pages fold questions and answers. Pure.

Two shapes are common: the question in the `<summary>` and its answer folded under it
(`<details><summary>What is a closure?</summary>` … `</details>`), and a question written
above a block whose summary only labels the answer (`<summary>Answer</summary>`,
`<summary>Voir la réponse</summary>`). The tags are not shown on the cards (they would be
shown as text: HTML is not let through); what they hold is read as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .patterns import lazy_pattern

DETAILS_OPEN_RE = lazy_pattern(r" {0,3}<details(?:\s[^>]*)?>", re.IGNORECASE)
# A block standing in another may be indented as deep as its author liked.
NESTED_OPEN_RE = lazy_pattern(r"[ \t]*<details(?:\s[^>]*)?>", re.IGNORECASE)
_OPEN_RE = lazy_pattern(r"<details(?:\s[^>]*)?>", re.IGNORECASE)
_CLOSE_RE = lazy_pattern(r"</details\s*>", re.IGNORECASE)
# A line closing a block and nothing else (the dressing tags aside): `</details>`, `</b></details>`.
CLOSE_LINE_RE = lazy_pattern(
    r"[ \t]*(?:</?(?:br|b|strong|p)\s*/?>[ \t]*)*</details\s*>[ \t]*", re.I
)
_SUMMARY_OPEN_RE = lazy_pattern(r"<summary(?:\s[^>]*)?>", re.IGNORECASE)
_SUMMARY_CLOSE_RE = lazy_pattern(r"</summary\s*>", re.IGNORECASE)
_TAG_RE = lazy_pattern(r"</?[a-zA-Z][^<>]*>")
# The tags that only dress a block's text (`<br>`, `<b>` around an answer): left out.
_DRESS_RE = lazy_pattern(r"</?(?:br|b|strong|p|hr|em|i)\s*/?>", re.IGNORECASE)
# A summary that labels the answer folded under it rather than asking.
_ANSWER_WORDS = (
    r"(?:answers?|answears?|anwsers?|awnsers?"  # (the last three as some type it)
    r"|réponses?|reponses?|solutions?|respuestas?|respostas?|risposta|antwort(?:en)?"
    r"|lösung(?:en)?|correction|corrigé|explanation|explication|antwoord(?:en)?|oplossing"
    r"|odpowiedź|odpowiedz|rozwiązanie|odpověď|svar|vastaus|cevap|yanıt|jawaban|đáp án"
    r"|ответы?|решение|відповідь|参考答案|答案(?:解析)?|解析|答|回答|解答|答え|正解|답변?|정답|해설|풀이)"
)
ANSWER_SUMMARY_RE = lazy_pattern(
    r"(?:[^\w\s]{1,3}[ \t]*)?"  # a pictograph before it (`✅ Answer`)
    r"(?:show |see |voir |ver |mostrar |zeige |показать |посмотреть |点击查看|查看|展开)?"
    r"(?:the |la |las |die |a )?"
    rf"{_ANSWER_WORDS}(?:[ \t]*(?:&|and|et|y|e|und|/|\+)[ \t]*{_ANSWER_WORDS})?"  # `& Explanation`
    r"(?:[ \t]*(?:보기|확인|を見る|を表示|表示))?"  # its verb after it (`정답 보기`)
    r"(?:[ \t]*[:.!\-–→>)：]*[ \t]*)$"
    r"|click(?: here)? to (?:see|show|expand|reveal|view)\b.*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Details:
    """A `<details>` block: its summary's text and where it is, the lines it folds (each with
    its position, tags and the common indentation taken off), and its last line."""

    summary: str
    summary_at: int
    body: tuple[tuple[int, str], ...]
    end: int
    summary_end: int = 0
    """The line closing the summary."""
    holds_details: bool = False
    """Other `<details>` blocks stand in it: it only groups them (`Questions`, `Question 1`)."""

    @property
    def labels_answer(self) -> bool:
        return ANSWER_SUMMARY_RE.fullmatch(self.summary.strip("*_ \t")) is not None

    @property
    def markdown(self) -> str:
        return "\n".join(text for _, text in self.body)


def read_details(texts: Sequence[str], k: int, end: int, nested: bool = False) -> Details | None:
    """The `<details>` block opening at line k and closed before `end`, with a summary; None
    when the line opens none, or the block has no summary or is never closed. A `nested`
    block may be indented deeper than a block of its own."""
    opening = (NESTED_OPEN_RE if nested else DETAILS_OPEN_RE).match(texts[k])
    if opening is None:
        return None
    rest, j = texts[k][opening.end() :], k
    while not rest.strip():  # the summary may stand on the next line
        j += 1
        if j >= end:
            return None
        rest = texts[j]
    summary_open = _SUMMARY_OPEN_RE.match(rest.lstrip())
    if summary_open is None:
        return None
    summary_at = j
    rest = rest.lstrip()[summary_open.end() :]
    summary: list[str] = []
    while (close := _SUMMARY_CLOSE_RE.search(rest)) is None:
        summary.append(rest)
        j += 1
        if j >= end:
            return None
        rest = texts[j]
    summary.append(rest[: close.start()])
    rest, summary_end = rest[close.end() :], j
    body: list[tuple[int, str]] = []
    depth, nested = 1, False
    while True:
        for tag in re.finditer(f"{_OPEN_RE.pattern}|{_CLOSE_RE.pattern}", rest, re.IGNORECASE):
            depth += -1 if tag[0][1] == "/" else 1
            nested = nested or depth > 1
            if depth == 0:
                body.append((j, rest[: tag.start()]))
                text = " ".join(_TAG_RE.sub("", line).strip() for line in summary).strip()
                return Details(text, summary_at, _cleaned(body), j, summary_end, nested)
        body.append((j, rest))
        j += 1
        if j >= end:
            return None
        rest = texts[j]


def _cleaned(body: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """The folded lines without the tags dressing them, nested blocks' tags and labelling
    summaries, blank lines at both ends, and their common indentation."""
    lines = []
    for at, text in body:
        original = text
        text = _OPEN_RE.sub("", _CLOSE_RE.sub("", text))
        text = _DRESS_RE.sub("", text)
        nested = _SUMMARY_OPEN_RE.search(text)
        if nested is not None:  # a nested block's summary: its text in bold, unless a label
            inner = _TAG_RE.sub("", text).strip()
            text = "" if ANSWER_SUMMARY_RE.fullmatch(inner.strip("*_ ")) else f"**{inner}**"
        if text.strip() or not original.strip():
            lines.append((at, text.rstrip()))
    while lines and not lines[0][1].strip():
        lines.pop(0)
    while lines and not lines[-1][1].strip():
        lines.pop()
    indent = min((len(t) - len(t.lstrip()) for _, t in lines if t.strip()), default=0)
    return tuple((at, t[indent:]) for at, t in lines)


def unfold(texts: Sequence[str], kept: Sequence[int]) -> tuple[list[tuple[int, str]], list[int]]:
    """The lines `kept` (positions, rising) with each `<details>` block among them unfolded:
    its summary in bold (none when it only labels the answer), then its folded lines. Also
    the positions of the lines left out (the tags)."""
    lines: list[tuple[int, str]] = []
    left_out: list[int] = []
    i = 0
    while i < len(kept):
        j = kept[i]
        block = read_details(texts, j, kept[-1] + 1) if "<" in texts[j][:4] else None
        if block is None:
            lines.append((j, texts[j]))
            i += 1
            continue
        if not block.labels_answer and block.summary:
            lines.append((block.summary_at, f"**{block.summary}**"))
        body = {at for at, _ in block.body}
        lines.extend(block.body)
        while i < len(kept) and kept[i] <= block.end:
            if kept[i] not in body and (kept[i] != block.summary_at or block.labels_answer):
                left_out.append(kept[i])
            i += 1
    return lines, left_out


def asked_in(texts: Sequence[str], block: Details) -> tuple[list[int], Details] | None:
    """In a block that holds others (`<summary>Question 1</summary>`), the question written
    in it above a block labelling its answer: the question's lines and that answer block.
    None when the block holds no such pair (it only groups blocks)."""
    question: list[int] = []
    for j in range(block.summary_end + 1, block.end):
        inner = read_details(texts, j, block.end + 1) if "<" in texts[j][:8] else None
        if inner is not None:
            return (question, inner) if question and inner.labels_answer else None
        if texts[j].strip() and not _TAG_RE.fullmatch(texts[j].strip()):
            question.append(j)
    return None


def with_follow_ups(
    texts: Sequence[str], block: Details
) -> tuple[tuple[tuple[int, str], ...], list[Details]] | None:
    """A block whose summary asks, answered by its own folded text, with follow-up questions
    folded in it as blocks of their own (an interview's `<summary>Follow-up: …</summary>`):
    the block's own lines (without the follow-ups) and the follow-ups. None when the block
    has no text of its own (it only groups blocks) or a summary only labels an answer."""
    if not block.summary or block.labels_answer:
        return None
    inner: list[Details] = []
    taken: set[int] = set()
    j = block.summary_end + 1
    while j < block.end:
        found = read_details(texts, j, block.end + 1, nested=True) if "<" in texts[j] else None
        if found is None:
            j += 1
            continue
        if not found.summary or found.labels_answer:
            return None
        inner.append(found)
        taken.update(range(j, found.end + 1))
        j = found.end + 1
    own = [(at, text) for at, text in block.body if at not in taken]
    if not inner or not any(text.strip() for _, text in own):
        return None
    while own and not own[-1][1].strip():
        own.pop()
    indent = min((len(t) - len(t.lstrip()) for _, t in own if t.strip()), default=0)
    return tuple((at, t[indent:]) for at, t in own), inner


def folded_answer_lines(texts: Sequence[str], skip: Collection[int] = ()) -> frozenset[int]:
    """The lines folded in a `<details>` block from where its own text starts: a heading
    there (`### More`, under the answer's first paragraph) belongs to the folded answer, as
    GitHub shows it inside the fold, not to the page. A block whose text opens with a
    heading (a group of questions folded away) keeps its headings, unless its summary labels
    an answer (`<summary>Antwort</summary>` over `#### Antwort: D`). Lines in `skip` (code)
    open no block."""
    if not any("<details" in text.lower() for text in texts if "<" in text):
        return frozenset()
    folded: set[int] = set()
    k = 0
    while k < len(texts):
        block = None
        if k not in skip and "<" in texts[k]:
            block = read_details(texts, k, len(texts), nested=True)
        if block is None:
            k += 1
            continue
        # Its own text, as the block reads it (dressing tags off, `<br>` lines gone).
        own = next(((at, t) for at, t in block.body if t.replace("&nbsp;", "").strip()), None)
        if own is not None and (block.labels_answer or not own[1].lstrip().startswith("#")):
            folded.update(range(own[0], block.end + 1))
            k = block.end + 1
        else:
            k += 1  # a group, or nothing folded: the blocks in it are looked at
    return frozenset(folded)
