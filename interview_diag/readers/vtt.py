"""Reading WebVTT captions and transcripts (Zoom, Teams, Meet, YouTube, OHMS...)."""

from __future__ import annotations

from interview_diag.errors import Messages, ParseError
from interview_diag.readers.captions import read_cues
from interview_diag.readers.cueblocks import NOT_TIMING, split_cues, timing_kind
from interview_diag.readers.lines import first_text, is_blank, split_lines
from interview_diag.readers.turnbuilder import Reading, TurnBuilder

_HEADER = "WEBVTT"


def sniff(source: str) -> bool:
    """True when the first non-blank text is the ``WEBVTT`` signature."""
    return source.startswith(_HEADER, first_text(source))


def read(source: str, *, lenient: bool = True) -> Reading:
    """Read a WebVTT file; header-less fragments are read too, with a warning.

    Args:
        source: the original input.
        lenient: unused; the same rules apply whether or not the format was asked for.

    Returns:
        The turns and the problems met.

    Raises:
        ParseError: there is neither a ``WEBVTT`` header nor any cue.
    """
    builder = TurnBuilder(source)
    lines = split_lines(source)
    first = 0
    while first < len(lines) and is_blank(source, *lines[first]):
        first += 1
    if first == len(lines):
        return builder.finish()
    start, end = lines[first]
    has_header = source.startswith(_HEADER, start, end) and (
        end - start == len(_HEADER) or source[start + len(_HEADER)] in " \t"
    )
    header_line = first + 1
    if has_header:
        # The header block runs to the first empty line (Kind:, Language:, Style:...).
        first += 1
        while first < len(lines) and lines[first][0] < lines[first][1]:
            if timing_kind(source, *lines[first]) != NOT_TIMING:
                builder.warn(first + 1, "missing blank line after the WEBVTT header")
                break
            first += 1
    cues = split_cues(source, lines, first, builder, webvtt=True)
    if not any(c.timing_line >= 0 for c in cues):
        if not has_header:
            problem = Messages.IDG005.format(
                line=first + 1, problem="no WEBVTT header and no cue timing"
            )
            raise ParseError(Messages.IDG006.format(fmt="vtt", problem=problem), line=first + 1)
        if not cues:
            builder.warn(header_line, "the WebVTT file has no cues")
            return builder.finish()
    if not has_header:
        builder.warn(first + 1, "no WEBVTT header (read as a WebVTT fragment)")
    read_cues(source, lines, cues, builder, webvtt=True)
    return builder.finish()
