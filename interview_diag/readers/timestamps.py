"""Regular-expression pieces for the clock times that transcripts put around speech.

They are strings so that the readers can compose them into their own patterns.
Every repetition is bounded, so no pattern can backtrack badly on a long line.
"""

from __future__ import annotations

import re

# A clock time in a transcript: 0:19, 00:12, 12:03:45, 00:00:05.000, 1:02:03,5.
CLOCK = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"

# The same, optionally in brackets or parentheses: [00:12:03], (12:03), 0:19.
MARKED_CLOCK = rf"(?:\[{CLOCK}\]|\({CLOCK}\)|{CLOCK})"

# A cue time in WebVTT or SRT, leniently: Teams writes 0:0:0.0, hours may exceed 99.
CUE_TIME = r"\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,4})?"

# A cue timing line: "00:00:01.000 --> 00:00:04.000 align:start position:0%".
CUE_TIMING = re.compile(rf"[ \t]*{CUE_TIME}[ \t]*-->[ \t]*{CUE_TIME}(?:[ \t][^\r\n]*)?")

# A line that holds nothing but a clock time (Google Meet's "00:05:00" lines).
BARE_CLOCK = re.compile(rf"[ \t]*{MARKED_CLOCK}[ \t]*")

# A clock time at the start of a line, followed by a blank (the "0:00 " prefix).
LEADING_CLOCK = re.compile(rf"{MARKED_CLOCK}[ \t]+")
