"""Regular expressions compiled when first used.

The readers hold nearly two hundred patterns, most of them for shapes of notes a given build
never meets; compiling them all at import cost every command about 20 ms of start-up, a
fifth of an unchanged rebuild. A `LazyPattern` compiles on its first use, then keeps the
compiled pattern's methods as its own attributes, so that later calls cost what they cost
on a compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any

METHODS = (
    "match", "fullmatch", "search", "sub", "subn", "split", "finditer", "findall",
    "flags", "groups", "groupindex",
)  # fmt: skip


class LazyPattern:
    """A stand-in for `re.compile(pattern, flags)`; `.pattern` is there before compiling,
    for patterns built from others."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # reached only until compiled
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for method in METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags!r})"


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, compiled at first use (typed as the pattern it stands for)."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
