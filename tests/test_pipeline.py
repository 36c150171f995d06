"""The spaCy side: registered names, the all-in-one component, displacy, saving."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from interview_diag.pipeline import COMPONENTS, EXTENSIONS, build_nlp, register_extensions

TEXT = "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened."


def test_pipeline_registered_names_snapshot():
    import interview_diag.pipeline  # noqa: F401  (registers the factories)

    register_extensions()
    assert COMPONENTS == (
        "idiag_turns",
        "idiag_rules",
        "idiag_classifier",
        "idiag_report",
        "interview_diag",
    )
    assert all(spacy.language.Language.has_factory(c) for c in COMPONENTS)
    assert EXTENSIONS == ("idiag_input", "idiag_prepared", "idiag_findings", "interview_diag")
    assert all(Doc.has_extension(e) for e in EXTENSIONS)


def test_build_nlp_default_pipe_names():
    nlp = build_nlp(model=None)
    assert nlp.pipe_names == ["idiag_turns", "idiag_rules", "idiag_report"]


@pytest.mark.parametrize("text", [TEXT])
def test_add_pipe_all_in_one_sets_report_and_spans(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("interview_diag", config={"model": None})
    doc = nlp(text)
    report = doc._.interview_diag
    assert report.codes == ("badmouthing",)
    assert [(s.text, s.label_) for s in doc.spans["interview_diag"]] == [
        ("My old boss was an idiot", "badmouthing")
    ]
    ev = report.findings[0].evidence[0]
    assert text[ev.start : ev.end] == ev.text


@pytest.mark.parametrize("text", [TEXT])
def test_add_pipe_after_existing_components(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("interview_diag", config={"model": None})
    doc = nlp(text)
    assert doc._.interview_diag.codes == ("badmouthing",)


@pytest.mark.parametrize("text", [TEXT])
def test_displacy_renders_findings(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("interview_diag", config={"model": None})
    doc = nlp(text)
    html = spacy.displacy.render(doc, style="span", options={"spans_key": "interview_diag"})
    assert "badmouthing" in html
    assert "idiot" in html


@pytest.mark.parametrize("name", ["interview_diag", "idiag_turns", "idiag_rules", "idiag_report"])
def test_component_to_disk_from_disk_round_trip(tmp_path, name):
    nlp = spacy.blank("en")
    cfg = {"model": None} if name == "interview_diag" else {}
    nlp.add_pipe(name, config=cfg)
    if name in ("idiag_rules",):
        nlp.add_pipe("idiag_turns", first=True)
        nlp.add_pipe("idiag_report")
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert nlp.pipe_names == loaded.pipe_names
    doc = loaded(TEXT)
    if name in ("interview_diag", "idiag_rules"):
        assert doc._.interview_diag.codes == ("badmouthing",)


@pytest.mark.parametrize("text", [TEXT])
def test_component_round_trip_keeps_extra_rules(tmp_path, text):
    import json

    rule_file = tmp_path / "extra.json"
    rule_file.write_text(
        json.dumps(
            {
                "code": "listened",
                "title": "Mentions listening",
                "severity": "low",
                "impression": "attitude",
                "advice": "Say it another way.",
                "rules": [
                    {
                        "id": "EXTRA_NEVER_LISTENED",
                        "check": "phrase",
                        "message": "Says someone never listened.",
                        "phrases": ["never listened"],
                        "context": [],
                        "examples": {"flag": ["He [[never listened]]."], "pass": ["He listened."]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("interview_diag", config={"model": None, "extra_rules": [str(rule_file)]})
    nlp.to_disk(tmp_path / "pipe")
    rule_file.unlink()
    loaded = spacy.load(tmp_path / "pipe")
    doc = loaded(text)
    assert doc._.interview_diag.codes == ("badmouthing", "listened")


VTT = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Sam>Why did you leave your last job?</v>\n\n"
    "2\n00:00:03.000 --> 00:00:06.000\n<v Alex>Honestly my old boss</v>\n\n"
    "3\n00:00:06.000 --> 00:00:08.000\n<v Alex>was an idiot.</v>\n"
)


@pytest.mark.parametrize("text", [VTT])
def test_component_report_equals_analyzer_report(text):
    from interview_diag import Analyzer

    nlp = spacy.blank("en")
    nlp.add_pipe("interview_diag", config={"model": None})
    doc = nlp(text)
    assert Analyzer(model=None).analyze(text).to_json() == doc._.interview_diag.to_json()
    report = doc._.interview_diag
    evidence = [(e.text, f.code) for f in report.findings for e in f.evidence]
    assert ("my old boss", "badmouthing") in evidence
    assert ("was an idiot", "badmouthing") in evidence
    spans = doc.spans["interview_diag"]
    assert len(evidence) == len(spans)
    # A span covers its evidence (it may take in a tag the tokenizer glued to a word).
    for (text_, code), span in zip(evidence, spans, strict=True):
        assert code == span.label_
        assert text_ in span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A negation before "so nervous" still applies: "so" here is an intensifier.
        ("I was not so nervous at all.", ()),
        ("I would not be so nervous on the day.", ()),
        # A match opening with "and" starts its own clause: the negation before it is
        # in another clause.
        ("Nobody got paid on time and I eventually walked out.", ("job_leaving",)),
        ("I never quit a job because of the pay.", ()),
    ],
)
def test_rule_context_reads_clause_openers(text: str, expected: tuple[str, ...]) -> None:
    from interview_diag import Analyzer

    assert expected == Analyzer(model=None).analyze(text, kind="answer").codes


def test_context_cues_open_a_clause_only_with_conjunctions_that_are_not_intensifiers() -> None:
    from interview_diag.context import load_context_cues

    nlp = spacy.blank("en")
    cues = load_context_cues(nlp)
    doc = nlp("so nervous and then , but")
    assert [False, False, True, False, True, True] == [
        cues.opens_clause(doc, i) for i in range(len(doc))
    ]
    # The sentence-level look-up the classifier uses is not changed by it.
    doc = nlp("I am not desperate for this job.")
    assert frozenset({"negation"}) == cues.modifiers(doc, 4, 0)


def test_span_checks_skip_the_patterns_of_rules_out_of_scope() -> None:
    from interview_diag.components.checks import SpanChecks
    from interview_diag.context import sentence_starts
    from interview_diag.rules.schema import load_rules

    nlp = spacy.blank("en")
    rules = [r for r in load_rules().rules if r.code == "badmouthing"]
    checks = SpanChecks(nlp, rules)
    doc = nlp("Honestly my old boss was an idiot.")
    starts = sentence_starts(doc)
    windows = checks.anchor_windows(doc, starts)
    everything = {m.rule_id for m in checks.run(doc[:], starts, windows)}
    assert "BADMOUTH_BOSS_INSULT" in everything
    none = checks.run(doc[:], starts, windows, rule_ids=frozenset())
    assert [] == [m for m in none if checks.rules[m.rule_id].check == "token_pattern"]
    only = {
        m.rule_id
        for m in checks.run(doc[:], starts, windows, rule_ids=frozenset({"BADMOUTH_BOSS_INSULT"}))
    }
    assert {"BADMOUTH_BOSS_INSULT"} == {r for r in only if checks.rules[r].check == "token_pattern"}


def test_distinctive_drops_slots_every_sentence_holds_unless_none_is_left() -> None:
    from interview_diag.components.checks import distinctive

    i, toxic, end = frozenset({"i"}), frozenset({"toxic"}), frozenset({".", "!"})
    had, enough, question = frozenset({"had"}), frozenset({"enough"}), frozenset({"?"})
    assert [toxic] == distinctive([i, toxic, end])
    assert [question] == distinctive([i, question])
    assert [i, had, enough, end] == distinctive([i, had, enough, end])
    assert [] == distinctive([])
