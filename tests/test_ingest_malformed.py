"""Broken, truncated, CRLF and BOM inputs: read as far as possible, problems named by line."""

from __future__ import annotations

import pytest

from interview_diag import ingest
from interview_diag.errors import Messages, ParseError
from interview_diag.readers.chunkcheck import mapping_problems
from interview_diag.readers.turnbuilder import MAX_WARNINGS
from interview_diag.types import Transcript

Turns = list[tuple[str | None, str]]


def _turns(t: Transcript) -> Turns:
    return [(turn.speaker, turn.text) for turn in t.turns]


@pytest.mark.parametrize(
    ("source", "turns", "warnings"),
    [
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:0X.000\nHello there.\n",
            [(None, "Hello there.")],
            ("line 3: cannot read the cue timing",),
        ),
        (
            "WEBVTT\n\n1\n00:00:01.000 00:00:02.000\nHello.\n\n"
            "2\n00:00:03.000 --> 00:00:04.000\nBye.\n",
            [(None, "Hello. Bye.")],
            ("line 3: text outside any cue (no timing line)",),
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hi.\n"
            "00:00:03.000 --> 00:00:04.000\n<v Bob>Hello.\n",
            [("Ann", "Hi."), ("Bob", "Hello.")],
            ("line 5: missing blank line before this cue",),
        ),
        (
            "WEBVTT\n00:00:01.000 --> 00:00:02.000\nHi.\n",
            [(None, "Hi.")],
            ("line 2: missing blank line after the WEBVTT header",),
        ),
        ("WEBVTT\n\n", [], ("line 1: the WebVTT file has no cues",)),
        (
            "WEBVTT\n\nNOTE nothing was said\n\nSTYLE\n::cue {}\n",
            [],
            ("line 1: the WebVTT file has no cues",),
        ),
        (
            "00:00:01.000 --> 00:00:02.000\nHi.\n",
            [(None, "Hi.")],
            ("line 1: no WEBVTT header (read as a WebVTT fragment)",),
        ),
    ],
)
def test_read_broken_vtt_names_the_line(
    source: str, turns: Turns, warnings: tuple[str, ...]
) -> None:
    t = ingest.read(source, "vtt")
    assert (turns, warnings, []) == (_turns(t), t.warnings, mapping_problems(t))


@pytest.mark.parametrize(
    ("source", "turns", "warnings"),
    [
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHello.\n2\n00:00:03,000 --> 00:00:04,000\nAgain.\n",
            [(None, "Hello. Again.")],
            ("line 5: missing blank line before this cue",),
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,0O0\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nAgain.",
            [(None, "Hello. Again.")],
            ("line 2: cannot read the cue timing",),
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\nstray words\n\n",
            [(None, "Hello.\n\nstray words")],
            ("line 5: text outside any cue (no timing line)",),
        ),
    ],
)
def test_read_broken_srt_names_the_line(
    source: str, turns: Turns, warnings: tuple[str, ...]
) -> None:
    t = ingest.read(source, "srt")
    assert (turns, warnings, []) == (_turns(t), t.warnings, mapping_problems(t))


@pytest.mark.parametrize(
    ("source", "turns", "warnings"),
    [
        (
            '[\n  {"speaker": "Ann", "text": "Why this role?"},\n'
            '  {"speaker": "Bob", "text": "Because I',
            [("Ann", "Why this role?"), ("Bob", "Because I")],
            (
                "line 3: unterminated string",
                "line 3: the JSON ends before all brackets are closed (truncated?)",
            ),
        ),
        (
            '[\n  {"speaker": "Ann", "text": "Hi"},\n  {"speaker": "Bob", "text": "Hello"},\n]\n',
            [("Ann", "Hi"), ("Bob", "Hello")],
            ("line 4: trailing comma",),
        ),
        (
            '{"segments": [\n {"start": 0, "text": " One."}\n {"start": 1, "text": " Two."}\n]}',
            [(None, "One. Two.")],
            ("line 3: missing ',' between items",),
        ),
        (
            '[{"speaker": "Ann", "text": "Hi"}]\n\n// exported by a tool',
            [("Ann", "Hi")],
            ("line 3: text after the JSON value was ignored",),
        ),
        (
            '{"speaker": "Ann", "text": "Hi"}\n{"speaker": "Bob", "text": "Yo"}\n',
            [("Ann", "Hi"), ("Bob", "Yo")],
            (),
        ),
        ('{"segments": []}', [], ("line 1: the JSON holds no transcript text",)),
    ],
)
def test_read_broken_json_names_the_line(
    source: str, turns: Turns, warnings: tuple[str, ...]
) -> None:
    t = ingest.read(source, "json")
    assert (turns, warnings, []) == (_turns(t), t.warnings, mapping_problems(t))


