"""Reading plain prose (an answer, a recap, a letter): one turn per paragraph."""

from __future__ import annotations

from interview_diag.readers.lines import is_blank, split_lines, strip_span
from interview_diag.readers.turnbuilder import Reading, TurnBuilder


def read(source: str, *, lenient: bool = True) -> Reading:
    """Split ``source`` into paragraphs (runs of non-blank lines), each a turn.

    Args:
        source: the original input.
        lenient: unused; prose can always be read.

    Returns:
        One turn per paragraph, speaker ``None``, each a single chunk of the source.
    """
    builder = TurnBuilder(source)
    para_start = -1
    para_end = -1
    for start, end in split_lines(source):
        if is_blank(source, start, end):
            if para_start >= 0:
                builder.begin(None)
                builder.add(para_start, para_end)
                para_start = -1
            continue
        s, e = strip_span(source, start, end)
        if para_start < 0:
            para_start = s
        para_end = e
    if para_start >= 0:
        builder.begin(None)
        builder.add(para_start, para_end)
    return builder.finish()
