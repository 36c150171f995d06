"""Render a ``Report`` as one self-contained HTML page. No NLP happens here.

The page holds the original input with every piece of evidence highlighted,
a legend, the findings (each linking to its passages, each passage linking
back), and the overall summary when the report has one. It loads nothing:
the CSS is inline, there is no script, no font, no image, and a
Content-Security-Policy forbids all of them, as a second line of defence
behind ``html.escape`` (every piece of user text is escaped).

How the transcript is drawn:

1. the source is cut into one block per turn (from the start of the line the
   turn begins on, so speaker labels and timestamps stay visible) and the
   non-blank text between turns (cue numbers, headers);
2. each block is cut at every evidence boundary, so overlapping evidence
   still gives well-nested HTML: each piece is wrapped in one ``<mark>`` per
   evidence covering it, the highest severity innermost;
3. the first piece of evidence ``ev-N-M`` carries ``id="ev-N-M"``; every
   piece carries ``data-ev="ev-N-M"``, so joining the pieces gives back
   ``source[ev.start:ev.end]`` exactly.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from interview_diag.types import Finding, Report, Severity, TurnInfo

SEVERITY_LABELS: Mapping[Severity, str] = {
    Severity.HIGH: "likely to hurt a lot",
    Severity.MEDIUM: "likely to hurt",
    Severity.LOW: "worth fixing",
    Severity.INFO: "for information",
}
"""What each severity means, as the legend shows it (highest first)."""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_CSS = """
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --high-bg: #ffc9c9; --high-fg: #a4161a; --medium-bg: #ffd8a8; --medium-fg: #9a3f00;
  --low-bg: #fff3a3; --low-fg: #6b5500; --info-bg: #cfe2ff; --info-fg: #1d4ed8;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
