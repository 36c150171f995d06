"""Taking the markup out of one line of caption text, keeping track of offsets.

A line such as ``<i>Hello</i> &amp; <c.red>bye</c>`` becomes pieces: runs of the
source copied as they are, character references decoded as atomic pieces, and
line breaks for ``<br>``. Tags never reach a turn's text.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from interview_diag.readers.lines import strip_span


class Piece(NamedTuple):
    """A piece of text read from ``source[start:end]``.

    ``text`` is ``None`` when the piece is the source copied as it is; otherwise it
    is the decoded text of an atomic piece (a character reference). A piece with
    ``start == end == -1`` is a line break the markup asked for (``<br>``).
    """

    start: int
    end: int
    text: str | None = None

    @property
    def is_break(self) -> bool:
        """True for the line break that ``<br>`` stands for."""
        return self.start < 0


BREAK = Piece(-1, -1, "\n")

# HTML-ish tags (<b>, </i>, <font color=red>, <c.colorE5E5E5>, <v Name>), WebVTT
# karaoke timestamps (<00:05:04.199>) and ASS override codes ({\an8}). A "<" not
# followed by a letter, "/" or a timestamp is text ("2<3,5>1").
_TAG = re.compile(
    r"<(?:(?P<br>[bB][rR]\s*/?)|/?[A-Za-z][^<>\r\n]*|/|\d{1,4}(?::\d{1,2}){1,2}[.,]\d{1,4})>"
    r"|\{\\[^{}\r\n]*\}"
)
# SubRip files written by ASS-aware tools also carry \N (forced line break) and
# \h (hard space).
_SRT_TAG = re.compile(_TAG.pattern + r"|(?P<forced>\\N)|(?P<hard>\\h)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _text_pieces(source: str, start: int, end: int, entities: bool, out: list[Piece]) -> None:
    if start >= end:
        return
    if not entities or source.find("&", start, end) < 0:
        out.append(Piece(start, end))
        return
    pos = start
    for m in _ENTITY.finditer(source, start, end):
        decoded = html.unescape(m.group())
        if decoded == m.group():
            continue  # an unknown name such as "&foo;" stays text
        if m.start() > pos:
            out.append(Piece(pos, m.start()))
        out.append(Piece(m.start(), m.end(), decoded))
        pos = m.end()
    if pos < end:
        out.append(Piece(pos, end))


def strip_markup(source: str, start: int, end: int, *, webvtt: bool) -> list[Piece]:
    """Split ``source[start:end]`` into text pieces with the markup removed.

    Args:
        source: the original input.
        start: start of the line content.
        end: end of the line content.
        webvtt: WebVTT text, whose character references (``&amp;``) are decoded;
            otherwise SubRip text, whose ``\\N`` and ``\\h`` escapes are read.

    Returns:
        The pieces in order, with whitespace at both ends trimmed away.
    """
    markers = ("<", "{", "&") if webvtt else ("<", "{", "\\")
    if not any(source.find(c, start, end) >= 0 for c in markers):
        s, e = strip_span(source, start, end)  # the common case: plain text
        return [Piece(s, e)] if s < e else []
    out: list[Piece] = []
    pos = start
    for m in (_TAG if webvtt else _SRT_TAG).finditer(source, start, end):
        _text_pieces(source, pos, m.start(), webvtt, out)
        if m.group("br") is not None or (not webvtt and m.group("forced") is not None):
            out.append(BREAK)
        elif not webvtt and m.group("hard") is not None:
            out.append(Piece(m.start(), m.end(), "\u00a0"))
        pos = m.end()
    _text_pieces(source, pos, end, webvtt, out)
    return trim_pieces(source, out)


def piece_text(source: str, piece: Piece) -> str:
    """The text a piece contributes."""
    return source[piece.start : piece.end] if piece.text is None else piece.text


def _is_space(source: str, piece: Piece) -> bool:
    return piece.is_break or piece_text(source, piece).isspace()


def trim_pieces(source: str, pieces: list[Piece]) -> list[Piece]:
    """Drop whitespace (and breaks) at both ends of a list of pieces."""
    lo, hi = 0, len(pieces)
    while lo < hi and _is_space(source, pieces[lo]):
        lo += 1
    while hi > lo and _is_space(source, pieces[hi - 1]):
        hi -= 1
    if lo >= hi:
        return []
    trimmed = pieces[lo:hi]
    first = trimmed[0]
    if first.text is None:
        text = source[first.start : first.end]
        trimmed[0] = Piece(first.end - len(text.lstrip()), first.end)
    last = trimmed[-1]
    if last.text is None:
        text = source[last.start : last.end]
        trimmed[-1] = Piece(last.start, last.start + len(text.rstrip()))
    return trimmed
