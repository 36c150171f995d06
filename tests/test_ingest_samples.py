"""Hand-written realistic samples of every supported format, read with exact expectations.

Each case gives the input, the format it must be read as, and for every turn its
speaker, its text and the source pieces its chunks point at (found in order in
the input, so the offsets are checked exactly).
"""

from __future__ import annotations

import pytest

from interview_diag import ingest
from interview_diag.readers.chunkcheck import mapping_problems
from interview_diag.types import Transcript

# The source text of a chunk, or (context, text) when the text alone is ambiguous:
# the chunk is the text inside the next occurrence of the context.
Piece = str | tuple[str, str]
# (speaker, text, the source text of each chunk in order)
Expected = list[tuple[str | None, str, list[Piece]]]

ZOOM_VTT = """WEBVTT

1
00:00:01.200 --> 00:00:04.800
Dana Lee: Thanks for joining. Could you walk me through your last role?

2
00:00:05.100 --> 00:00:09.300
Sam Ortiz: Sure. I led the payments team at Acme for two years.

3
00:00:09.500 --> 00:00:12.000
We shipped the new checkout in March.

4
00:00:12.400 --> 00:00:14.000
Dana Lee: Why are you leaving?
"""

TEAMS_VTT = """WEBVTT

8f3c2d1e-4b5a-4c6d-9e7f-0a1b2c3d4e5f/12-0
00:00:02.150 --> 00:00:05.400
<v Priya Shah>Tell me about a time you disagreed with a manager.</v>

8f3c2d1e-4b5a-4c6d-9e7f-0a1b2c3d4e5f/13-0
00:00:05.900 --> 00:00:09.950
<v Tom Becker>Honestly, my old boss was useless, so I stopped asking.</v>

8f3c2d1e-4b5a-4c6d-9e7f-0a1b2c3d4e5f/14-0
00:00:10.000 --> 00:00:12.500
<v Tom Becker>But I learned to document decisions &amp; trade-offs.</v>
"""

SRT = """1
00:00:00,500 --> 00:00:03,000
INTERVIEWER: What do you know about our company?

2
00:00:03,200 --> 00:00:07,900
CANDIDATE: <i>Not much,</i> to be honest.
I didn't have time to look.

3
00:00:08,000 --> 00:00:09,000
{\\an8}INTERVIEWER: I see.
"""

WHISPER_JSON = r"""{"text": " Thanks for having me, I am excited.", "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 2.1, "text": " Thanks for having me.", "tokens": [50364, 2561, 337], "temperature": 0.0}, {"id": 1, "seek": 0, "start": 2.1, "end": 4.8, "text": " I\u2019m excited about the \"platform\" role.", "tokens": [50470, 286], "temperature": 0.0}], "language": "en"}"""  # noqa: E501

TURNS_JSON = r"""[
  {"speaker": "Interviewer", "text": "Where do you see yourself in five years?"},
  {"speaker": "Candidate", "text": "Leading a small team.\nMaybe sooner."}
]
"""

QA = """Q: Why do you want this job?
A: Mostly the salary, if I'm honest.
It pays more than my current one.

Q: What do you know about us?
A: Not a lot.
"""

ROLES_WITH_TIMES = """[00:00:05] INTERVIEWER: Thanks for coming in today.
CANDIDATE [00:00:09]: Happy to be here.
00:12 INTERVIEWER: Tell me about yourself.
CANDIDATE (00:15): I'm a data analyst with four years of experience.
12:03:45 INTERVIEWER: [12:03:46] Great.
"""

PROSE = """Dear Ms. Alvarez,

Thank you for the interview on Tuesday. My goal: to keep learning.
I enjoyed meeting the team.

Best regards,
Jordan
"""

OTTER = """Unknown Speaker  0:00
So, tell me why you left your last job.

Jordan Kim  0:04
Well, my manager and I didn't get along.
Honestly, it was a toxic place.

Unknown Speaker  0:12
I see.
"""

