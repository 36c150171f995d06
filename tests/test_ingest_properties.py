"""Property tests: rendered conversations read back exactly; any text reads without crashing."""

from __future__ import annotations

import html
import json
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_diag import ingest
from interview_diag.errors import ParseError
from interview_diag.readers.chunkcheck import mapping_problems
from interview_diag.types import Transcript

Conversation = list[tuple[str, str]]

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

NAMES = st.from_regex(r"[A-Z][a-z]{1,7}( [A-Z][a-z]{1,7})?", fullmatch=True)
SAFE_TEXT = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.?!']{0,40}", fullmatch=True).map(str.strip)
# Any printable text, behind a safe first word so that it never starts a line
# with something a format reads as markup ("- ", "[Name]", a clock time).
UNICODE_TAIL = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
)
TEXTS = st.one_of(
    SAFE_TEXT, st.builds(lambda head, tail: f"{head} {tail}".strip(), SAFE_TEXT, UNICODE_TAIL)
)
# SubRip has no escapes: "<", "{" and "\" would be read as tags, ASS codes or escapes.
SRT_TEXTS = TEXTS.map(lambda t: t.translate(str.maketrans("<{\\", "xyz")))


@st.composite
def conversations(draw: st.DrawFn, texts: st.SearchStrategy[str] = TEXTS) -> Conversation:
    """Turns whose neighbours always have different speakers (so none merge)."""
    names = draw(st.lists(NAMES, min_size=2, max_size=4, unique=True))
    speakers = [draw(st.sampled_from(names))]
    for _ in range(draw(st.integers(0, 5))):
        speakers.append(draw(st.sampled_from([n for n in names if n != speakers[-1]])))
    return [(s, draw(texts)) for s in speakers]


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cue_time(i: int, sep: str) -> str:
    return f"00:{i // 60:02d}:{i % 60:02d}{sep}000 --> 00:{i // 60:02d}:{i % 60:02d}{sep}900"


def render_labelled(conv: Conversation) -> str:
    return "".join(f"{speaker}: {text}\n" for speaker, text in conv)


def render_vtt_voice(conv: Conversation) -> str:
    cues = (
        f"{i + 1}\n{_cue_time(i, '.')}\n<v {s}>{_vtt_escape(t)}</v>\n"
        for i, (s, t) in enumerate(conv)
    )
    return "WEBVTT\n\n" + "\n".join(cues)


def render_vtt_prefix(conv: Conversation) -> str:
    cues = (f"{_cue_time(i, '.')}\n{s}: {_vtt_escape(t)}\n" for i, (s, t) in enumerate(conv))
    return "WEBVTT\n\n" + "\n".join(cues)


def render_srt(conv: Conversation) -> str:
    return "\n".join(f"{i + 1}\n{_cue_time(i, ',')}\n{s}: {t}\n" for i, (s, t) in enumerate(conv))


def render_json_turns(conv: Conversation, ascii_only: bool) -> str:
    return json.dumps(
        [{"speaker": s, "text": t} for s, t in conv], ensure_ascii=ascii_only, indent=1
    )


def render_whisper(conv: Conversation, ascii_only: bool) -> str:
    segments = [
        {"id": i, "start": i * 2.0, "end": i * 2.0 + 1.5, "text": " " + t, "speaker": s}
        for i, (s, t) in enumerate(conv)
    ]
    return json.dumps({"text": "", "segments": segments, "language": "en"}, ensure_ascii=ascii_only)


def _turns(t: Transcript) -> list[tuple[str | None, str]]:
    return [(turn.speaker, turn.text) for turn in t.turns]


def _atomic_pieces(t: Transcript) -> list[tuple[str, str]]:
    """(source, text) of every non-exact chunk."""
    return [
        (t.source[c.source_start : c.source_end], turn.text[c.text_start : c.text_end])
        for turn in t.turns
        for c in turn.chunks
        if not c.exact
    ]


def _decode_json(piece: str) -> str:
    decoded = json.loads(f'"{piece}"')
    assert isinstance(decoded, str)
    return decoded


RENDERERS: dict[str, tuple[Callable[[Conversation], str], str, Callable[[str], str]]] = {
    "labelled": (render_labelled, "labelled", str),
    "vtt-voice": (render_vtt_voice, "vtt", html.unescape),
    "vtt-prefix": (render_vtt_prefix, "vtt", html.unescape),
}


