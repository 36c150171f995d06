"""The HTML report: escaping, highlights, links, legend, summary, self-containment.

Most tests build a ``Report`` by hand (no NLP), so the page is checked against
exactly known evidence, overlapping spans included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest

from interview_diag.cli import main
from interview_diag.html_report import render_html
from interview_diag.types import (
    Candidate,
    Evidence,
    Finding,
    InputStats,
    Report,
    Severity,
    TurnInfo,
)

VOID = {"meta", "br", "img", "link", "input", "hr", "source", "wbr", "area", "base", "col"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def text(self, skip_class: str | None = None) -> str:
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif skip_class is None or skip_class not in c.classes:
                out.append(c.text(skip_class))
        return "".join(out)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


class StrictTree(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    p = StrictTree()
    p.feed(page)
    p.close()
    assert [n.tag for n in p.stack] == ["#root"], "unclosed elements"
    return p.root


def marks_by_evidence(root: Node) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = {}
    for n in root.iter():
        if n.tag == "mark" and "data-ev" in n.attrs:
            out.setdefault(n.attrs["data-ev"], []).append(n)
    return out


def ids(root: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for n in root.iter():
        if "id" in n.attrs:
            assert n.attrs["id"] not in found, f"duplicate id {n.attrs['id']}"
            found[n.attrs["id"]] = n
    return found


SOURCE = (
    "Interviewer: Why did you leave <your> last job?\n"
    "Candidate: Honestly my old boss was an idiot & the place was a toxic mess.\n"
    "<script>document.title='pwned'</script>\n"
    "Interviewer: Any questions?\n"
    'Candidate: Nope. <img src=x onerror="alert(1)"> How many vacation days?\n'
)


def ev(source: str, phrase: str, turn: int, speaker: str | None = "Candidate") -> Evidence:
    start = source.index(phrase)
    return Evidence(start, start + len(phrase), phrase, speaker, turn)


def finding(code, sev, evidence, rule_id=None, message="m", advice="a") -> Finding:
    return Finding(
        code=code,
        severity=Severity(sev),
        score=0.9,
        impression="attitude",
        evidence=tuple(evidence),
        message=message,
        advice=advice,
        rule_id=rule_id or code.upper(),
    )


def turns_of(source: str) -> tuple[TurnInfo, ...]:
    out = []
    pos = 0
    for line in source.splitlines(keepends=True):
        body = line.rstrip("\n")
        if ": " in body:
            label, _, _ = body.partition(": ")
            start = pos + len(label) + 2
            role = "candidate" if label == "Candidate" else "interviewer"
            out.append(TurnInfo(len(out), label, role, start, pos + len(body), 5))
        pos += len(line)
    return tuple(out)


def make_report(source: str, findings, summary=None) -> Report:
    turns = turns_of(source)
    return Report(
        kind="transcript",
        candidate=Candidate("Candidate", "the speaker label 'Candidate' names the candidate"),
        turns=turns,
        findings=tuple(findings),
        warnings=("a <b>warning</b>",),
        stats=InputStats(len(source), len(source.split()), len(turns), 20, "labelled"),
        summary=summary,
    )


def sample_findings(source: str = SOURCE):
    return [
        finding("badmouthing", "high", [ev(source, "my old boss was an idiot", 1)]),
        # overlaps the one before and the one after
        finding("hedging", "low", [ev(source, "Honestly my old boss", 1)], rule_id="HEDGE_X"),
        finding("badmouthing", "medium", [ev(source, "boss was an idiot & the place", 1)], "B2"),
        # nested inside the first, and identical span to another finding
        finding("nerves", "info", [ev(source, "an idiot", 1)], rule_id="NERVES_X"),
        finding("whining", "info", [ev(source, "an idiot", 1)], rule_id="WHINE_X"),
        # two evidence pieces in two turns
        finding(
            "premature_perks",
            "medium",
            [ev(source, "toxic mess", 1), ev(source, "How many vacation days?", 3)],
        ),
        # rests on what is missing: no evidence
        finding("no_questions", "low", []),
    ]


@pytest.fixture()
def page() -> str:
    return render_html(make_report(SOURCE, sample_findings()), SOURCE)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>document.title='pwned'</script>", "&lt;script&gt;document.title=&#x27;pwned"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        ("<your>", "&lt;your&gt;"),
        ("idiot & the", "idiot &amp; the"),
        ("<b>warning</b>", "&lt;b&gt;warning&lt;/b&gt;"),
    ],
)
def test_render_html_escapes_user_text(page, raw, escaped):
    assert raw not in page
    assert escaped in page


@pytest.mark.parametrize("tag", ["script", "img", "iframe", "object", "embed", "link"])
def test_render_html_has_no_active_elements(page, tag):
    assert [n for n in parse(page).iter() if n.tag == tag] == []


@pytest.mark.parametrize(
    "field_name",
    ["code", "message", "advice", "rule_id"],
)
def test_render_html_escapes_finding_fields(field_name):
    f = replace(sample_findings()[0], **{field_name: "<script>x()</script>"})
    page = render_html(make_report(SOURCE, [f]), SOURCE)
    assert "<script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


@pytest.mark.parametrize("speaker", ['"><script>alert(1)</script>'])
def test_render_html_escapes_speaker_attribute(speaker):
    source = f"{speaker}: my old boss was an idiot\n"
    start = source.index("my")
    turn = TurnInfo(0, speaker, "candidate", start, len(source) - 1, 6)
    e = Evidence(start, len(source) - 1, source[start:-1], speaker, 0)
    report = replace(make_report(source, [finding("badmouthing", "high", [e])]), turns=(turn,))
    root = parse(render_html(report, source))
    assert [n for n in root.iter() if n.tag == "script"] == []
    (div,) = [n for n in root.iter() if "turn" in n.classes]
    assert speaker == div.attrs["data-speaker"]


def test_render_html_highlights_every_evidence_once_with_exact_text(page):
    root = parse(page)
    marks = marks_by_evidence(root)
    by_id = ids(root)
    expected = {}
    for no, f in enumerate(sample_findings(), 1):
        for i, e in enumerate(f.evidence):
            expected[f"ev-{no}-{i}"] = (e, f)
    assert set(expected) == set(marks)
    for ev_id, (e, f) in expected.items():
        pieces = marks[ev_id]
        assert e.text == "".join(m.text() for m in pieces)
        assert SOURCE[e.start : e.end] == e.text
        first = [m for m in pieces if m.attrs.get("id") == ev_id]
        assert len(first) == 1, ev_id
        assert by_id[ev_id] is pieces[0]
        for m in pieces:
            assert f"sev-{f.severity.value}" in m.classes
            assert f.code == m.attrs["data-code"]
            assert f.severity.value == m.attrs["data-severity"]


def test_render_html_keeps_the_source_text_of_every_turn(page):
    root = parse(page)
    turns = [n for n in root.iter() if "turn" in n.classes]
    report = make_report(SOURCE, [])
    assert len(report.turns) == len(turns)
    for t, div in zip(report.turns, turns, strict=True):
        line_start = SOURCE.rfind("\n", 0, t.start) + 1
        assert SOURCE[line_start : t.end] == div.text(skip_class="ref")
        assert t.role in div.attrs["class"]


def test_render_html_links_findings_and_spans_both_ways(page):
    root = parse(page)
    by_id = ids(root)
    hrefs = [n.attrs["href"] for n in root.iter() if n.tag == "a"]
    assert hrefs, "no links"
    for href in hrefs:
        assert href.startswith("#")
        assert href[1:] in by_id, f"broken link {href}"
    for no, f in enumerate(sample_findings(), 1):
        item = by_id[f"f-{no}"]
        assert item.tag == "li"
        targets = {n.attrs["href"] for n in item.iter() if n.tag == "a"}
        assert {f"#ev-{no}-{i}" for i in range(len(f.evidence))} == targets
        # every span of the finding has a link back to it right after it
        backs = [n for n in root.iter() if n.tag == "a" and n.attrs.get("href") == f"#f-{no}"]
        refs = {n.attrs.get("data-ref") for n in backs if "ref" in n.classes}
        assert {f"ev-{no}-{i}" for i in range(len(f.evidence))} == refs


def test_render_html_highest_severity_is_innermost(page):
    root = parse(page)
    for m in root.iter():
        if m.tag != "mark":
            continue
        inner = [c for c in m.children if isinstance(c, Node) and c.tag == "mark"]
        for c in inner:
            assert (
                Severity(c.attrs["data-severity"]).rank >= Severity(m.attrs["data-severity"]).rank
            )


@pytest.mark.parametrize("sev", [s.value for s in Severity])
def test_render_html_legend_lists_each_severity_with_count(page, sev):
    root = parse(page)
    (legend,) = [n for n in root.iter() if "legend" in n.classes]
    (item,) = [n for n in legend.iter() if n.attrs.get("data-severity") == sev]
    count = sum(1 for f in sample_findings() if f.severity.value == sev)
    assert f"({count})" in item.text()
    assert any(f"sev-{sev}" in n.classes for n in item.iter())


@pytest.mark.parametrize(
    "summary",
    [
        {
            "level": "at risk <b>",
            "impressions": [{"impression": "attitude", "text": "Blames a former boss."}],
            "next_steps": ["Prepare one calm sentence on why you left.", {"text": "Research."}],
        }
    ],
)
def test_render_html_shows_summary_when_present(summary):
    page = render_html(make_report(SOURCE, sample_findings(), summary=summary), SOURCE)
    root = parse(page)
    (section,) = [n for n in root.iter() if n.attrs.get("id") == "summary"]
    text = section.text()
    assert "at risk <b>" in text
    assert "Blames a former boss." in text
    assert "attitude" in text
    assert "Prepare one calm sentence on why you left." in text
    assert "Research." in text


@pytest.mark.parametrize("summary", [None, {}])
def test_render_html_omits_summary_when_absent(summary):
    page = render_html(make_report(SOURCE, sample_findings(), summary=summary), SOURCE)
    assert 'id="summary"' not in page


URL_RE = re.compile(r"(?i)(https?:|ftp:|file:|data:|//[a-z0-9.-]+\.[a-z]{2,}|@import|url\()")


def test_render_html_loads_nothing_from_anywhere(page):
    assert URL_RE.findall(page) == []
    root = parse(page)
    for n in root.iter():
        assert "src" not in n.attrs
        assert not n.attrs.get("href", "#").strip() or n.attrs.get("href", "#").startswith("#")
    (csp,) = [n for n in root.iter() if n.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp.attrs["content"]


def test_render_html_is_responsive_and_printable(page):
    assert 'name="viewport"' in page
    assert "@media print" in page
    assert re.search(r"@media \((min|max)-width", page)


@pytest.mark.parametrize("source", ["", "   \n"])
def test_render_html_empty_input(source):
    report = replace(make_report(source, []), turns=())
    root = parse(render_html(report, source))
    assert "No findings." in root.text()
    assert "empty" in root.text()


def test_render_html_lists_evidence_that_is_not_in_the_source_without_highlight():
    bad = Evidence(0, 5, "zzzzz", "Candidate", 1)
    page = render_html(make_report(SOURCE, [finding("badmouthing", "high", [bad])]), SOURCE)
    root = parse(page)
    assert marks_by_evidence(root) == {}
    assert "not in this text" in root.text()


def test_render_html_real_analysis_highlights_all_evidence(rules_analyzer):
    report = rules_analyzer.analyze(SOURCE)
    assert report.findings
    root = parse(render_html(report, SOURCE))
    marks = marks_by_evidence(root)
    for no, f in enumerate(report.findings, 1):
        for i, e in enumerate(f.evidence):
            assert e.text == "".join(m.text() for m in marks[f"ev-{no}-{i}"])


@pytest.mark.parametrize("text", [SOURCE])
def test_cli_analyze_format_html_writes_page(tmp_path, text):
    src = tmp_path / "t.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["analyze", str(src), "--no-model", "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert marks_by_evidence(parse(page))


def test_render_html_evidence_across_turns_is_highlighted_whole():
    start = SOURCE.index("toxic mess")
    end = SOURCE.index("Any questions?")
    e = Evidence(start, end, SOURCE[start:end], "Candidate", 1)
    root = parse(render_html(make_report(SOURCE, [finding("badmouthing", "high", [e])]), SOURCE))
    pieces = marks_by_evidence(root)["ev-1-0"]
    assert len(pieces) > 1
    assert e.text == "".join(m.text() for m in pieces)
    assert [m for m in pieces if m.attrs.get("id") == "ev-1-0"] == [pieces[0]]


VTT = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Dana Reyes>Why did you leave?</v>\n\n"
    "2\n00:00:04.500 --> 00:00:09.000\n<v Sam Lee>Honestly my old boss was an idiot.</v>\n\n"
    "3\n00:00:09.500 --> 00:00:12.000\n<v Sam Lee>It was a toxic work environment.</v>\n"
)
JSON_TURNS = (
    '[{"speaker": "Interviewer", "text": "Why did you leave?"},\n'
    ' {"speaker": "Candidate", "text": "My old boss was an idiot \\u0026 it was a toxic '
    'work environment."}]'
)


@pytest.mark.parametrize("source", [VTT, JSON_TURNS], ids=["vtt", "json"])
def test_render_html_other_formats_highlight_all_evidence(rules_analyzer, source):
    report = rules_analyzer.analyze(source, candidate="Sam Lee" if "WEBVTT" in source else None)
    assert report.findings
    root = parse(render_html(report, source))
    marks = marks_by_evidence(root)
    for no, f in enumerate(report.findings, 1):
        for i, e in enumerate(f.evidence):
            assert e.text == "".join(m.text() for m in marks[f"ev-{no}-{i}"])