@pytest.mark.parametrize(
    ("source", "fmt", "line"),
    [
        ("Hello there.\nNo captions here.", "vtt", 1),
        ("\n\nJust words.", "srt", 3),
        ("\n  plain words", "json", 2),
        ('{"meta": {"id": 3}}', "json", 1),
        ("\nJust a paragraph, no speakers.", "labelled", 2),
    ],
)
def test_read_requested_format_that_cannot_be_read_raises_with_the_line(
    source: str, fmt: str, line: int
) -> None:
    with pytest.raises(ParseError) as info:
        ingest.read(source, fmt)
    assert (line, f"line {line}:") == (
        info.value.line,
        str(info.value).split(": ", 1)[1][: len(f"line {line}:")],
    )


@pytest.mark.parametrize("broken", [150])
def test_read_lists_the_first_hundred_problems_and_counts_the_rest(broken: int) -> None:
    cues = "".join(f"00:00:{i % 60:02d}.000 --> 00:00:xx\nLine {i}.\n\n" for i in range(broken))
    t = ingest.read("WEBVTT\n\n" + cues, "vtt")
    expected = (
        [f"line {3 + 3 * i}: cannot read the cue timing" for i in range(MAX_WARNINGS)]
        + [Messages.IDG009.format(count=broken - MAX_WARNINGS)],
        broken,
    )
    assert expected == (list(t.warnings), len(t.turns[0].chunks))


LF_SAMPLES = [
    "Q: Why here?\nA: Growth,\nmostly.\n\nQ: And?\nA: People.\n",
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Ann>Why here?\nTell me.</v>\n\n"
    "2\n00:00:03.000 --> 00:00:04.000\n<v Bob>Growth.</v>\n",
    "1\n00:00:01,000 --> 00:00:02,000\nAnn: Why here?\n<i>Tell me.</i>\n\n"
    "2\n00:00:03,000 --> 00:00:04,000\nBob: Growth.\n",
    '[\n {"speaker": "Ann", "text": "Why here?"},\n {"speaker": "Bob", "text": "Growth."}\n]\n',
    "Dear Ann,\n\nThanks for the chat.\nBest,\nSam\n",
    "Kelly  0:29\nWelcome to the show.\nGlad you came.\n\nAli  0:31\nThanks.\n",
]


@pytest.mark.parametrize("source", LF_SAMPLES)
@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_read_crlf_and_cr_input_reads_like_lf_with_exact_offsets(source: str, eol: str) -> None:
    lf = ingest.read(source)
    other = ingest.read(source.replace("\n", eol))
    assert (lf.format, _turns(lf), []) == (
        other.format,
        [(sp, text.replace(eol, "\n")) for sp, text in _turns(other)],
        mapping_problems(other),
    )


@pytest.mark.parametrize("source", LF_SAMPLES)
def test_read_bom_input_reads_like_without_and_never_maps_the_bom(source: str) -> None:
    plain = ingest.read(source)
    bom = ingest.read("\ufeff" + source)
    starts = [c.source_start for turn in bom.turns for c in turn.chunks]
    assert (plain.format, _turns(plain), [], True) == (
        bom.format,
        _turns(bom),
        mapping_problems(bom),
        min(starts) >= 1,
    )


@pytest.mark.parametrize(
    "source",
    [
        "-->",
        "WEBVTT\n\n-->\n<v>",
        "00:00:01,000 --> 00:00:02,000",
        "[" * 5000,
        '{"a": ' * 3000 + '"deep"',
        '{"text": "\\ud83d"}',
        '{"text": "\\u12"}',
        "\\",
        '"',
        "\ufeff\ufeff",
        "Q:",
        ":",
        "(speaker 0)",
        "**Ali** 0:00",
        "00:00:01.000 --> 00:00:02.000\n-\n \n(Ann)\n",
        "\r\r\n\n\r",
        "<v ->",
        "{\\an8}",
        "&amp;&#0;&#x110000;",
    ],
)
@pytest.mark.parametrize("fmt", ingest.FORMATS)
def test_read_odd_input_raises_nothing_but_parse_error(source: str, fmt: str) -> None:
    no_problems: list[str] = []
    try:
        t = ingest.read(source, fmt)
    except ParseError as exc:
        assert fmt != "auto"  # auto mode reads what it cannot parse as prose
        assert isinstance(exc.line, int)
    else:
        assert no_problems == mapping_problems(t)
