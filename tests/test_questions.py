"""Question types of interviewer turns and the context they give the next answer."""

from __future__ import annotations

import pytest

from interview_diag.questions import classify_question, is_open, topics_raised, turn_contexts
from interview_diag.types import Chunk, Turn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why did you leave your last job?", "why_left"),
        ("Great. Do you have any questions for us?", "questions_for_us"),
        ("So, tell me about yourself.", "tell_me_about_yourself"),
        ("What do you know about Acme?", "what_know"),
        ("What are your salary expectations?", "salary"),
        ("Nice weather today. How would you handle a conflict with a peer?", "behavioural"),
        ("What is your greatest weakness?", "weakness"),
        ("Thanks for coming in.", None),
    ],
)
def test_classify_question_types(text, expected):
    assert expected == classify_question(text)


@pytest.mark.parametrize(
    ("question", "expected"), [("why_left", True), ("questions_for_us", False), (None, False)]
)
def test_is_open(question, expected):
    assert expected == is_open(question)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We offer a bonus and remote days. Why did you leave?",
            {"salary", "why_left", "other_open"},
        )
    ],
)
def test_topics_raised_collects_every_type(text, expected):
    assert expected == set(topics_raised(text))


def _turn(i: int, role: str, text: str) -> Turn:
    return Turn(i, role, text, (Chunk(0, len(text), 0, len(text)),), role)  # type: ignore[arg-type]


def test_turn_contexts_carry_question_and_raised_topics():
    turns = [
        _turn(0, "interviewer", "Any questions for us?"),
        _turn(1, "candidate", "No."),
        _turn(2, "interviewer", "Our salary band is fixed. Why did you leave?"),
        _turn(3, "candidate", "Growth."),
    ]
    ctx = turn_contexts(turns)
    assert [c.question for c in ctx] == [None, "questions_for_us", "questions_for_us", "why_left"]
    assert "salary" in ctx[3].raised
    assert "salary" not in ctx[1].raised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How are you today?", "small_talk"),
        ("How are you today? Tell me about yourself.", "tell_me_about_yourself"),
        ("Hi, how are you? Any questions for us?", "questions_for_us"),
        ("Any questions?", "questions_for_us"),
    ],
)
def test_classify_question_small_talk_yields_to_a_real_question(text, expected):
    assert expected == classify_question(text)
