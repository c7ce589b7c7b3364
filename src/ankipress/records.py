"""The frozen records passed between the pipeline's stages.

Each stage takes records and returns new ones; none changes another's data. Every record
that came from a source line carries its Location, so that any later stage can report a
problem where the student can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path

from .patterns import lazy_pattern

# What a terminal would act on instead of showing: control characters (a newline in a file's
# name would start a fake diagnostic line), line separators and bidirectional overrides.
UNPRINTABLE_RE = lazy_pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """The text with every unprintable character escaped (`\\n`, `\\x1b`, `\\u202e`)."""
    if not UNPRINTABLE_RE.search(text):
        return text
    return UNPRINTABLE_RE.sub(lambda m: _escaped(m[0]), text)


def _escaped(char: str) -> str:
    code = ord(char)
    return NAMED_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a source file, as shown to the student."""

    path: str
    """The file's path relative to the working directory (or absolute when outside it)."""
    line: int
    """1-based line number in the file as written (front matter included)."""
    col: int = 1
    """1-based column, counted in characters."""

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.col}"


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    """Information, not a problem: e.g. which earlier note an edited note continues."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in the content: an error stops the build, a warning does not; a
    note only informs."""

    location: Location
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message}"


def error(location: Location, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.ERROR, message)


def warning(location: Location, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.WARNING, message)


def notice(location: Location, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.NOTE, message)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The optional YAML block at the top of a file, validated."""

    deck: str | None = None
    """Full deck name; `::` separates subdecks. Overrides every other way of naming the deck."""
    tags: tuple[str, ...] = ()
    """Tags added to every note of the file (spaces already replaced by `_`)."""
    cloze: str | None = None
    """`"lists"` turns every note whose answer is a list into a list cloze."""
    lang: str | None = None
    """Language of the notes, e.g. `fr`."""
    id: str | None = None
    """Stable namespace for the file's note identities, replacing the deck name."""
    html: bool = False
    """Whether raw HTML in the notes reaches Anki as HTML (otherwise it is shown as text)."""
    title: str | None = None
    """Another tool's `title` key: names the deck when there is no `deck`."""
    format: str | None = None
    """The format the file is written in, when front matter forces one (else recognised)."""
    line_count: int = 0
    """How many source lines the block takes, `---` fences included (0 when absent)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One decoded text file, ready to parse."""

    path: Path
    """Where the file is on disk."""
    display: str
    """Its path as diagnostics show it (relative to the working directory)."""
    root: Path
    """The source folder it was found under (its own folder when given as a file)."""
    relpath: str
    """Its path relative to `root`, with `/` separators: names the Source field and tag."""
    lines: tuple[str, ...]
    """Every line of the file, decoded, NFC-normalised, without line endings."""
    front_matter: FrontMatter = field(default_factory=FrontMatter)
    digest: str = ""
    """SHA-256 of the file's bytes: the render cache's key."""

    @property
    def folders(self) -> tuple[str, ...]:
        """Sub-folders between the source folder and the file; they prefix the deck name."""
        return tuple(self.relpath.split("/")[:-1])

    @property
    def stem(self) -> str:
        return Path(self.relpath).stem

    def location(self, index: int, col: int = 1) -> Location:
        """Location of the line at 0-based `index`."""
        return Location(self.display, index + 1, col)


class NoteKind(StrEnum):
    """Which ankipress note type a note becomes. Each is its value as a string too: the
    lock file and the build cache write it as is, and hot loops compare it without looking
    up `.value` (slow on an enum)."""

    BASIC = "basic"
    REVERSED = "reversed"
    CLOZE = "cloze"


class FieldFormat(StrEnum):
    """What a note's question and answer are written in."""

    MARKDOWN = "markdown"
    HTML = "html"
    """HTML already, as in an Anki text file headed `#html:true`: shown as written."""
    TEXT = "text"
    """Plain text, as in an Anki text file headed `#html:false`: shown as typed."""


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """One line of a line-style answer."""

    text: str
    """The line's text without its list marker or indentation (inline Markdown)."""
    depth: int = -1
    """Nesting depth of a list item (0 for top level); -1 for a plain line."""
    ordered: bool = False
    """True for `1.`/`1)` items."""
    number: int = 1
    """The number written before an ordered item."""
    continues_item: bool = False
    """An indented plain line under a list item: a further line of that item."""
    block: bool = False
    """A fenced code or `$$` math block, fences included: rendered as a Markdown block."""
    opens_paragraph: bool = False
    """A blank line stands above it inside its answer (one that goes on over blank lines):
    it starts a paragraph of its own."""

    @property
    def is_item(self) -> bool:
        return self.depth >= 0


@dataclass(frozen=True, slots=True)
class LineAnswer:
    """A line-style answer: its lines stay apart on the card, list items form lists."""

    lines: tuple[AnswerLine, ...]

    @property
    def source_text(self) -> str:
        """The answer as the student wrote it (markers normalised): its fingerprint's text."""
        return "\n".join(
            ("  " * line.depth + "- " if line.is_item else "") + line.text for line in self.lines
        )