ZOOM_CHAT = (
    "00:01:05\tRecruiter Amy:\tWelcome! We'll start in a minute.\n"
    "00:01:40\tJordan Kim:\tThanks, I'm ready.\n"
    "00:02:10\tRecruiter Amy: Great: first question coming up.\n"
)

MEET_DOC = """abc-defg-hij (2024-05-02 10:00 GMT+1) - Transcript
Attendees
Amy Chen, Jordan Kim
Transcript
This editable transcript was computer generated and might contain errors.
Amy Chen: Why should we hire you?
Jordan Kim:  Because I ship.
00:05:00
Jordan Kim: And I learn fast.
Meeting ended after 00:06:12 👋
"""

AWS_JSON = """{"results": {"items": [
 {"start_time": "0.1", "end_time": "0.4", "speaker_label": "spk_0",
  "alternatives": [{"confidence": "0.99", "content": "Why"}], "type": "pronunciation"},
 {"start_time": "0.4", "end_time": "0.6", "speaker_label": "spk_0",
  "alternatives": [{"confidence": "0.99", "content": "us"}], "type": "pronunciation"},
 {"alternatives": [{"confidence": "0.0", "content": "?"}], "type": "punctuation"},
 {"start_time": "1.0", "end_time": "1.5", "speaker_label": "spk_1",
  "alternatives": [{"confidence": "0.98", "content": "Growth"}], "type": "pronunciation"},
 {"alternatives": [{"confidence": "0.0", "content": "."}], "type": "punctuation"}
]}}"""

DEEPGRAM_JSON = """{"results": {"utterances": [
  {"start": 0.5, "end": 1.2, "transcript": "Any questions?", "speaker": 0},
  {"start": 1.5, "end": 3.0, "transcript": "What does success look like here?", "speaker": 1}
]}}"""

WHISPERCPP = """(speaker 0) Tell me about a failure and what you
(speaker 0) learned.
(speaker 1) I missed a deadline once; now I plan for it
(speaker 1)'s risks.
"""

INLINE_ROLES = (
    "Interviewer: Any questions for us? Candidate: No, I think you've covered it. "
    "Interviewer: Great, thanks.\nCandidate: Thanks: it was good.\n"
)

