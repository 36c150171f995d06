"""Drafting follow-up letters: every draft passes the letter checker, for every combination."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest

from interview_diag import Analyzer, check_letter, draft_followup
from interview_diag.cli import main
from interview_diag.drafting import load_templates, parse_templates, strongest_moments
from interview_diag.summary import summarize
from interview_diag.turn_checks import count_words
from interview_diag.types import Finding, Report, Severity

TRANSCRIPTS = {
    "blown": (
        "Northwind Logistics",
        "Operations Analyst",
        "Ms Young",
        """Interviewer: Thanks for coming in. Tell me a bit about yourself.
Candidate: Um, so I've been in logistics for about six years. At my current job I built a route \
planning spreadsheet that cut our fuel costs by 12 percent.
Interviewer: Why are you looking to leave?
Candidate: Honestly my boss is an idiot who micromanages everything. Before that I left Dalton \
Freight because the pay was bad, and I quit Marlow Haulage because the hours were awful.
Interviewer: What do you know about Northwind?
Candidate: Not much, to be honest. I didn't get a chance to look at your website. What do \
you guys do?
Interviewer: We run regional distribution for grocery chains. Tell me about a time you handled a \
difficult customer.
Candidate: Sure. Last winter I led a team of four through the holiday peak and we delivered 98% \
of orders on time.
Interviewer: Do you have any questions for us?
Candidate: Nope, I think you covered it. How many vacation days do I get?
""",
    ),
    "quiet": (
        "Meridian Bank",
        "Finance Analyst",
        None,
        """Interviewer: Tell me about yourself.
Candidate: I'm an accountant.
Interviewer: Can you walk me through a project you're proud of?
Candidate: Month-end close, I guess.
Interviewer: How did you improve it?
Candidate: I automated the bank reconciliations in Excel and cut the close from eight days to five.
Interviewer: What would you bring to our finance team?
Candidate: Not sure.
Interviewer: Any questions for us?
Candidate: No, I'm good.
""",
    ),
    "nervous": (
        "Copperleaf Software",
        "Data Engineer",
        "Hugo",
        """Interviewer: Tell me about a time you led a project.
Candidate: Sorry, I'm so nervous, my mind just went blank. Um, I guess maybe I kind of sort of \
led a, uh, a migration? Like, you know, we moved, um, the billing system and, uh, I think it went \
okay maybe.
Interviewer: What was the result?
Candidate: I led the migration of 200 nightly batch jobs to Airflow, and we've had no missed \
deadlines in the year since.
Interviewer: Why do you want to work here?
Candidate: Um, like, I heard you have, like, good benefits and stuff, and, um, you know, it \
seemed okay.
""",
    ),
    "crude": (
        "Brisk Support",
        "Support Lead",
        "Dana",
        """Interviewer: Why did you leave your last role?
Candidate: Honestly the place was a total shit show and my manager was a clueless jerk.
Interviewer: I see. What are you looking for next?
Candidate: Please, I really need this job, I've been rejected so many times. It's not fair.
Interviewer: Tell me about a success.
Candidate: At my last company I set up a triage rota that brought our median first response from \
6 hours to 40 minutes.
""",
    ),
    "good": (
        "Brightline Health",
        "Clinic Coordinator",
        "Dr Patel",
        """Interviewer: Tell me about yourself.