@pytest.mark.parametrize("name", list(RENDERERS))
@PROPERTY_SETTINGS
@given(conv=conversations())
def test_read_rendered_conversation_gives_back_speakers_and_texts(
    name: str, conv: Conversation
) -> None:
    render, fmt, decode = RENDERERS[name]
    t = ingest.read(render(conv), fmt)
    assert (conv, [], []) == (
        _turns(t),
        mapping_problems(t),
        [(s, x) for s, x in _atomic_pieces(t) if decode(s) != x],
    )


@pytest.mark.parametrize("fmt", ["srt"])
@PROPERTY_SETTINGS
@given(conv=conversations(SRT_TEXTS))
def test_read_rendered_srt_gives_back_speakers_and_texts(fmt: str, conv: Conversation) -> None:
    t = ingest.read(render_srt(conv), fmt)
    assert (conv, [], []) == (_turns(t), mapping_problems(t), _atomic_pieces(t))


@pytest.mark.parametrize("render", [render_json_turns, render_whisper])
@PROPERTY_SETTINGS
@given(conv=conversations(), ascii_only=st.booleans())
def test_read_rendered_json_gives_back_speakers_and_texts(
    render: Callable[[Conversation, bool], str], conv: Conversation, ascii_only: bool
) -> None:
    t = ingest.read(render(conv, ascii_only))
    assert ("json", conv, [], []) == (
        t.format,
        _turns(t),
        mapping_problems(t),
        [(s, x) for s, x in _atomic_pieces(t) if _decode_json(s) != x],
    )


@pytest.mark.parametrize("fmt", ["auto"])
@PROPERTY_SETTINGS
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_read_question_and_answer_lines_are_detected_and_read_back(
    fmt: str, texts: list[str]
) -> None:
    conv = [("Q" if i % 2 == 0 else "A", text) for i, text in enumerate(texts)]
    t = ingest.read(render_labelled(conv), fmt)
    assert ("labelled", conv, []) == (t.format, _turns(t), mapping_problems(t))


@pytest.mark.parametrize("fmt", ["auto"])
@PROPERTY_SETTINGS
@given(texts=st.lists(TEXTS, min_size=1, max_size=6))
def test_read_whisper_segments_without_speakers_make_one_turn(fmt: str, texts: list[str]) -> None:
    segments = [
        {"start": float(i), "end": i + 0.5, "text": " " + text} for i, text in enumerate(texts)
    ]
    t = ingest.read(json.dumps({"segments": segments}), fmt)
    assert ([(None, " ".join(texts))], []) == (_turns(t), mapping_problems(t))


# Pieces of the formats' syntax, so that random inputs look like broken transcripts.
FRAGMENTS = [
    "WEBVTT\n", "-->", " --> ", "00:00:01.000", "0:0:1,5", "\n", "\r\n", "\r", "\n\n",
    "<v Ann>", "</v>", "<v ->", "<i>", "<br>", "&amp;", "{", "}", "[", "]", '"', ":", "Q: ",
    "A: ", "Alice: ", "- ", "(Bob)", "[Alba] ", "NOTE ", "1\n", "\t", "\\u00e9", "\\ud83d",
    "\\", ",", "{\\an8}", "**Ali** 0:19\n", "Kelly  0:29  \n", "12:00:01\tAnn:\t",
    "10:01 From  A  to  Everyone:\n", "(speaker 0)", "\ufeff",
    '{"speakerName":"X","spokenText":"y"}', '"text": ', '"speaker": ', "[{", "}]", "x", "é",
    "😀", " ",
]  # fmt: skip
NOISY_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30).map("".join),
)


@pytest.mark.parametrize("fmt", ["auto"])
@settings(max_examples=300, deadline=None)
@given(source=NOISY_TEXT)
def test_read_any_text_in_auto_mode_never_raises_and_maps_back(fmt: str, source: str) -> None:
    first = ingest.read(source, fmt)
    assert ([], first) == (mapping_problems(first), ingest.read(source, fmt))


@pytest.mark.parametrize("fmt", [f for f in ingest.FORMATS if f != "auto"])
@PROPERTY_SETTINGS
@given(source=NOISY_TEXT)
def test_read_any_text_in_a_named_format_raises_only_parse_error(fmt: str, source: str) -> None:
    try:
        t = ingest.read(source, fmt)
    except ParseError as exc:
        assert isinstance(exc.line, int)
    else:
        assert ([], t) == (mapping_problems(t), ingest.read(source, fmt))
