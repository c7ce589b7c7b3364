"""ankipress: study notes in plain text or Markdown, built into Anki decks."""

__version__ = "0.1.0"
