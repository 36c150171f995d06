"""Who the candidate is, and what kind of text it is."""

from __future__ import annotations

import pytest

from interview_diag import ingest
from interview_diag.errors import ConfigError
from interview_diag.kinds import detect_kind
from interview_diag.roles import assign_roles, infer_candidate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Interviewer: Why?\nCandidate: Because.", "Candidate"),
        ("Q: Why did you apply?\nA: I like logistics.", "A"),
        ("INTERVIEWER: Why?\nJANE: Because I like it.", "JANE"),
        (
            "Sam: Hi Alex, tell me about yourself?\nAlex: I run a small bakery team and love it.\n"
            "Sam: Why do you want this job?\nAlex: I want to grow into operations.",
            "Alex",
        ),
        ("My old boss was an idiot.", None),
    ],
)
def test_infer_candidate(text, expected):
    assert expected == infer_candidate(ingest.read(text)).speaker


@pytest.mark.parametrize("text", ["Interviewer: Why?\nCandidate: Because."])
def test_infer_candidate_unknown_name_raises(text):
    with pytest.raises(ConfigError, match="Bob"):
        infer_candidate(ingest.read(text), "Bob")


@pytest.mark.parametrize("text", ["Interviewer: Why?\nCandidate: Because.\nInterviewer: OK."])
def test_assign_roles_marks_every_turn(text):
    t = ingest.read(text)
    roles = [x.role for x in assign_roles(t, infer_candidate(t)).turns]
    assert roles == ["interviewer", "candidate", "interviewer"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Interviewer: Why?\nCandidate: Because.", "transcript"),
        ("I have five years in retail and I led a team of six through a store refit.", "answer"),
        (
            "Dear Ms Patel,\n\nThank you for taking the time to meet me on Tuesday. I enjoyed "
            "hearing about the warehouse project.\n\nBest regards,\nSam",
            "letter",
        ),
        (
            "The interview was a mess. They asked me why I left my last job and I froze. "
            "The interviewer kept checking her phone.",
            "recap",
        ),
    ],
)
def test_detect_kind(text, expected):
    assert expected == detect_kind(ingest.read(text))[0]


@pytest.mark.parametrize(
    "text",
    [
        "From: Sam Rivera\nTo: Priya Patel\nSubject: Thank you\n\nDear Priya,\n\nThank you for "
        "your time today.\n\nSam",
        "Subject: Follow-up\n\nHello Mr. Chen, thank you for the interview today. Regards, Sam",
    ],
)
def test_detect_kind_email_with_headers_is_letter(text):
    assert "letter" == detect_kind(ingest.read(text))[0]