SAMPLES: dict[str, tuple[str, str, Expected]] = {
    "labelled-inline-roles": (
        INLINE_ROLES,
        "labelled",
        [
            ("Interviewer", "Any questions for us?", ["Any questions for us?"]),
            ("Candidate", "No, I think you've covered it.", ["No, I think you've covered it."]),
            ("Interviewer", "Great, thanks.", ["Great, thanks."]),
            ("Candidate", "Thanks: it was good.", ["Thanks: it was good."]),
        ],
    ),
    "zoom-vtt": (
        ZOOM_VTT,
        "vtt",
        [
            (
                "Dana Lee",
                "Thanks for joining. Could you walk me through your last role?",
                ["Thanks for joining. Could you walk me through your last role?"],
            ),
            (
                "Sam Ortiz",
                "Sure. I led the payments team at Acme for two years. "
                "We shipped the new checkout in March.",
                [
                    "Sure. I led the payments team at Acme for two years.",
                    "We shipped the new checkout in March.",
                ],
            ),
            ("Dana Lee", "Why are you leaving?", ["Why are you leaving?"]),
        ],
    ),
    "teams-vtt": (
        TEAMS_VTT,
        "vtt",
        [
            (
                "Priya Shah",
                "Tell me about a time you disagreed with a manager.",
                ["Tell me about a time you disagreed with a manager."],
            ),
            (
                "Tom Becker",
                "Honestly, my old boss was useless, so I stopped asking. "
                "But I learned to document decisions & trade-offs.",
                [
                    "Honestly, my old boss was useless, so I stopped asking.",
                    "But I learned to document decisions ",
                    "&amp;",
                    " trade-offs.",
                ],
            ),
        ],
    ),
    "srt": (
        SRT,
        "srt",
        [
            (
                "INTERVIEWER",
                "What do you know about our company?",
                ["What do you know about our company?"],
            ),
            (
                "CANDIDATE",
                "Not much, to be honest.\nI didn't have time to look.",
                ["Not much,", " to be honest.\nI didn't have time to look."],
            ),
            ("INTERVIEWER", "I see.", ["I see."]),
        ],
    ),
    "whisper-json": (
        WHISPER_JSON,
        "json",
        [
            (
                None,
                'Thanks for having me. I\u2019m excited about the "platform" role.',
                [
                    "Thanks for having me.",
                    "I",
                    "\\u2019",
                    "m excited about the ",
                    '\\"',
                    "platform",
                    '\\"',
                    " role.",
                ],
            )
        ],
    ),
    "turns-json": (
        TURNS_JSON,
        "json",
        [
            (
                "Interviewer",
                "Where do you see yourself in five years?",
                ["Where do you see yourself in five years?"],
            ),
            (
                "Candidate",
                "Leading a small team.\nMaybe sooner.",
                ["Leading a small team.", "\\n", "Maybe sooner."],
            ),
        ],
    ),
    "q-a": (
        QA,
        "labelled",
        [
            ("Q", "Why do you want this job?", ["Why do you want this job?"]),
            (
                "A",
                "Mostly the salary, if I'm honest.\nIt pays more than my current one.",
                ["Mostly the salary, if I'm honest.\nIt pays more than my current one."],
            ),
            ("Q", "What do you know about us?", ["What do you know about us?"]),
            ("A", "Not a lot.", ["Not a lot."]),
        ],
    ),
    "roles-with-times": (
        ROLES_WITH_TIMES,
        "labelled",
        [
            ("INTERVIEWER", "Thanks for coming in today.", ["Thanks for coming in today."]),
            ("CANDIDATE", "Happy to be here.", ["Happy to be here."]),
            ("INTERVIEWER", "Tell me about yourself.", ["Tell me about yourself."]),
            (
                "CANDIDATE",
                "I'm a data analyst with four years of experience.",
                ["I'm a data analyst with four years of experience."],
            ),
            ("INTERVIEWER", "Great.", ["Great."]),
        ],
    ),
    "prose": (
        PROSE,
        "prose",
        [
            (None, "Dear Ms. Alvarez,", ["Dear Ms. Alvarez,"]),
            (
                None,
                "Thank you for the interview on Tuesday. My goal: to keep learning.\n"
                "I enjoyed meeting the team.",
                [
                    "Thank you for the interview on Tuesday. My goal: to keep learning.\n"
                    "I enjoyed meeting the team."
                ],
            ),
            (None, "Best regards,\nJordan", ["Best regards,\nJordan"]),
        ],
    ),
    "otter": (
        OTTER,
        "labelled",
        [
            (
                "Unknown Speaker",
                "So, tell me why you left your last job.",
                ["So, tell me why you left your last job."],
            ),
            (
                "Jordan Kim",
                "Well, my manager and I didn't get along.\nHonestly, it was a toxic place.",
                ["Well, my manager and I didn't get along.\nHonestly, it was a toxic place."],
            ),
            ("Unknown Speaker", "I see.", ["I see."]),
        ],
    ),
    "zoom-chat": (
        ZOOM_CHAT,
        "labelled",
        [
            (
                "Recruiter Amy",
                "Welcome! We'll start in a minute.",
                ["Welcome! We'll start in a minute."],
            ),
            ("Jordan Kim", "Thanks, I'm ready.", ["Thanks, I'm ready."]),
            (
                "Recruiter Amy",
                "Great: first question coming up.",
                ["Great: first question coming up."],
            ),
        ],
    ),
    "meet-doc": (
        MEET_DOC,
        "labelled",
        [
            ("Amy Chen", "Why should we hire you?", ["Why should we hire you?"]),
            (
                "Jordan Kim",
                "Because I ship.\nAnd I learn fast.",
                ["Because I ship.", "And I learn fast."],
            ),
        ],
    ),
    "aws-json": (
        AWS_JSON,
        "json",
        [
            ("spk_0", "Why us?", ["Why", "us", "?"]),
            ("spk_1", "Growth.", ["Growth", ('"content": "."', ".")]),
        ],
    ),
    "deepgram-json": (
        DEEPGRAM_JSON,
        "json",
        [
            ("Speaker 0", "Any questions?", ["Any questions?"]),
            (
                "Speaker 1",
                "What does success look like here?",
                ["What does success look like here?"],
            ),
        ],
    ),
    "whisper-cpp": (
        WHISPERCPP,
        "labelled",
        [
            (
                "speaker 0",
                "Tell me about a failure and what you learned.",
                ["Tell me about a failure and what you", "learned."],
            ),
            (
                "speaker 1",
                "I missed a deadline once; now I plan for it's risks.",
                ["I missed a deadline once; now I plan for it", "'s risks."],
            ),
        ],
    ),
}


