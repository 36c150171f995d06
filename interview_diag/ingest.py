"""The reader stage: turn a transcript, recap or letter into a ``Transcript``.

``read`` picks a reader by format (detecting it when asked for ``auto``) and
returns turns whose chunks map every character of their text onto the original
input. It is plain Python (no spaCy) and never raises anything but ``TypeError``,
``ConfigError`` or ``ParseError``; in ``auto`` mode it does not raise
``ParseError`` either, because an input that cannot be read as what it looked
like is read as prose, with a warning.

Example:
    >>> t = read("Q: Why us?\\nA: Your product.")
    >>> [(turn.speaker, turn.text) for turn in t.turns]
    [('Q', 'Why us?'), ('A', 'Your product.')]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from interview_diag.errors import ConfigError, Messages, ParseError
from interview_diag.readers import jsonfmt, labelled, prose, srt, vtt
from interview_diag.readers.lines import first_text, is_blank, split_lines
from interview_diag.readers.timestamps import CUE_TIMING
from interview_diag.readers.turnbuilder import Reading
from interview_diag.types import Transcript

FORMATS: tuple[str, ...] = ("auto", "prose", "labelled", "vtt", "srt", "json")

_READERS: dict[str, Callable[..., Reading]] = {
    "prose": prose.read,
    "labelled": labelled.read,
    "vtt": vtt.read,
    "srt": srt.read,
    "json": jsonfmt.read,
}

# How far into the input detection looks for a cue timing line.
_SNIFF_CHARS = 20_000
_SNIFF_LINES = 30
_COMMA_TIME = re.compile(r"\d[,]\d")


def _check_source(source: object) -> str:
    if not isinstance(source, str):
        raise TypeError(Messages.IDG001.format(type=type(source).__name__))
    return source


def detect_format(source: str) -> str:
    """Guess the format of ``source``.

    Args:
        source: the input text.

    Returns:
        One of ``prose``, ``labelled``, ``vtt``, ``srt``, ``json``.

    Raises:
        TypeError: ``source`` is not a ``str``.

    Example:
        >>> detect_format("WEBVTT\\n\\n00:00:01.000 --> 00:00:02.000\\nHi")
        'vtt'
    """
    _check_source(source)
    if vtt.sniff(source):
        return "vtt"
    if jsonfmt.sniff(source):
        return "json"
    timing = _first_timing_line(source)
    if timing is not None:
        arrow = timing.index("-->")
        return "srt" if _COMMA_TIME.search(timing, 0, arrow) else "vtt"
    if labelled.sniff(source):
        return "labelled"
    return "prose"


def _first_timing_line(source: str) -> str | None:
    """The first cue timing line among the first non-blank lines, if any."""
    head = source[:_SNIFF_CHARS]
    seen = 0
    for start, end in split_lines(head):
        if is_blank(head, start, end):
            continue
        if CUE_TIMING.fullmatch(head, start, end):
            return head[start:end]
        seen += 1
        if seen >= _SNIFF_LINES:
            break
    return None


def read(source: str, fmt: str = "auto") -> Transcript:
    """Read a transcript, recap or letter into turns mapped onto the input.

    Args:
        source: the input text (a ``str``; bytes are refused, encodings are not guessed).
        fmt: one of ``FORMATS``; ``auto`` detects the format.

    Returns:
        The transcript. Empty or blank input gives no turns and the warning IDG002.
        ``Transcript.format`` is the format actually read.

    Raises:
        TypeError: ``source`` is not a ``str``.
        ConfigError: ``fmt`` is not one of ``FORMATS``.
        ParseError: an explicitly requested format cannot be read at all; ``.line``
            says where.
    """
    _check_source(source)
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise ConfigError(Messages.IDG003.format(fmt=fmt, choices=", ".join(FORMATS)))
    if first_text(source) >= len(source):
        return Transcript(source, "prose" if fmt == "auto" else fmt, (), (Messages.IDG002,))
    if fmt != "auto":
        reading = _READERS[fmt](source, lenient=True)
        return Transcript(source, fmt, reading.turns, reading.warnings)
    found = detect_format(source)
    try:
        reading = _READERS[found](source, lenient=False)
    except ParseError as exc:
        reading = prose.read(source)
        note = Messages.IDG008.format(fmt=found, problem=str(exc))
        return Transcript(source, "prose", reading.turns, (note, *reading.warnings))
    return Transcript(source, found, reading.turns, reading.warnings)
