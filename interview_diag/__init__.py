"""interview_diag: find what went wrong in a job interview, with exact evidence and advice."""

from interview_diag._version import __version__
from interview_diag.analyzer import Analyzer, analyze
from interview_diag.drafting import Draft, draft_followup
from interview_diag.errors import ConfigError, InterviewDiagError, ModelError, ParseError, RuleError
from interview_diag.frames import to_dataframe
from interview_diag.letters import check_letter
from interview_diag.types import (
    Candidate,
    Evidence,
    Finding,
    InputStats,
    Report,
    Severity,
    Transcript,
    Turn,
    TurnInfo,
)

__all__ = [
    "Analyzer",
    "Candidate",
    "ConfigError",
    "Draft",
    "Evidence",
    "Finding",
    "InputStats",
    "InterviewDiagError",
    "ModelError",
    "ParseError",
    "Report",
    "RuleError",
    "Severity",
    "Transcript",
    "Turn",
    "TurnInfo",
    "__version__",
    "analyze",
    "check_letter",
    "draft_followup",
    "to_dataframe",
]
