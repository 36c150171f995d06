"""Splitting a WebVTT or SRT file into cues (id line, timing line, text lines).

It follows the WebVTT parsing rules where they help with broken files: a cue ends
at an empty line, or at a line holding ``-->`` (a cue with no blank line before it).
It goes further for real-world files: a bare number just before such a timing line
is taken as the next cue's id (SRT without blank lines), whitespace-only lines
between cues are ignored, and text outside any cue is kept (with a warning) instead
of being dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from interview_diag.readers.lines import Span, is_blank, strip_span
from interview_diag.readers.timestamps import CUE_TIMING
from interview_diag.readers.turnbuilder import TurnBuilder

_BLOCK_KEYWORD = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_DIGITS = re.compile(r"[ \t]*\d{1,9}[ \t]*")
# A line that was meant as a cue timing but lacks the "-->" (or is garbled).
# It is matched against the stripped line, and no two parts can match the same
# characters, so it cannot backtrack badly.
_TIMING_LIKE = re.compile(r"\d{1,4}[:.,]\d[\d:.,]*(?:(?:\s*(?:-{1,3}>?|[–—])\s*|\s+)\d[\d:.,]*)?")

NOT_TIMING, TIMING, BROKEN_TIMING = 0, 1, 2


class Cue(NamedTuple):
    """Line indexes (0-based) of a cue's parts; ``-1`` where a part is missing."""

    id_line: int
    timing_line: int
    text_lines: list[int]


def timing_kind(source: str, start: int, end: int) -> int:
    """Classify a line as a cue timing line, a broken one, or not one at all."""
    if source.find("-->", start, end) < 0:
        return NOT_TIMING
    if CUE_TIMING.fullmatch(source, start, end):
        return TIMING
    first = source[start:end].lstrip()[:1]
    return BROKEN_TIMING if first.isdigit() else NOT_TIMING


def split_cues(
    source: str, lines: list[Span], first: int, builder: TurnBuilder, *, webvtt: bool
) -> list[Cue]:
    """Find the cues from line index ``first`` on.

    Args:
        source: the original input.
        lines: the line spans of ``source``.
        first: index of the first line after any file header.
        builder: receives warnings about malformed lines.
        webvtt: skip NOTE, STYLE and REGION blocks (WebVTT only).

    Returns:
        The cues in order.
    """
    cues: list[Cue] = []
    current: Cue | None = None
    pending = -1  # a line seen outside a cue: the next cue's id, or stray text
    n = len(lines)
    i = first
    while i < n:
        start, end = lines[i]
        kind = timing_kind(source, start, end)
        if current is not None:
            if start == end:
                current = None
            elif kind != NOT_TIMING:
                builder.warn(i + 1, "missing blank line before this cue")
                texts = current.text_lines
                id_line = -1
                if texts and _DIGITS.fullmatch(source, *lines[texts[-1]]):
                    id_line = texts.pop()
                current = _start_cue(source, i, id_line, kind, builder)
                cues.append(current)
            else:
                current.text_lines.append(i)
            i += 1
            continue
        if is_blank(source, start, end):
            if pending >= 0:
                cues.append(_stray(source, lines, [pending], builder))
                pending = -1
            i += 1
            continue
        if kind != NOT_TIMING:
            current = _start_cue(source, i, pending, kind, builder)
            cues.append(current)
            pending = -1
            i += 1
            continue
        if webvtt and pending < 0 and _BLOCK_KEYWORD.match(source, start, end):
            i += 1
            while i < n and lines[i][0] < lines[i][1]:
                if timing_kind(source, *lines[i]) != NOT_TIMING:
                    builder.warn(i + 1, "missing blank line after a NOTE or STYLE block")
                    break
                i += 1
            continue
        if pending < 0:
            pending = i
            i += 1
            continue
        # Two lines outside a cue: a block whose timing line is missing or garbled.
        block = [pending]
        while i < n and lines[i][0] < lines[i][1] and timing_kind(source, *lines[i]) == NOT_TIMING:
            block.append(i)
            i += 1
        pending = -1
        cues.append(_stray(source, lines, block, builder))
    if pending >= 0:
        cues.append(_stray(source, lines, [pending], builder))
    return cues


def _start_cue(source: str, line: int, id_line: int, kind: int, builder: TurnBuilder) -> Cue:
    if kind == BROKEN_TIMING:
        builder.warn(line + 1, "cannot read the cue timing")
    return Cue(id_line, line, [])


def _stray(source: str, lines: list[Span], block: list[int], builder: TurnBuilder) -> Cue:
    """Keep the text of a block that has no timing line, warning about it."""
    builder.warn(block[0] + 1, "text outside any cue (no timing line)")
    texts = [
        i
        for i in block
        if not _DIGITS.fullmatch(source, *lines[i])
        and not _TIMING_LIKE.fullmatch(source, *strip_span(source, *lines[i]))
    ]
    return Cue(-1, -1, texts)
