"""Which format a file is written in, recognised from the file itself. Pure.

ankipress's own format (line style and heading style, mixed) is the default. A file written
for another flashcard tool is read the way that tool reads it, so that a student moving to
ankipress never rewrites their notes. Each format is recognised from marks only it leaves;
front matter `format:` forces one.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from .body import Body
from .cloze import curly_as_highlights, has_cloze, written_highlights
from .literals import mask_literals
from .patterns import lazy_pattern
from .records import Diagnostic, SourceFile, warning

ANKIPRESS = "ankipress"
OBSIDIAN_SR = "obsidian-spaced-repetition"
OBSIDIAN_TO_ANKI = "obsidian-to-anki"
MDANKI = "mdanki"
MARKDOWN_FLASHCARDS = "markdown-flashcards"
LOGSEQ = "logseq"
DELIMITED = "delimited"
ANKDOWN = "ankdown"
TAGGED_CARDS = "tagged-cards"
FORMATS = (
    ANKIPRESS, OBSIDIAN_SR, OBSIDIAN_TO_ANKI, MDANKI, MARKDOWN_FLASHCARDS, LOGSEQ, DELIMITED,
    ANKDOWN, TAGGED_CARDS,
)  # fmt: skip
# Formats whose files mix cards with prose that is no card: only their cards are notes.
CARDS_ONLY = frozenset(
    {OBSIDIAN_SR, OBSIDIAN_TO_ANKI, MARKDOWN_FLASHCARDS, LOGSEQ, DELIMITED, ANKDOWN, TAGGED_CARDS}
)
TITLES = {
    ANKIPRESS: "ankipress",
    OBSIDIAN_SR: "Obsidian Spaced Repetition",
    OBSIDIAN_TO_ANKI: "Obsidian_to_Anki",
    MDANKI: "mdanki",
    MARKDOWN_FLASHCARDS: "markdown-flashcards",
    LOGSEQ: "Logseq",
    DELIMITED: "delimited text (Anki's and Quizlet's text files)",
    ANKDOWN: "ankdown",
    TAGGED_CARDS: "cards tagged `#card` (Obsidian's Flashcards plugin, Obsidian_to_Anki's tags)",
}

FLASHCARDS_TAG_RE = lazy_pattern(r"(?:^|\s)#flashcards(?:/\S*)?(?=\s|$)", re.IGNORECASE)
SEPARATOR_LINE_RE = lazy_pattern(r"[ \t]*(\?\??|%)[ \t]*$")
RULE_LINE_RE = lazy_pattern(
    r" {0,3}(?:([-*_])(?:[ \t]*\1){2,}|#{7,}|[⸺⸻](?:[ \t]*[⸺⸻])*|([—―─━═])(?:[ \t]*\2){2,})[ \t]*$"
)
"""A thematic break (`---`, `* * *`), or a line of seven `#` or more, which no heading is:
a plain text file's divider; so is a line of long dashes or box-drawing lines (`⸻`, `———`,
`═══`), a word processor's or a chat's divider."""
INLINE_SEP_RE = lazy_pattern(r"(?<!:)(:::|::)(?!:)")
SPACED_SEP_RE = lazy_pattern(r"(?<=\s)(:::|::)(?=\s)")
# Logseq: an outline block (`- …`, any indentation) tagged `#card` (or `#[[card]]`, or
# `[[card]]`: a link to the page `card` tags a block as its tag does).
LOGSEQ_CARD_TAG_RE = lazy_pattern(
    r"(?<![#/&A-Za-z])(?:#(?:card|flashcard)|#?\[\[(?:card|flashcard)\]\])(?=\s|$)",
    re.IGNORECASE,
)
"""Logseq's own `#card`, or the `#flashcard` of the plugin that sends Logseq cards to Anki;
Chinese and Japanese write it right after the question (`是什么？#card`), so only a Latin
letter, `/`, `&` or `#` before it makes it part of a word or address."""
# A card's front, tagged at its end: the Obsidian Flashcards plugin's `#card` (and
# `#card-reverse`, `#card/spaced`…), or the `#flashcard` a vault's Obsidian_to_Anki pattern asks.
CARD_TAG_RE = lazy_pattern(
    r"(?:(?<=\s)|^|(?<=[^\x00-\x7f]))#(?P<tag>card(?:[-/](?:reverse|spaced))?|flashcard)[ \t]*$",
    re.IGNORECASE,
)
LOGSEQ_CLOZE_RE = lazy_pattern(r"\{\{cloze[ \t]+(.*?)\}\}")
LOGSEQ_BLOCK_RE = lazy_pattern(r"(?P<indent>[ \t]*)-(?:[ \t]+(?P<text>.*))?$")
# Anki's text files: `#key:value` header lines above the rows (Anki 2.1.55 on).
ANKI_HEADER_RE = lazy_pattern(
    r"#(?P<key>separator|html|tags|columns|notetype|deck|(?:guid|notetype|deck|tags) column)"
    r":(?P<value>.*)$",
    re.IGNORECASE,
)
SEPARATOR_NAMES = {"tab": "\t", "semicolon": ";", "comma": ",", "pipe": "|", "colon": ":"}
# Separators recognised without a header, when every row holds one: a tab, a semicolon, or
# a word list's ` - ` (an en or em dash as well: `DASH`), ` = `, ` == `, ` : ` or an arrow
# (` -> `, ` → `, ` => `) between front and back.
DASH = " - "
DASH_RE = lazy_pattern(r" [-–—] ")
WORD_LIST_SEPARATORS = (DASH, " = ", " == ", " : ", " -> ", " → ", " => ")
GUESSED_SEPARATORS = ("\t", ";", "|", *WORD_LIST_SEPARATORS, "*")
SEPARATOR_TITLES = {
    "\t": "tab",
    ";": "semicolon",
    ",": "comma",
    "|": "pipe",
    ":": "colon",
    "*": "star",
}
NAMED_SEPARATORS = {".csv": (",", ";", "\t", "|"), ".tsv": ("\t",)}
"""A spreadsheet's or another tool's export, named `.csv` or `.tsv`: the separators its rows
may be split by, the usual first (a French spreadsheet writes `;` into a `.csv`)."""
# A separator a vault chose for Obsidian Spaced Repetition's one-line cards (`:=`, `;;`, `>>`).
CUSTOM_SEPARATOR_RE = lazy_pattern(r"[:;=<>|~+\-/&%#@^!]{2,4}")
SR_COMMENT = "<!--SR:"
TAG_LINK_LINE_RE = lazy_pattern(r"[ \t]*(?:\[#[^\]\s]+\]\([^)]*\)[ \t]*)+$")


@dataclass(frozen=True)
class Format:
    """The format a file is read in, and how that was decided (shown by `explain`)."""

    name: str
    why: str
    separator: str = ""
    """A delimited file's separator, when recognised (forced by front matter: ""); the
    separator of one-line cards an Obsidian Spaced Repetition vault chose (`:=`)."""
    multiline: str = ""
    """The separator of multi-line cards such a vault chose instead of `?` (`,,`)."""

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
    if "::" not in text:
        return None
    masked = mask_literals(text)
    if "{{" in masked:  # a deletion's `::` splits nothing (`{{` in code is code)
        return None
    match = next(  # (an IPv6 address's `::`, or a path's in code, splits nothing)
        (
            m
            for m in (SPACED_SEP_RE if spaced_only else INLINE_SEP_RE).finditer(masked)
            if not in_address(text, m.start(), m.end())
            and not in_code_path(text, m.start(), m.end())
            and not in_square_brackets(text, m.start(), m.end())
            and not emphasis_spans(text, m.start())
        ),
        None,
    )
    if match is None:
        return None
    front, back = text[: match.start()].strip(), text[match.end() :].strip()
    if not front or not back:
        return None
    spaced = text[match.start() - 1 : match.start()] == " " == text[match.end() : match.end() + 1]
    return InlineCard(front, back, match[1] == ":::", spaced)


IPV6_RE = lazy_pattern(r"[0-9A-Fa-f:]*::[0-9A-Fa-f:.]*(?:/\d{1,3})?(?:%\w+)?")
"""An IPv6 address (`2001:db8::1/64`, `::1`): its `::` splits nothing."""


def in_address(text: str, start: int, end: int) -> bool:
    """Whether the `::` at [start, end) is part of an IPv6 address: the word holding it is one
    (`- [x] 2001:0db8:ffcc::70:101:1/64`), where `std::vector` is no address."""
    left = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start)) + 1
    right = min(
        (i for i in (text.find(" ", end), text.find("\t", end)) if i >= 0), default=len(text)
    )
    word = text[left:right].strip("`*_()[],;")
    return bool(word) and IPV6_RE.fullmatch(word) is not None and any(c.isdigit() for c in word)


def in_square_brackets(text: str, start: int, end: int) -> bool:
    """Whether the `::` at [start, end) stands inside square brackets, a slice in code
    (`my_list[::-1]`, `s[1::2]`) or a Dataview field (`[rating:: 9]`): it splits no card."""
    near = max(0, start - BRACKETED_SPAN)  # such brackets are short: a look costs no more
    opened = text.rfind("[", near, start)
    return opened > text.rfind("]", near, start) and text.find("]", end, end + BRACKETED_SPAN) >= 0


BRACKETED_SPAN = 120
"""How far a bracket around a `::` is looked for, either side."""


def emphasis_spans(text: str, at: int) -> bool:
    """Whether a `*` opened before position `at` is still open there (`*Poll::Pending*`:
    a `::` in emphasis splits nothing); a bullet's `*` opens nothing."""
    stars = text.count("*", 0, at)
    if text.lstrip()[:2] in ("* ", "*\t"):
        stars -= 1
    return stars % 2 == 1