Candidate: I've spent five years in hospital administration. In my current role I coordinate rotas \
for 35 nurses, and I brought missed appointments down from 9% to 4% with a reminder system I set up.
Interviewer: Why Brightline?
Candidate: Your new walk-in clinic in Hove is exactly the kind of service I want to help open.
Interviewer: Any questions for us?
Candidate: Yes: how will the walk-in clinic share records with the local GP practices?
""",
    ),
    "recap": (
        "Tallis Foods",
        "Quality Manager",
        "Ms Grant",
        "The interview went badly. The interviewer kept checking her phone and cut me off twice "
        "when I talked about my last job. I told her my old manager was useless. She wrapped it up "
        "after fifteen minutes. I did mention that I led a team of six that cut complaint response "
        "times by half.\n",
    ),
}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """Rules only, built once: drafts are checked many times."""
    return Analyzer(model=None)


@pytest.fixture(scope="module")
def reports(analyzer: Analyzer) -> dict[str, Report]:
    return {
        name: analyzer.analyze(text, company=company, role=role)
        for name, (company, role, _, text) in TRANSCRIPTS.items()
    }


def _with(report: Report, findings: list[Finding] | tuple[Finding, ...]) -> Report:
    """The report with other findings, and the summary they give."""
    summary = summarize(findings, kind=report.kind, words=report.stats.words)
    return replace(report, findings=tuple(findings), summary=summary)


def _draft(
    name: str, report: Report, analyzer: Analyzer, **kwargs: object
) -> tuple[str, str, str | None, str]:
    company, role, interviewer, text = TRANSCRIPTS[name]
    draft = draft_followup(
        report,
        candidate_name="Sam Lee",
        company=company,
        role=role,
        interviewer=interviewer,
        source=text,
        analyzer=analyzer,
        **kwargs,  # type: ignore[arg-type]
    )
    return draft.text, company, interviewer, role


def _clean(text: str, report: Report, name: str, analyzer: Analyzer) -> list[tuple[str, list[str]]]:
    company, role, interviewer, _ = TRANSCRIPTS[name]
    checked = check_letter(
        text, report=report, company=company, interviewer=interviewer, role=role, analyzer=analyzer
    )
    return [(f.code, [e.text for e in f.evidence]) for f in checked.findings]


def _synthetic(code: str, severity: str = "high") -> Finding:
    return Finding(
        code=code,
        severity=Severity(severity),
        score=0.9,
        impression="attitude",
        evidence=(),
        message="m",
        advice="a",
        rule_id=code.upper(),
    )


ACK_CODES = sorted({c for g in load_templates().acknowledgements for c in g.codes})


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_draft_followup_every_combination_of_findings_passes_check(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    """Every subset of the codes found in each example report gives a clean draft."""
    report = reports[name]
    codes = report.codes
    problems = []
    for n in range(len(codes) + 1):
        for chosen in itertools.combinations(codes, n):
            sub = _with(report, [f for f in report.findings if f.code in chosen])
            draft = draft_followup(
                sub,
                candidate_name="Sam Lee",
                company=TRANSCRIPTS[name][0],
                role=TRANSCRIPTS[name][1],
                interviewer=TRANSCRIPTS[name][2],
                source=TRANSCRIPTS[name][3],
                analyzer=analyzer,
            )
            found = _clean(draft.text, sub, name, analyzer)
            if found or not set(draft.addresses) <= set(chosen):
                problems.append((chosen, found, draft.addresses))
    assert [] == problems


@pytest.mark.parametrize("size", [1, 2])
def test_draft_followup_every_pair_of_acknowledged_codes_passes_check(
    reports: dict[str, Report], analyzer: Analyzer, size: int
) -> None:
    """Synthetic findings of every acknowledged code, alone and in pairs (serious level)."""
    base = reports["good"]
    problems = []
    for chosen in itertools.combinations(ACK_CODES, size):
        sub = _with(base, [_synthetic(c) for c in chosen])
        text, *_ = _draft("good", sub, analyzer)
        found = _clean(text, sub, "good", analyzer)
        if found:
            problems.append((chosen, found))
    assert [] == problems


@pytest.mark.parametrize("variant", range(4))
@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_draft_followup_every_variant_passes_check(
    reports: dict[str, Report], analyzer: Analyzer, name: str, variant: int
) -> None:
    text, *_ = _draft(name, reports[name], analyzer, variant=variant)
    assert [] == _clean(text, reports[name], name, analyzer)


@pytest.mark.parametrize(
    ("codes", "variant"),
    [(g.codes, v) for g in load_templates().acknowledgements for v in range(len(g.variants))],
)
def test_draft_followup_each_acknowledgement_survives_check(
    reports: dict[str, Report], analyzer: Analyzer, codes: tuple[str, ...], variant: int
) -> None:
    """No acknowledgement sentence is dropped for drawing a finding of its own."""
    report = _with(reports["good"], [_synthetic(codes[0])])
    draft = draft_followup(
        report,
        candidate_name="Sam Lee",
        company="Brightline Health",
        role="Clinic Coordinator",
        source=TRANSCRIPTS["good"][3],
        variant=variant,
        analyzer=analyzer,
    )
    assert (codes[0],) == draft.addresses


def test_draft_followup_examples_get_different_letters(
    reports: dict[str, Report], analyzer: Analyzer
) -> None:
    texts = [_draft(name, reports[name], analyzer)[0] for name in sorted(TRANSCRIPTS)]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("name", ["blown"])
def test_draft_followup_is_deterministic(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    first = _draft(name, reports[name], analyzer)
    assert first == _draft(name, reports[name], analyzer)


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_draft_followup_has_the_parts_of_a_letter(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    text, company, interviewer, role = _draft(name, reports[name], analyzer)
    first_line = text.splitlines()[0]
    checks = (
        first_line.startswith(f"Dear {interviewer or company}"),
        "Thank you" in text,
        role in text,
        "second conversation" in text,
        text.endswith("\nSam Lee"),
        count_words(text) <= 250,
    )
    assert (True,) * 6 == checks


@pytest.mark.parametrize("name", ["blown"])
def test_draft_followup_names_what_went_wrong(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    company, role, interviewer, source = TRANSCRIPTS[name]
    draft = draft_followup(
        reports[name],
        candidate_name="Sam Lee",
        company=company,
        role=role,
        interviewer=interviewer,
        source=source,
        analyzer=analyzer,
    )
    assert {"badmouthing", "company_unawareness"} <= set(draft.addresses)
    assert any("12 percent" in m for m in draft.moments)
    assert "12 percent" in draft.text


@pytest.mark.parametrize("name", ["blown", "nervous", "crude"])
def test_strongest_moments_skip_findings_and_hedges(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    report = reports[name]
    moments = strongest_moments(
        report, TRANSCRIPTS[name][3], analyzer.rules.by_code("letter_no_case")
    )
    evidence = [(e.start, e.end) for f in report.findings for e in f.evidence]
    assert moments
    for m in moments:
        assert not any(s < m.end and m.start < e for s, e in evidence)
        assert not any(w in m.text.lower() for w in ("um", "guess", "maybe", "idiot", "shit"))


@pytest.mark.parametrize(
    ("strengths", "kept"),
    [
        (("five years of SQL reporting", "a forklift licence"), True),
        (("please, I really need this job, I am begging you",), False),
    ],
)
def test_draft_followup_strengths_kept_unless_they_hurt(
    reports: dict[str, Report], analyzer: Analyzer, strengths: tuple[str, ...], kept: bool
) -> None:
    text, *_ = _draft("quiet", reports["quiet"], analyzer, strengths=strengths)
    assert (kept, []) == (strengths[0] in text, _clean(text, reports["quiet"], "quiet", analyzer))


@pytest.mark.parametrize("name", ["quiet"])
def test_draft_followup_without_transcript_offers_a_plan(
    reports: dict[str, Report], analyzer: Analyzer, name: str
) -> None:
    company, role, interviewer, _ = TRANSCRIPTS[name]
    draft = draft_followup(
        reports[name], candidate_name="Sam Lee", company=company, role=role, analyzer=analyzer
    )
    assert ((), True) == (draft.moments, "90 days" in draft.text)
    assert [] == _clean(draft.text, reports[name], name, analyzer)


@pytest.mark.parametrize("missing", ["candidate_name", "company", "role"])
def test_draft_followup_needs_names(
    reports: dict[str, Report], analyzer: Analyzer, missing: str
) -> None:
    kwargs = {"candidate_name": "Sam", "company": "Acme", "role": "Analyst", missing: " "}
    with pytest.raises(ValueError, match=missing):
        draft_followup(reports["good"], analyzer=analyzer, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["blown"])
def test_draft_followup_passes_default_checker(reports: dict[str, Report], name: str) -> None:
    """With the default analyzer (rules and the shipped classifier), as a user runs it."""
    company, role, interviewer, source = TRANSCRIPTS[name]
    draft = draft_followup(
        reports[name],
        candidate_name="Sam Lee",
        company=company,
        role=role,
        interviewer=interviewer,
        source=source,
    )
    checked = check_letter(draft.text, report=reports[name], company=company, role=role)
    assert () == checked.findings


@pytest.mark.parametrize("part", ["thanks", "topics"])
def test_parse_templates_rejects_missing_part(part: str) -> None:
    from importlib import resources

    raw = json.loads(
        resources.files("interview_diag")
        .joinpath("letter_templates/templates.json")
        .read_text("utf-8")
    )
    raw.pop(part)
    with pytest.raises(ValueError, match="templates.json"):
        parse_templates(raw)


# -- command line ----------------------------------------------------------------------


@pytest.fixture()
def blown_file(tmp_path: Path) -> Path:
    path = tmp_path / "blown.txt"
    path.write_text(TRANSCRIPTS["blown"][3], encoding="utf-8")
    return path


def test_cli_letter_draft_prints_letter_that_checks_clean(
    capsys, blown_file: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    argv = ["letter", "draft", str(blown_file), "--company", "Northwind Logistics"]
    argv += ["--role", "Operations Analyst", "--name", "Sam Lee", "--no-model"]
    assert 0 == main(argv)
    out = capsys.readouterr().out
    letter, _, footer = out.rpartition("\n\n-- ")
    assert "addresses: " in footer and "badmouthing" in footer
    (tmp_path / "letter.txt").write_text(letter + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    assert 0 == main(
        ["analyze", str(blown_file), "--no-model", "--format", "json", "-o", str(report)]
    )
    check = ["letter", "check", str(tmp_path / "letter.txt"), "--report", str(report), "--no-model"]
    check += ["--company", "Northwind Logistics", "--role", "Operations Analyst"]
    capsys.readouterr()
    assert 0 == main(check)
    assert "No findings." in capsys.readouterr().out


def test_cli_letter_draft_json(capsys, blown_file: Path) -> None:  # type: ignore[no-untyped-def]
    argv = [
        "letter",
        "draft",
        str(blown_file),
        "--company",
        "Northwind Logistics",
        "--role",
        "Analyst",
    ]
    argv += [
        "--name",
        "Sam Lee",
        "--strength",
        "five years of SQL",
        "--format",
        "json",
        "--no-model",
    ]
    assert 0 == main(argv)
    data = json.loads(capsys.readouterr().out)
    assert ("likely lost", True) == (data["interview_level"], "five years of SQL" in data["text"])


def test_cli_letter_draft_needs_company(capsys, blown_file: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["letter", "draft", str(blown_file), "--role", "Analyst", "--name", "Sam"])
    assert 2 == exc.value.code
