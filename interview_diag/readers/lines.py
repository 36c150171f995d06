"""Where the lines of a source are, and which line an offset is on.

Readers work on ``(start, end)`` spans into the original string instead of on
copies of the lines, so every offset they produce is already an offset into the
source. A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``; the span excludes the
line break. A UTF-8 byte order mark at the very start is not part of line 1.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Span = tuple[int, int]

_EOL = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


_SPACE = re.compile(r"\s*")


def first_text(source: str) -> int:
    """Offset of the first character that is neither the BOM nor whitespace.

    Returns:
        ``len(source)`` when there is none (the input is empty or blank).
    """
    start = 1 if source.startswith(BOM) else 0
    m = _SPACE.match(source, start)
    return m.end() if m else start


def split_lines(source: str) -> list[Span]:
    """Find the span of every line of ``source``.

    Args:
        source: the original input.

    Returns:
        One ``(start, end)`` span per line, line breaks excluded; line ``n`` (1-based)
        is item ``n - 1``. There is always at least one (possibly empty) line.
    """
    spans: list[Span] = []
    pos = 1 if source.startswith(BOM) else 0
    for m in _EOL.finditer(source):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(source)))
    return spans


def strip_span(source: str, start: int, end: int) -> Span:
    """Narrow ``[start, end)`` so that it has no leading or trailing whitespace.

    Returns:
        The narrowed span; an empty span at ``start`` when everything is whitespace.
    """
    piece = source[start:end]
    left = len(piece) - len(piece.lstrip())
    if left == len(piece):
        return (start, start)
    right = len(piece.rstrip())
    return (start + left, start + right)


def is_blank(source: str, start: int, end: int) -> bool:
    """True when the span is empty or holds only whitespace."""
    return start >= end or source[start:end].isspace()


class LineIndex:
    """Maps source offsets to 1-based line numbers (built on first use)."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._starts: list[int] | None = None

    def line_of(self, offset: int) -> int:
        """The 1-based number of the line holding ``offset``."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _EOL.finditer(self._source)]
        return bisect_right(self._starts, offset)