CODE_PATH_RE = lazy_pattern(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+")


def in_code_path(text: str, start: int, end: int) -> bool:
    """Whether the `::` at [start, end) joins a path in code (`std::future::Future`,
    `Poll::Ready(output)`, `async_std::task`): a chain of two `::` or more, a call or a
    generic after it, a name with `_` in it, C++'s `std::`, or one written in brackets
    (`Wektory (std::vector)`). (`France::Paris` may be a card.)"""
    if not (start and text[start - 1 : start].isalnum() and text[end : end + 1].isalpha()):
        return False
    before = text[:start]
    if before.count("(") > before.count(")") and text.find(")", end) >= 0:
        return True  # a card's sides are not split inside brackets
    left = start
    while left > 0 and (text[left - 1].isalnum() or text[left - 1] in "_:"):
        left -= 1
    path = CODE_PATH_RE.match(text, left)
    if path is None or path.end() < end:
        return False
    word = path[0]
    if word.count("::") >= 2 or "_" in word or word.startswith("std::"):
        return True
    return text[path.end() : path.end() + 1] in ("(", "<")


def custom_inline_card(text: str, separator: str) -> InlineCard | None:
    """`front := back` with the separator a vault chose (`custom_separator`), outside code
    and math."""
    at = mask_literals(text).find(separator)
    if at < 0:
        return None
    front, back = text[:at].strip(), text[at + len(separator) :].strip()
    return InlineCard(front, back, False, True) if front and back else None


def is_tight_inline(text: str) -> bool:
    """`front::back` written the Obsidian way: no space on a side of `::`, and a front that is
    a phrase (it holds a space), so that `std::vector` is no card; nor is a quoted line's
    (`> use tests::helper;`: code quoted in an answer)."""
    card = inline_card(text)
    if card is None or card.spaced or " " not in card.front:
        return False
    return text[:4].lstrip()[:1] != ">"


def header_separator(value: str) -> str | None:
    """The separator an Anki `#separator:` header names (`tab`, `Semicolon`, `;`, …)."""
    value = value.strip()
    return SEPARATOR_NAMES.get(value.casefold()) or (value if len(value) == 1 else None)


def anki_headers(lines: Sequence[str]) -> list[re.Match[str]]:
    """Anki's `#key:value` headers, which stand above the rows (blank lines left out)."""
    headers = []
    for text in lines:
        header = ANKI_HEADER_RE.match(text) if text.startswith("#") else None
        if header is None:
            break
        headers.append(header)
    return headers


def separator_header(headers: Sequence[re.Match[str]]) -> str | None:
    """The separator Anki's `#separator:` header names, if one does."""
    for header in headers:
        if header["key"].casefold() == "separator" and (named := header_separator(header["value"])):
            return named
    return None


def delimited_separator(texts: Sequence[str]) -> tuple[str | None, str]:
    """The separator of a file whose lines are rows of fields (Anki's and Quizlet's text
    files), and how it was recognised: from Anki's `#separator:` header, else when every
    row holds the same one (a tab, a semicolon, a `|` outside a Markdown table), or, in a
    word list, a spaced dash, `=`, `==`, `:` or arrow - the first line may be a title
    without it.
    Otherwise None."""
    if not any(_may_split(t) for t in islice((t for t in texts if t.strip()), 2)):
        return None, ""  # (most files: neither of the first two lines could be a row)
    lines = [t for t in texts if t.strip()]
    headers = anki_headers(lines)
    if named := separator_header(headers):
        return named, "recognised from its `#separator` header"
    rows = lines[len(headers) :]
    for separator in GUESSED_SEPARATORS:
        if len(rows) >= 3 and len(split_row_text(rows[0], separator)) < 2 and not headers:
            candidates = rows[1:]  # a title line above the rows
        else:
            candidates = rows
        if len(candidates) < (2 if separator == "\t" else 3):
            continue
        if sum(row[:1] in " \t" for row in candidates) * 2 >= len(candidates):
            continue  # lines indented under others (an outline's child blocks), not rows
        if separator in ("\t", ";", "|"):
            if separator not in candidates[0] or not usual_width(candidates, separator):
                continue
            if separator == "|" and any(map(is_table_row, candidates)):
                continue
        elif separator == "*":
            if not starred_rows(candidates):
                continue
        elif not (
            all(spaced_row(row, separator) for row in candidates)
            or (separator == " : " and columns_by_colons(candidates))
        ) or not distinct_fronts(candidates, separator):
            continue
        title = SEPARATOR_TITLES.get(separator, f"`{separator.strip()}`")
        return separator, f"recognised from its rows, each split by a {title}"
    return None, ""


def is_table_row(text: str) -> bool:
    """A Markdown table's row (`| a | b |`) or delimiter row (`--- | :---:`), not a row of
    fields split by `|` as Quizlet exports them (`term|definition`)."""
    text = text.strip()
    return text.startswith("|") or text.endswith("|") or not text.strip("|-: \t")


def named_separator(texts: Sequence[str], suffix: str) -> tuple[str, str]:
    """The separator of a `.csv` or `.tsv` file, and how it was chosen: Anki's `#separator:`
    header, else the first of its usual separators that splits every row into as many
    fields (two or more), else the first."""
    lines = [t for t in texts if t.strip()]
    headers = anki_headers(lines)
    if named := separator_header(headers):
        return named, "recognised from its `#separator` header"
    rows = lines[len(headers) :]
    usual = NAMED_SEPARATORS[suffix]
    for separator in usual:
        if rows and usual_width(rows[:200], separator):
            break
    else:
        separator = usual[0]
    title = SEPARATOR_TITLES[separator]
    return separator, f"recognised from its name (`{suffix}`), its rows split by a {title}"


def reviewed_lines(lines: Sequence[str]) -> list[int]:
    """The lines that Obsidian Spaced Repetition's review comments follow (the comment on
    the line below, or at the end of the line): the last line of a card it scheduled."""
    found = []
    for i, line in enumerate(lines):
        if SR_COMMENT in line:
            before = line[: line.index(SR_COMMENT)]
            if before.strip():
                found.append(i)
            elif i > 0 and lines[i - 1].strip():
                found.append(i - 1)
    return found


def custom_separator(lines: Sequence[str]) -> str:
    """The one-line cards' separator a vault chose in the plugin's settings, as its review
    comments show it: the mark (`:=`, `;;`) that half at least, and two at least, of the
    lines they follow hold outside code and math, where no `::` card, `?` line or cloze
    stands. "" when there is none."""
    counts: dict[str, int] = {}
    orphans = 0
    for i in reviewed_lines(lines):
        text = lines[i].split(SR_COMMENT)[0]
        if inline_card(text) is not None or is_question_separator(text):
            continue
        if ("==" in text or "{{" in text) and has_cloze(curly_as_highlights(text)):
            continue  # a cloze card (`inverse of ==exponents==.`): its `==` split nothing
        orphans += 1
        for mark in set(CUSTOM_SEPARATOR_RE.findall(mask_literals(text))):
            counts[mark] = counts.get(mark, 0) + 1
    best = max(counts.items(), key=lambda item: (item[1], len(item[0])), default=("", 0))
    return best[0] if best[1] >= 2 and best[1] * 2 >= orphans else ""


WRITTEN_CARD_MARKS = (";;", ":=", ">>", "||")
"""The separators vaults choose for one-line cards that prose and Markdown never write
between two words (`->`, `==`, `//` they do)."""
WRITTEN_CARD_LINES = 3


def written_separator(texts: Sequence[str]) -> str:
    """The one-line cards' separator a vault chose, where no review comment shows it: the
    mark of `WRITTEN_CARD_MARKS` that splits three lines at least, once each, outside code
    and math, with words on both sides, where no `::` card or `?` line stands (a quote's
    `>>` or a table's `||` at the start of a line splits nothing). "" when none does."""
    counts = dict.fromkeys(WRITTEN_CARD_MARKS, 0)
    for text in texts:
        if not any(mark in text for mark in WRITTEN_CARD_MARKS) or text.lstrip()[:1] in "|>":
            continue
        if inline_card(text) is not None or is_question_separator(text):
            continue
        masked = mask_literals(text)
        for mark in WRITTEN_CARD_MARKS:
            if masked.count(mark) == 1 and custom_inline_card(text, mark) is not None:
                counts[mark] += 1
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= WRITTEN_CARD_LINES else ""


COLUMN_NAMES = frozenset(
    """front back side recto verso question questions answer answers term terms definition
    definitions word words meaning meanings translation translations hint extra notes note
    tags tag example examples sentence deck text id number no theme topic category subject
    chapter lesson unit level type explanation description image picture audio sound source
    reference réponse réponses mot mots traduction définition terme termes exemple phrase
    frage antwort vorderseite rückseite begriff bedeutung beispiel pregunta respuesta
    anverso reverso término definición significado ejemplo domanda risposta parola
    significato pergunta resposta frente palavra english french german spanish italian
    portuguese korean japanese chinese russian arabic dutch latin greek français anglais
    allemand espagnol italien deutsch englisch französisch español inglés expression
    expressions idiom idioms vocabulary vocab phrases concept key value name comment comments
    remark remarks pronunciation reading kanji hanzi pinyin romaji furigana gender plural
    hiragana katakana kana hangul hanja jyutping ipa romanization transliteration
    synonym synonyms antonym antonyms context usage explication remarque uuid guid
    formula formule formel fórmula unit unité einheit unidad symbol symbole command commande
    befehl comando beschreibung descripción descrição descrizione nom wort übersetzung
    traducción tradução traduzione esempio exemplo nazwa opis przykład przykłady znaczenie
    tłumaczenie słowo słówko pytanie odpowiedź definicja pojęcie termin wzór jednostka
    uwagi polski naam beschrijving omschrijving betekenis voorbeeld woord vertaling vraag
    antwoord nederlands název popis příklad význam překlad slovo otázka odpověď namn
    beskrivning exempel betydelse översättning ord fråga svar svenska açıklama örnek anlam
    çeviri kelime soru cevap commentaire commentaires kommentar comentario comentário
    commento remarques syntax syntaxe option options shortcut raccourci action effect effet
    purpose role rôle function fonction funktion función função funzione abbreviation
    abréviation abkürzung abreviatura abbreviazione acronym sigle
    термин определение слово перевод пример значение описание
    词汇 单词 词语 词性 释义 中文释义 英文释义 含义 意思 翻译 中文 英文 例句 英文例句 例子 术语
    定义 解释 说明 发音 音标 用語 意味 読み 読み方 例文 英語 日本語 説明 概要 単語 訳 단어 뜻
    의미 예문 용어 설명 영어 한국어 발음""".split()  # noqa: SIM905
)
"""Words a spreadsheet's first row names its columns with, in the languages of the notes."""


def is_column_name(field: str) -> bool:
    """A field of a first row naming columns: `Front`, `Back side`, `Side 1`,
    `example_translation` (each of its words a column's name, a number aside)."""
    words = re.split(r"[\s_\-/()]+", field.strip().casefold())
    named = [w for w in words if w and not w.isdigit()]
    return bool(named) and len(named) <= 3 and all(w in COLUMN_NAMES for w in named)


def is_header_row(fields: Sequence[str]) -> bool:
    """A spreadsheet's first row naming its columns (`Front,Back`, `ID,theme,explanation`):
    two names at least, and any other field a short name of the kind a script gives a
    column (`text	qn	english`, `front	back	difficulty	source_url`)."""
    if len(fields) < 2:
        return False
    named = sum(map(is_column_name, fields))
    return named == len(fields) or (
        named >= 2 and all(is_column_name(f) or COLUMN_KEY_RE.fullmatch(f) for f in fields)
    )


COLUMN_KEY_RE = lazy_pattern(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
"""A column's name as a script or a spreadsheet's export writes it: `qn`, `source_url`."""

FRONT_COLUMNS = frozenset(
    """front recto question frage vorderseite pregunta anverso domanda pergunta frente
    pytanie vraag otázka fråga soru""".split()  # noqa: SIM905
)
"""Names of the column holding the fronts, wherever it stands in a row."""
BACK_COLUMNS = frozenset(
    """back verso answer antwort rückseite respuesta reverso risposta resposta réponse
    odpowiedź antwoord odpověď svar cevap""".split()  # noqa: SIM905
)
"""Names of the column holding the backs: the first paragraph of a back, other columns
after it."""
ID_COLUMNS = frozenset("id uuid guid no nr".split())  # noqa: SIM905
"""Names of a column that only numbers or names the rows: no field."""
TAG_COLUMNS = frozenset("tags tag".split())  # noqa: SIM905
"""Names of the column holding each row's tags."""


UUID_RE = lazy_pattern(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def numbered_rows(rows: Sequence[str], separator: str) -> bool:
    """Whether the first field of every row (a header aside) numbers it, 1, 2, 3 or other
    rising numbers, or names it with a UUID, with two fields more at least: a spreadsheet's
    or another tool's id column, no field."""
    import csv  # only for a delimited file

    ids = []
    try:
        for k, fields in enumerate(csv.reader((r + "\n" for r in rows[:200]), delimiter=separator)):
            if k == 0 and is_header_row(fields):
                continue
            if len(fields) < 3:
                return False
            ids.append(fields[0].strip())
    except csv.Error:
        return False
    return names_rows(ids)


def names_rows(ids: Sequence[str]) -> bool:
    """Whether the first fields of rows number them, 1, 2, 3 or other rising numbers (`1.`
    too), or name them with UUIDs: an id column, no field."""
    if len(ids) < 2:
        return False
    if all(map(UUID_RE.fullmatch, ids)):
        return True
    numbers = [i.removesuffix(".") for i in ids]
    return all(n.isdigit() for n in numbers) and all(int(a) < int(b) for a, b in pairwise(numbers))


def _may_split(text: str) -> bool:
    """Whether a line could be a row or a header of a delimited file."""
    if "\t" in text or ";" in text or "|" in text or text.startswith("#"):
        return True
    if text.count("*") == 1:
        return True
    return any(separator in text for separator in (" – ", " — ", *WORD_LIST_SEPARATORS))


TAG_WORD_RE = lazy_pattern(r"[^\W\d][\w:./+#-]*")
"""A tag as Anki's rows give one: a word without spaces (`js120`, `bio::cell`)."""


def tags_in_last_field(lines: Sequence[str], separator: str, width: int) -> bool:
    """Whether the last of `width` fields (three at least) of every row is a tag, as Anki
    maps the column after a note's fields to its tags (`Encapsulation; the bundling…;
    js120`): a word without spaces in three rows at least, empty in the others, three in
    four of them a word written in another row too (tags group notes: `chien;dog;Hund`
    is no tag)."""
    import csv  # only for a delimited file

    if width < 3:
        return False
    found: collections.Counter[str] = collections.Counter()
    try:
        for fields in csv.reader((line + "\n" for line in lines), delimiter=separator):
            if len(fields) != width:
                continue
            last = fields[-1].strip()
            if last and not TAG_WORD_RE.fullmatch(last):
                return False
            found[last] += bool(last)
    except csv.Error:
        return False
    found.pop("", None)
    shared = sum(count for count in found.values() if count >= 2)
    return found.total() >= 3 and shared * 4 >= found.total() * 3


SLIPS_AMONG = 10
"""Rows from which one in ten may lack the file's separator (a slip, an error at its row)."""


def usual_width(lines: Sequence[str], separator: str) -> int | None:
    """The number of fields (two or more) of the rows, when the lines are rows: every one
    split in two at least (of ten rows or more, all but one in ten), three in four at least
    into this many. A field in double quotes
    may hold the separator or run over lines, as in Anki's and spreadsheets' files; a row
    split into more (a `;` typed in an answer, unquoted) is read as one of this many
    (`RowLayout.width`). None when they are not rows."""
    import csv  # only for a file that may be one

    widths: collections.Counter[int] = collections.Counter()
    rows = csv.reader((line + "\n" for line in lines), delimiter=separator, strict=False)
    unsplit = 0
    try:
        for fields in rows:
            if len(fields) < 2:
                unsplit += 1
            else:
                widths[len(fields)] += 1
    except csv.Error:  # a field past the csv module's limit (128 KB): no such file
        return None
    total = widths.total() + unsplit
    if not widths or (unsplit and (total < SLIPS_AMONG or unsplit * 10 > total)):
        return None  # (of ten rows or more, one in ten may lack it: an error at its line)
    width, count = widths.most_common(1)[0]
    return width if count * 4 >= widths.total() * 3 else None


def distinct_fronts(rows: Sequence[str], separator: str) -> bool:
    """No two rows start alike: `Question : …` and `Réponse : …` lines are labels, not a
    word list. A long list (ten rows or more) may repeat a word, one row in eight at most:
    a slip, which the duplicate check then says."""
    fronts = [split_spaced(row, separator)[0].strip().casefold() for row in rows]
    repeated = len(fronts) - len(set(fronts))
    return repeated == 0 or (len(fronts) >= 10 and repeated * 8 <= len(fronts))


def split_row_text(text: str, separator: str) -> list[str]:
    """A one-line row split by a separator (no quoting: to recognise the format only)."""
    return split_spaced(text, separator) if len(separator) > 1 else text.split(separator)


def split_spaced(text: str, separator: str) -> list[str]:
    """A word list's row split at its first spaced separator (any dash for `DASH`)."""
    if separator == DASH:
        return DASH_RE.split(text, maxsplit=1)
    front, found, back = text.partition(separator)
    return [front, back] if found else [text]


BULLETS = "-*+•–●○◦▪■►➢"
"""What a list item may open with: Markdown's bullets, and those of text pasted from slides
and documents (`●`, `▪`, `➢`)."""
NOT_A_ROW_RE = lazy_pattern(rf"[ \t]*(?:[{BULLETS}][ \t]|\d{{1,9}}[.)][ \t]|#|>)")
"""A list item, a heading or a quote: no row of a word list (`**bold**` may start one)."""


STARRED_ROWS = 10
"""Rows from which a file split by a star may hold one row without it (a slip, said)."""


def starred_rows(rows: Sequence[str]) -> bool:
    """Whether rows are split by one star each, unspaced (`PC*The program counter…`, as some
    flashcard sites export them): no Markdown, where stars come in pairs or open a list
    item; of ten rows or more, one in ten may lack its star."""
    split = sum(
        1
        for row in rows
        if row.count("*") == 1
        and NOT_A_ROW_RE.match(row) is None
        and all(side.strip() for side in row.split("*"))
    )
    if any(row.count("*") > 1 or NOT_A_ROW_RE.match(row) for row in rows):
        return False
    slips = len(rows) - split
    return split >= 3 and (not slips or (len(rows) >= STARRED_ROWS and slips * 10 <= len(rows)))


def spaced_row(text: str, separator: str) -> bool:
    """A word list's row: one spaced separator between two sides, not a list item."""
    count = len(DASH_RE.findall(text)) if separator == DASH else text.count(separator)
    sides = split_spaced(text, separator)
    return count == 1 and all(side.strip() for side in sides) and NOT_A_ROW_RE.match(text) is None


def columns_by_colons(rows: Sequence[str]) -> bool:
    """Whether every row is split by spaced colons into columns, most into the same number,
    three at least (`À demain : See you tomorrow : Ah demah`): a word, its meaning, its
    sound. The first colon splits the front from the rest."""
    counts: collections.Counter[int] = collections.Counter()
    for row in rows:
        if NOT_A_ROW_RE.match(row) or not all(side.strip() for side in row.split(" : ")):
            return False
        counts[row.count(" : ")] += 1
    if 0 in counts:
        return False
    most, count = counts.most_common(1)[0]
    return most >= 2 and count * 4 >= counts.total() * 3


def is_logseq_card(text: str) -> bool:
    """An outline block tagged `#card`, or holding a `{{cloze …}}`: Logseq's flashcard."""
    block = LOGSEQ_BLOCK_RE.match(text)
    if block is None or not block["text"]:
        return False
    return bool(LOGSEQ_CARD_TAG_RE.search(block["text"]) or LOGSEQ_CLOZE_RE.search(block["text"]))


def _may_hold_sr_cards(texts: Sequence[str]) -> bool:
    """Whether a page tagged `#flashcards` holds anything the plugin makes a card of: a
    `front::back` line (or `;;`; `file::cards1` and `status:: ` are fields), a `?` line, a
    highlight or a curly deletion. A page of `### Front` and `### Back` sections tagged so
    holds none: the tag alone reads nothing."""
    return any(
        ("::" in t and (" :: " in t or is_tight_inline(t)))
        or ";;" in t
        or "==" in t
        or "{{" in t
        or is_question_separator(t)
        for t in texts
    )


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


O2A_NOTE_ID_RE = lazy_pattern(r"[ \t]*<!--[ \t]*ID:[ \t]*\d+[ \t]*-->")
"""The note id Obsidian_to_Anki writes under each note it made."""
LABELLED_RE = lazy_pattern(r"[ \t]*(?:\*\*|__)?(?P<label>[QA])(?:\*\*|__)?[ \t]?:")


def _o2a_labelled_notes(lines: Sequence[str]) -> bool:
    """Whether a page's notes are `Q:`/`A:` notes over the ids Obsidian_to_Anki wrote under
    them (`<!--ID: 1645260971659-->`), two at least and half its ids at least: the plugin
    made its notes of those alone, the prose and headings around them being the page."""
    ids = o2a_id_lines(lines)
    labelled = 0
    for k in ids:
        labels = set()
        for above in range(k - 1, -1, -1):
            if not lines[above].strip():
                break
            if match := LABELLED_RE.match(lines[above]):
                labels.add(match["label"])
        labelled += labels == {"Q", "A"}
    return labelled >= 2 and labelled * 2 >= len(ids)


def o2a_id_lines(lines: Sequence[str]) -> list[int]:
    """The source indices of Obsidian_to_Anki's note ids (`<!--ID: 1645260971659-->`)."""
    return [i for i, line in enumerate(lines) if "<!--" in line and O2A_NOTE_ID_RE.match(line)]


def _tagged_cards(texts: Sequence[str]) -> bool:
    """Two card fronts tagged at their end at least (`Range data #flashcard`, `## Git
    rebase #card`), none of them an outline's block (Logseq's)."""
    tagged = 0
    for text in texts:
        if "#" in text and CARD_TAG_RE.search(text) and not LOGSEQ_BLOCK_RE.match(text):
            tagged += 1
            if tagged >= 2:
                return True
    return False


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


FIELD_SEPARATOR_RE = lazy_pattern(r"[ \t]*%[ \t]*$")
CARD_END_RE = lazy_pattern(r"[ \t]*(?:---+|%%)[ \t]*$")
"""ankdown's lines: a `%` alone separates a card's fields (front, back, tags), a `---` (or
`%%`) alone ends the card."""


def ankdown_cards(texts: Sequence[str]) -> bool:
    """Whether the lines (code blanked) are ankdown's cards: two at least, each ended by a
    `---` or `%%` line (the last may end the file), each with a front, then one or two `%`
    lines; nothing else but blank lines."""
    if "%" not in "".join(texts):
        return False  # (most files)
    cards = fields = 0
    front = False
    for text in [*texts, "---"]:
        if not text.strip():
            continue
        if CARD_END_RE.match(text):
            if not fields and not front:
                continue  # two rules in a row, or one atop the file
            if not (front and 1 <= fields <= 2):
                return False
            cards, fields, front = cards + 1, 0, False
        elif FIELD_SEPARATOR_RE.match(text):
            if not front:
                return False
            fields += 1
        else:
            front = True
    return cards >= 2


def spaced_repetition(why: str, texts: Sequence[str], chosen: str = "") -> Format:
    """Obsidian Spaced Repetition's format, with the separators its lines show for one-line
    cards (`written_separator`, unless its review comments showed it: `chosen`) and for
    multi-line cards (`written_multiline_separator`), if any."""
    if not chosen and (chosen := written_separator(texts)):
        why += f", its one-line cards split by `{chosen}` (the separator its lines show)"
    if multiline := written_multiline_separator(texts):
        why += f", its cards of several lines by a `{multiline}` line"
    return Format(OBSIDIAN_SR, why, chosen, multiline)


MULTILINE_MARKS = (",,", ";;", "::", "<<", "++", "&&", "!!", "@@", "^^")
"""Lines vaults choose to split multi-line cards with instead of `?` (never Markdown's own:
a rule, a fence, a setext underline, `%%`, `$$`, an empty quote's `>>`)."""


CLASSED_BREAK_RE = lazy_pattern(r"""<br[ \t]+class=["'][\w -]*["'][ \t]*/?>""")
"""A line break with a class, alone on its line (`<br class="f">`): a vault's separator."""


def written_multiline_separator(texts: Sequence[str]) -> str:
    """The separator of multi-line cards a vault chose: a line holding only one of
    `MULTILINE_MARKS`, twice at least, or a line break with a class (`<br class="f">`), each
    between a written line above and one below. "" when there is none."""
    counts: dict[str, int] = {}
    for k in range(1, len(texts) - 1):
        mark = texts[k].strip()
        if not (texts[k - 1].strip() and texts[k + 1].strip()):
            continue
        if mark in MULTILINE_MARKS:
            counts[mark] = counts.get(mark, 0) + 1
        elif mark[:4] == "<br " and CLASSED_BREAK_RE.fullmatch(mark):
            return mark  # (never written so but to split a card)
    best = max(counts, key=counts.__getitem__, default="")
    return best if counts.get(best, 0) >= 2 else ""


def choose_format(source: SourceFile, body: Body) -> tuple[Format, list[Diagnostic]]:
    """The format a file is written in: forced by front matter, else recognised from marks."""
    if source.front_matter.format:
        return Format(source.front_matter.format, "as front matter `format` says"), []
    suffix = source.relpath[source.relpath.rfind(".") :].lower()
    if suffix in NAMED_SEPARATORS:
        separator, why = named_separator(body.texts, suffix)
        return Format(DELIMITED, why, separator), []
    in_code = body.in_block
    texts = [t if k not in in_code else "" for k, t in enumerate(body.texts)]
    separator, why = delimited_separator(texts)
    if separator:
        return Format(DELIMITED, why, separator), []
    if _o2a_blocks(texts):
        return Format(OBSIDIAN_TO_ANKI, "recognised from its START…END blocks"), []
    if _o2a_labelled_notes(source.lines):
        why = "recognised from its `Q:`/`A:` notes over the note ids the plugin wrote"
        return Format(OBSIDIAN_TO_ANKI, why), []
    if any(SR_COMMENT in line for line in source.lines):
        why = "recognised from its `<!--SR:` review comments"
        if chosen := custom_separator(source.lines):
            why += f", its one-line cards split by `{chosen}` (the separator its cards show)"
        return spaced_repetition(why, texts, chosen), []
    if any(is_logseq_card(t) for t in texts if "#" in t or "{{cloze" in t):
        why = "recognised from its outline blocks tagged `#card` or holding `{{cloze …}}`"
        return Format(LOGSEQ, why), []
    if _tagged_cards(texts):
        why = "recognised from its card fronts tagged `#card` or `#flashcard` at their end"
        return Format(TAGGED_CARDS, why), []
    if any(FLASHCARDS_TAG_RE.search(t) for t in texts if "#" in t) and _may_hold_sr_cards(texts):
        return spaced_repetition("recognised from its `#flashcards` tag", texts), []
    tight = [k for k, t in enumerate(texts) if is_tight_inline(t)]
    # The plugin also takes the tag from front matter; there, a tag for Anki is as likely, so
    # it counts only beside the plugin's own cards (a `?` line or `front::back`).
    if flashcards_front_matter(source) and (tight or any(map(is_question_separator, texts))):
        why = "recognised from the `flashcards` tag of its front matter"
        return spaced_repetition(why, texts), []
    if len(tight) >= 2:
        return spaced_repetition("recognised from its `front::back` lines", texts), []
    if any(";;" in t for t in texts) and written_separator(texts) == ";;":  # vaults' usual one
        return spaced_repetition("recognised from its `front ;; back` lines", texts), []
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
    if ankdown_cards(texts):
        why = "recognised from its cards between `---` lines, their fields split by `%` lines"
        return Format(ANKDOWN, why), diagnostics
    marks = any(
        ("%" in t and t.strip() == "%") or ("[#" in t and TAG_LINK_LINE_RE.match(t)) for t in texts
    )
    if marks:
        return Format(MDANKI, "recognised from its `%` separators or `[#tag]()` tags"), diagnostics
    return Format(ANKIPRESS, ""), diagnostics