header.page, main { max-width: 78rem; margin: 0 auto; padding: 0 1rem; }
header.page { padding-top: 1rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.meta p { margin: .1rem 0; }
.warnings { margin: .5rem 0; padding-left: 1.2rem; color: var(--muted); font-size: .9rem; }
section { min-width: 0; }
.summary { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: .75rem 1rem; margin: 1rem 0; }
.summary h2 { margin-top: 0; }
.summary h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
.summary ul, .summary ol { margin: .25rem 0; padding-left: 1.4rem; }
nav.jump { font-size: .9rem; margin: .25rem 0 0; }
nav.jump a { margin-right: .8rem; }
.level { font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem .9rem; list-style: none; padding: 0;
  margin: .5rem 0 1rem; font-size: .9rem; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { display: inline-block; min-width: 4.3rem; text-align: center; border-radius: 4px;
  padding: 0 .35rem; font-weight: 600; }
.layout { display: grid; grid-template-columns: 1fr; gap: 0 2rem; }
.transcript { border: 1px solid var(--line); border-radius: 8px; padding: .25rem .75rem .75rem;
  overflow-wrap: anywhere; }
.turn, .gap { white-space: pre-wrap; margin: .5rem 0 0; padding: .15rem 0 .15rem .6rem;
  border-left: 3px solid var(--line); }
.turn.role-candidate { border-left-color: #6b7280; }
.turn.role-interviewer { color: #3d444d; border-left-style: dotted; }
.gap { color: var(--muted); font-size: .8rem; border-left-color: transparent; }
mark.ev { color: inherit; padding: .05em 0; border-bottom: 2px solid; border-radius: 2px; }
mark.ev mark.ev { padding: 0; }
a.hl { color: inherit; text-decoration: none; }
a.ref { font-size: .7em; vertical-align: super; line-height: 0; font-weight: 700;
  text-decoration: none; padding: 0 .1em; user-select: none; -webkit-user-select: none; }
.sev-high { background: var(--high-bg); border-color: var(--high-fg); }
.sev-medium { background: var(--medium-bg); border-color: var(--medium-fg); }
.sev-low { background: var(--low-bg); border-color: var(--low-fg); }
.sev-info { background: var(--info-bg); border-color: var(--info-fg); }
a.ref.sev-high, .badge.sev-high, .swatch.sev-high { color: var(--high-fg); }
a.ref.sev-medium, .badge.sev-medium, .swatch.sev-medium { color: var(--medium-fg); }
a.ref.sev-low, .badge.sev-low, .swatch.sev-low { color: var(--low-fg); }
a.ref.sev-info, .badge.sev-info, .swatch.sev-info { color: var(--info-fg); }
a.ref { background: none; }
a.ref + a.ref::before { content: ","; }
mark.ev:target { outline: 3px solid var(--fg); outline-offset: 1px; }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: 6px solid; border-radius: 8px;
  padding: .6rem .8rem; margin: 0 0 .75rem; background: var(--bg); }
li.finding.sev-high { border-left-color: var(--high-fg); }
li.finding.sev-medium { border-left-color: var(--medium-fg); }
li.finding.sev-low { border-left-color: var(--low-fg); }
li.finding.sev-info { border-left-color: var(--info-fg); }
li.finding:target { box-shadow: 0 0 0 3px var(--fg); }
.finding h3 { font-size: 1rem; margin: 0 0 .25rem; display: flex; flex-wrap: wrap;
  gap: .2rem .5rem; align-items: baseline; }
.num { color: var(--muted); font-weight: 400; }
.finding h3 .muted { font-weight: 400; }
.badge { font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; font-weight: 700;
  border-radius: 4px; padding: 0 .35rem; }
.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.finding p { margin: .25rem 0; }
.finding .evidence { margin: .25rem 0; padding-left: 1.1rem; }
.finding .evidence li { margin: .15rem 0; }
.finding .evidence a { color: inherit; }
.quote { font-style: italic; }
.advice { background: var(--panel); border-radius: 6px; padding: .3rem .5rem; }
.none { color: var(--muted); }
footer { max-width: 78rem; margin: 1.5rem auto; padding: 0 1rem; }
@media (min-width: 62rem) {
  .layout { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  .layout > .findings-panel { order: 2; position: sticky; top: 0; align-self: start;
    max-height: 100vh; overflow-y: auto; padding-bottom: 1rem; }
  .layout > .transcript-panel { order: 1; }
}
@media (max-width: 30rem) {
  body { font-size: 15px; }
  header.page, main, footer { padding: 0 .6rem; }
  .transcript { padding: .15rem .5rem .5rem; }
  .turn, .gap { padding-left: .4rem; }
}
@page { margin: 1.5cm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 11pt; }
  header.page, main, footer { max-width: none; padding: 0; }
  .layout { display: block; }
  .layout > .findings-panel { position: static; max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  nav.jump { display: none; }
  li.finding, .summary { break-inside: avoid; page-break-inside: avoid; }
  .transcript { border: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  mark.ev:target, li.finding:target { outline: none; box-shadow: none; }
}
"""


@dataclass(frozen=True)
class _Span:
    """One piece of evidence to highlight."""

    ev_id: str
    finding_no: int
    severity: Severity
    code: str
    start: int
    end: int
    title: str


def _e(text: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(text), quote=True)


def _finding_id(no: int) -> str:
    return f"f-{no}"


def _evidence_id(no: int, index: int) -> str:
    return f"ev-{no}-{index}"


def _spans(findings: Sequence[Finding], source: str) -> list[_Span]:
    """The evidence that can be drawn: inside the source and matching its text."""
    out: list[_Span] = []
    for no, f in enumerate(findings, 1):
        for i, ev in enumerate(f.evidence):
            if not _drawable(ev.start, ev.end, ev.text, source):
                continue
            title = f"{f.severity.value}: {f.code} ({f.rule_id})"
            out.append(_Span(_evidence_id(no, i), no, f.severity, f.code, ev.start, ev.end, title))
    return out


def _drawable(start: int, end: int, text: str, source: str) -> bool:
    return 0 <= start < end <= len(source) and source[start:end] == text


def _blocks(turns: Sequence[TurnInfo], source: str) -> list[tuple[int, int, TurnInfo | None]]:
    """Cut the source into turn blocks and the text between them.

    A turn's block runs from the start of its first line (so a speaker label or a
    voice tag before it shows with it) to the end of its last line (so a closing tag
    stays beside it), never into a neighbouring turn.
    """
    ordered: list[TurnInfo] = []
    for t in sorted(turns, key=lambda t: t.start):
        if 0 <= t.start < t.end <= len(source) and (not ordered or t.start >= ordered[-1].end):
            ordered.append(t)  # overlapping turns cannot be drawn as blocks; the first wins
    begins = []
    pos = 0
    for t in ordered:
        begins.append(max(source.rfind("\n", 0, t.start) + 1, pos))
        pos = t.end
    out: list[tuple[int, int, TurnInfo | None]] = []
    pos = 0
    for i, t in enumerate(ordered):
        line_end = source.find("\n", t.end)
        limit = begins[i + 1] if i + 1 < len(ordered) else len(source)
        stop = min(len(source) if line_end < 0 else line_end, limit)
        if begins[i] > pos:
            out.append((pos, begins[i], None))
        out.append((begins[i], max(stop, t.end), t))
        pos = max(stop, t.end)
    if pos < len(source):
        out.append((pos, len(source), None))
    return out


def _ordered_marks(active: Iterable[_Span]) -> list[_Span]:
    """Outermost first; the highest severity innermost, so its colour shows."""
    return sorted(active, key=lambda s: (s.severity.rank, s.start, -s.end, s.ev_id))


def _render_range(start: int, end: int, source: str, spans: Sequence[_Span], seen: set[str]) -> str:
    """HTML of ``source[start:end]`` with the spans that touch it highlighted.

    ``seen`` holds the evidence ids already drawn; the first piece drawn of each
    gets the ``id`` attribute and is added to it.
    """
    inside = [s for s in spans if s.start < end and s.end > start]
    cuts = {start, end}
    for s in inside:
        cuts.add(max(s.start, start))
        cuts.add(min(s.end, end))
    points = sorted(cuts)
    parts: list[str] = []
    pending: list[_Span] = []
    for a, b in zip(points, points[1:], strict=False):
        active = [s for s in inside if s.start <= a and s.end >= b]
        text = _e(source[a:b])
        if not active:
            parts.append(text)
        else:
            marks = _ordered_marks(active)
            inner = marks[-1]
            opened = []
            for s in marks:
                first = s.ev_id not in seen
                seen.add(s.ev_id)
                anchor = f' id="{s.ev_id}"' if first else ""
                cont = "" if first else " cont"
                opened.append(
                    f'<mark class="ev sev-{s.severity.value}{cont}"{anchor} data-ev="{s.ev_id}"'
                    f' data-code="{_e(s.code)}" data-severity="{s.severity.value}"'
                    f' data-finding="{_finding_id(s.finding_no)}" title="{_e(s.title)}">'
                )
            parts.append(
                f'<a class="hl" href="#{_finding_id(inner.finding_no)}">'
                + "".join(opened)
                + text
                + "</mark>" * len(marks)
                + "</a>"
            )
        pending += [s for s in inside if s.end == b]
        # Numbers wait for the end of a highlighted run, so they never cut a mark in two.
        if b == end or not any(s.start <= b < s.end for s in inside):
            for s in sorted(pending, key=lambda s: (s.finding_no, s.ev_id)):
                parts.append(
                    f'<a class="ref sev-{s.severity.value}" href="#{_finding_id(s.finding_no)}"'
                    f' data-ref="{s.ev_id}" aria-label="finding {s.finding_no}">'
                    f"{s.finding_no}</a>"
                )
            pending = []
    return "".join(parts)


def _trim_newlines(start: int, end: int, source: str) -> tuple[int, int]:
    while start < end and source[start] in "\r\n":
        start += 1
    while end > start and source[end - 1] in "\r\n":
        end -= 1
    return start, end


def _transcript_html(report: Report, source: str, spans: Sequence[_Span]) -> str:
    if not source.strip():
        return '<p class="none">(The input is empty.)</p>'
    blocks = _blocks(report.turns, source)
    # Hand each block only the spans that touch it, so a long transcript with many
    # findings stays linear rather than blocks x spans.
    starts = [b[0] for b in blocks]
    per_block: list[list[_Span]] = [[] for _ in blocks]
    for s in spans:
        i = max(bisect.bisect_right(starts, s.start) - 1, 0)
        while i < len(blocks) and blocks[i][0] < s.end:
            per_block[i].append(s)
            i += 1
    out: list[str] = []
    seen: set[str] = set()
    for (start, end, turn), own in zip(blocks, per_block, strict=True):
        if turn is None:
            # Blank lines between turns are left out, unless evidence touches them.
            a, b = (start, end) if own else _trim_newlines(start, end, source)
            if not source[a:b].strip() and not own:
                continue
            out.append(f'<div class="gap">{_render_range(a, b, source, own, seen)}</div>')
            continue
        speaker = "" if turn.speaker is None else f' data-speaker="{_e(turn.speaker)}"'
        body = _render_range(start, end, source, own, seen)
        out.append(
            f'<div class="turn role-{_e(turn.role)}" id="turn-{turn.index}"'
            f' data-turn="{turn.index}"{speaker}>{body}</div>'
        )
    return "\n".join(out)


def _summary_html(summary: Mapping[str, Any] | None) -> str:
    if not summary:
        return ""
    out = ['<section class="summary" id="summary" aria-labelledby="summary-h">']
    out.append('<h2 id="summary-h">Overall</h2>')
    level = summary.get("level")
    if level:
        out.append(f'<p>Level: <span class="level">{_e(level)}</span></p>')
    headline = summary.get("headline") or summary.get("text")
    if isinstance(headline, str) and headline:
        out.append(f"<p>{_e(headline)}</p>")
    impressions = summary.get("impressions") or []
    if impressions:
        out.append('<h3>Impressions</h3><ul class="impressions">')
        for imp in impressions:
            if isinstance(imp, Mapping):
                label = imp.get("impression") or imp.get("name") or imp.get("label")
                text = imp.get("text", "")
                lead = f"<strong>{_e(label)}</strong>: " if label else ""
                out.append(f"<li>{lead}{_e(text)}</li>")
            else:
                out.append(f"<li>{_e(imp)}</li>")
        out.append("</ul>")
    steps = summary.get("next_steps") or []
    if steps:
        out.append('<h3>Next steps</h3><ol class="next-steps">')
        for step in steps:
            text = step.get("text", "") if isinstance(step, Mapping) else step
            out.append(f"<li>{_e(text)}</li>")
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _legend_html(findings: Sequence[Finding]) -> str:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    items = []
    for sev, meaning in SEVERITY_LABELS.items():
        items.append(
            f'<li data-severity="{sev.value}"><span class="swatch sev-{sev.value}">'
            f"{sev.value}</span> {_e(meaning)} ({counts[sev]})</li>"
        )
    return (
        '<ul class="legend" aria-label="Severity legend">'
        + "".join(items)
        + "</ul>"
        + '<p class="muted">Highlighted words are the evidence; tap one (or its number) to read'
        " the finding, and a quote in a finding to see it in the text.</p>"
    )


def _findings_html(findings: Sequence[Finding], spans: Sequence[_Span]) -> str:
    if not findings:
        return '<p class="none">No findings.</p>'
    drawn = {s.ev_id for s in spans}
    out = ['<ol class="findings">']
    for no, f in enumerate(findings, 1):
        sev = f.severity.value
        out.append(
            f'<li class="finding sev-{sev}" id="{_finding_id(no)}" data-code="{_e(f.code)}"'
            f' data-severity="{sev}">'
        )
        out.append(
            f'<h3><span class="num">{no}.</span> <span class="badge sev-{sev}">{sev}</span>'
            f' <span class="code">{_e(f.code)}</span>'
            f' <span class="muted">{_e(f.impression)} · {_e(f.rule_id)} · {_e(f.source)}'
            f" · score {f.score:.2f}</span></h3>"
        )
        out.append(f'<p class="message">{_e(f.message)}</p>')
        if f.evidence:
            out.append('<ul class="evidence">')
            for i, ev in enumerate(f.evidence):
                ev_id = _evidence_id(no, i)
                quote = " ".join(ev.text.split())
                if len(quote) > 200:
                    quote = quote[:197] + "..."
                where = f"{_e(ev.speaker or 'text')}, chars {ev.start}–{ev.end}"
                if ev_id in drawn:
                    out.append(
                        f'<li><a href="#{ev_id}" class="quote">“{_e(quote)}”</a>'
                        f' <span class="muted">({where})</span></li>'
                    )
                else:
                    out.append(
                        f'<li><span class="quote">“{_e(quote)}”</span>'
                        f' <span class="muted">({where}; not in this text)</span></li>'
                    )
            out.append("</ul>")
        else:
            out.append(
                '<p class="muted">No single passage: this finding rests on what the whole'
                " text lacks.</p>"
            )
        out.append(f'<p class="advice"><strong>Advice:</strong> {_e(f.advice)}</p>')
        out.append("</li>")
    out.append("</ol>")
    return "\n".join(out)


def render_html(report: Report, source: str) -> str:
    """Render a report and its input as one self-contained HTML page.

    Args:
        report: the report of ``source``.
        source: the original input string the report was made from (its evidence
            offsets index into it).

    Returns:
        The page, a complete HTML document (UTF-8) that loads nothing from anywhere.

    Example:
        >>> import interview_diag as d
        >>> text = "My old boss was an idiot."
        >>> page = render_html(d.analyze(text), text)  # doctest: +SKIP
        >>> Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP
    """
    spans = _spans(report.findings, source)
    who = report.candidate.speaker or "the author"
    stats = report.stats
    warnings = ""
    if report.warnings:
        warnings = (
            '<ul class="warnings">'
            + "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
            + "</ul>"
        )
    n = len(report.findings)
    title = f"Interview report: {report.kind}" + (f" {report.id}" if report.id else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header class="page">
<h1>{_e(title)}</h1>
<div class="meta">
<p>Candidate: <strong>{_e(who)}</strong>
<span class="muted">({_e(report.candidate.reason)})</span></p>
<p>{stats.words} words in {stats.turns} turn(s), {stats.candidate_words} by the candidate;
input format {_e(stats.format)}; {n} finding(s).</p>
</div>
{warnings}
<nav class="jump" aria-label="Sections"><a href="#findings-h">Findings</a>
<a href="#transcript-h">The text</a></nav>
</header>
<main>
{_summary_html(report.summary)}
{_legend_html(report.findings)}
<div class="layout">
<section class="findings-panel" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
{_findings_html(report.findings, spans)}
</section>
<section class="transcript-panel" aria-labelledby="transcript-h">
<h2 id="transcript-h">The text</h2>
<div class="transcript">
{_transcript_html(report, source, spans)}
</div>
</section>
</div>
</main>
<footer class="muted">Made by interview_diag.
Findings are likely impressions, not verdicts.</footer>
</body>
</html>
"""