@dataclass(frozen=True, slots=True)
class MarkdownAnswer:
    """A heading-style answer: a block of full Markdown."""

    source: str

    @property
    def source_text(self) -> str:
        return self.source


@dataclass(frozen=True, slots=True)
class Note:
    """One note as read from the source, before rendering."""

    kind: NoteKind
    deck: str
    """Full deck name, `::`-separated."""
    question: str
    """The question as written (inline Markdown), without `Q:` or heading marks."""
    answer: LineAnswer | MarkdownAnswer
    key: str
    """Identity key: the file's namespace (deck or front matter id) and normalised question."""
    question_text: str
    """The normalised question (case, spacing and quotes folded): recorded in the lock file
    to recognise the note after edits."""
    answer_fingerprint: str
    """A short hash of the answer's source text, to recognise a note whose question changed."""
    location: Location
    """Where the question stands."""
    source: str
    """`relpath:line`, shown on the card so the student can find the note."""
    tags: tuple[str, ...] = ()
    relpath: str = ""
    """The file the note comes from, relative to its source folder."""
    allow_html: bool = False
    lang: str | None = None
    fields_in: FieldFormat = FieldFormat.MARKDOWN
    page_links: bool = True
    """`[[Page]]` is a link to a vault's page (shown as its text), not text as typed."""
    auto_clozes: tuple[tuple[int, str], ...] = ()
    """The deletions ankipress numbered itself (`==text==` shorthands and list-cloze items):
    (number given here, the deletion's text). Their numbers may still change so that each
    keeps the number it had in earlier builds; `{{cN::…}}` written by hand never move."""


@dataclass(frozen=True, slots=True)
class CompiledNote:
    """A note as it will land in Anki, with every fact about it worked out once: its field
    HTML, cards, sort field, identity key and fingerprints. Only plain values, so that it
    travels between processes and into the build cache as data."""

    kind: NoteKind
    deck: str
    fields: tuple[str, ...]
    """Field HTML in the note type's field order; local media still as placeholders."""
    sort_field: str
    """What Anki sorts and checks duplicates by: the first field's visible text."""
    tags: tuple[str, ...]
    key: str
    """Identity key: `deck:…`/`id:…` and the normalised question, or `note:` and its own id."""
    guid: str
    """The GUID a new note with this key gets."""
    question_text: str
    """Normalised question, recorded in the lock file to recognise the note after edits."""
    answer_fingerprint: str
    """A short hash of the answer's source text, to recognise a note whose question changed."""
    content: str
    """A short hash of everything that reaches Anki but the Source field's line: a note is
    newer in a package only when this changed."""
    line: int
    col: int
    """Where its question stands in its file."""
    ords: tuple[int, ...]
    """Template ordinals of its cards (cloze numbers minus one for a cloze note)."""
    auto_clozes: tuple[tuple[int, str], ...] = ()
    """Deletions ankipress numbered itself: (number given here, text)."""
    media: tuple[tuple[str, int, int], ...] = ()
    """Local images and audio as written in the note, in placeholder order, with the line
    and column where each is written."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything one source file gives: computed once per file by `compile_file`, and what
    the build cache keeps."""

    relpath: str
    """The file, relative to its source folder."""
    display: str
    """Its path as diagnostics show it."""
    deck: str
    """The deck its notes go to when nothing else says."""
    notes: tuple[CompiledNote, ...]
    diagnostics: tuple[Diagnostic, ...]
    """Problems of the file alone (across files, duplicates are checked by the build)."""
    readings: tuple[Reading, ...] = ()
    """How each line was read, for `explain`."""

    def location(self, note: CompiledNote) -> Location:
        return Location(self.display, note.line, note.col)


class Reading(Enum):
    """How `explain` says a source line was read."""

    FRONT_MATTER = "front matter"
    TITLE = "title"
    QUESTION = "question"
    ANSWER = "answer"
    CLOZE = "cloze"
    LIST_CLOZE = "list cloze"
    CLOZE_ITEM = "cloze item"
    ONE_LINER = "one-liner"
    SECTION = "section"
    """A heading that groups the notes under it (a chapter), not a question."""
    SEPARATOR = "separator"
    """A line between a card's front and back (`?`, `%`, a rule), or a card block's marker."""
    TAGS = "tags"
    """A line of tags (`#tag`, `[#tag]()`, `Tags:`): tags of the notes, not text."""
    COMMENT = "comment"
    """An HTML comment: never part of a note."""
    BLANK = "blank"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class LineReading:
    """One source line and how the parser read it."""

    line: int
    reading: Reading
    text: str


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A media file read from beside the notes, under the name it is bundled with."""

    name: str
    """Flat, content-hashed name: two `x.png` in different folders never collide."""
    data: bytes
    path: str = ""
    """Where it was read from (its real path), to tell later whether it changed."""