def _chunk_spans(source: str, pieces: list[Piece]) -> list[tuple[int, int]]:
    """Where each expected chunk lies: each piece found after the previous one."""
    spans = []
    pos = 0
    for piece in pieces:
        context, text = piece if isinstance(piece, tuple) else (piece, piece)
        start = source.index(context, pos) + context.index(text)
        spans.append((start, start + len(text)))
        pos = start + len(text)
    return spans


def _actual(t: Transcript) -> list[tuple[str | None, str, list[tuple[int, int]]]]:
    return [
        (turn.speaker, turn.text, [(c.source_start, c.source_end) for c in turn.chunks])
        for turn in t.turns
    ]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_read_sample_gives_exact_turns_and_offsets(name: str) -> None:
    source, fmt, expected = SAMPLES[name]
    t = ingest.read(source)
    no_problems: list[str] = []
    assert fmt == t.format
    assert no_problems == mapping_problems(t)
    assert [(sp, text, _chunk_spans(source, pieces)) for sp, text, pieces in expected] == _actual(t)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_read_sample_in_its_named_format_gives_the_same_turns(name: str) -> None:
    source, fmt, _ = SAMPLES[name]
    assert _actual(ingest.read(source)) == _actual(ingest.read(source, fmt))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_read_sample_has_no_warnings(name: str) -> None:
    source, _, _ = SAMPLES[name]
    no_warnings: tuple[str, ...] = ()
    assert no_warnings == ingest.read(source).warnings


@pytest.mark.parametrize("name", list(SAMPLES))
def test_detect_format_names_the_sample_format(name: str) -> None:
    source, fmt, _ = SAMPLES[name]
    assert fmt == ingest.detect_format(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # No sentence end before the second label: one turn.
        (
            "Interviewer: Tell the candidate: what next?\nCandidate: Fine.\n",
            [("Interviewer", "Tell the candidate: what next?"), ("Candidate", "Fine.")],
        ),
        # "Q:" and "A:" inside a turn are quoted, not new speakers.
        (
            "Candidate: Q: Any questions? A: No.\nInterviewer: Thanks.\n",
            [("Candidate", "Q: Any questions? A: No."), ("Interviewer", "Thanks.")],
        ),
        # The line does not start with a role: names are not split inside a line.
        (
            "Dana: Any questions? Candidate: None.\nSam: Thanks.\nDana: Bye.\n",
            [("Dana", "Any questions? Candidate: None."), ("Sam", "Thanks."), ("Dana", "Bye.")],
        ),
    ],
)
def test_inline_role_labels_split_only_after_a_sentence_end_on_a_role_line(
    source: str, expected: list[tuple[str, str]]
) -> None:
    t = ingest.read(source)
    assert [] == mapping_problems(t)
    assert expected == [(turn.speaker, turn.text) for turn in t.turns]
