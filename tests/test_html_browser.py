"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``).

Checks, from the DOM Chromium rendered, that every finding's evidence is inside a
highlighted ``<mark>`` with the exact text, and that a script and an image with an
``onerror`` handler written into the transcript did not run. Screenshots at phone
and desktop widths must show the highlight colours.

Without chromium the tests are skipped locally; in CI (``CI`` set) a missing
chromium fails them, because ``.ci/run`` installs it. Set ``IDIAG_SCREENSHOTS`` to
a folder to keep the screenshots for a look.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from interview_diag.html_report import render_html
from interview_diag.types import Evidence, Finding, Severity

SOURCE = (
    "Interviewer: Thanks for coming in. Why did you leave your last job?\n"
    "Candidate: Honestly, my old boss was an idiot who never listened, and it was a toxic "
    "work environment. <script>document.title='pwned';"
    "document.body.setAttribute('data-pwned','script')</script> "
    "I left because they micromanaged me to death.\n"
    "Interviewer: What do you know about us?\n"
    "Candidate: Not much. <img src=x onerror=\"document.title='pwned';"
    "document.body.setAttribute('data-pwned','img')\"> I am fed up with my boss, so here I am.\n"
    "Interviewer: Any questions for me?\n"
    "Candidate: Nope, I'm good.\n"
)

HIGH_BG = (0xFF, 0xC9, 0xC9)  # --high-bg in html_report's CSS
WIDTHS = (390, 1280)  # a phone, a desktop


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; in CI .ci/run must install it (apt-get chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def run_chromium(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(tmp), XDG_CONFIG_HOME=str(tmp), XDG_CACHE_HOME=str(tmp))
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--virtual-time-budget=3000",
        f"--user-data-dir={profile}",
        *args,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


class Dom(HTMLParser):
    """Collects what the checks need from Chromium's serialised DOM."""

    VOID = {"meta", "br", "img", "link", "input", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.body_attrs: dict[str, str] = {}
        self.title = ""
        self.marks: dict[str, list[dict[str, str]]] = {}
        self.mark_text: dict[str, str] = {}
        self.transcript_text = ""
        self._open: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "body":
            self.body_attrs = a
        if tag == "mark" and "data-ev" in a:
            self.marks.setdefault(a["data-ev"], []).append(a)
            self.mark_text.setdefault(a["data-ev"], "")
        if tag not in self.VOID:
            self._open.append((tag, a))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any(t == "title" for t, _ in self._open):
            self.title += data
        for t, a in self._open:
            if t == "mark" and "data-ev" in a:
                self.mark_text[a["data-ev"]] += data
        if any("transcript" in a.get("class", "").split() for _, a in self._open):
            self.transcript_text += data


def extra_overlapping_finding(source: str) -> Finding:
    phrase = "Honestly, my old boss"
    start = source.index(phrase)
    return Finding(
        code="hedging",
        severity=Severity.LOW,
        score=0.5,
        impression="communication",
        evidence=(Evidence(start, start + len(phrase), phrase, "Candidate", 1),),
        message="An overlapping finding, to check that overlaps render.",
        advice="None.",
        rule_id="TEST_OVERLAP",
    )


@pytest.fixture(scope="module")
def chromium() -> str:
    return find_chromium()


@pytest.fixture(scope="module")
def report(rules_analyzer):  # type: ignore[no-untyped-def]
    r = rules_analyzer.analyze(SOURCE)
    findings = sorted((*r.findings, extra_overlapping_finding(SOURCE)), key=Finding.sort_key)
    return replace(r, findings=tuple(findings))


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, report) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report, SOURCE), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dom(chromium, page_file, tmp_path_factory) -> Dom:
    tmp = tmp_path_factory.mktemp("chromium")
    result = run_chromium(chromium, tmp, "--dump-dom", page_file.as_uri())
    parsed = Dom()
    parsed.feed(result.stdout)
    assert "mark" in parsed.tags, result.stdout[:2000]
    return parsed


def test_browser_report_has_several_findings(report):
    assert len(report.findings) >= 4
    assert len({f.code for f in report.findings}) >= 2


def test_browser_highlights_every_evidence_with_exact_text(dom, report):
    expected = set()
    for no, f in enumerate(report.findings, 1):
        for i, e in enumerate(f.evidence):
            ev_id = f"ev-{no}-{i}"
            expected.add(ev_id)
            assert ev_id in dom.marks, f"{f.code} {e.text!r} is not highlighted"
            assert e.text == dom.mark_text[ev_id]
            assert sum(1 for a in dom.marks[ev_id] if a.get("id") == ev_id) == 1
            for attrs in dom.marks[ev_id]:
                assert f"sev-{f.severity.value}" in attrs["class"].split()
                assert f.code == attrs["data-code"]
    assert expected == set(dom.marks)


def test_browser_injected_script_did_not_run(dom):
    assert "pwned" not in dom.title
    assert dom.title.startswith("Interview report")
    assert "data-pwned" not in dom.body_attrs
    assert "script" not in dom.tags
    assert "img" not in dom.tags
    # the would-be markup is shown as text instead
    assert "<script>document.title='pwned';" in dom.transcript_text
    assert '<img src=x onerror="document.title=' in dom.transcript_text


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", WIDTHS)
def test_browser_screenshot_shows_highlights(chromium, page_file, tmp_path, width):
    shot = tmp_path / f"report-{width}.png"
    run_chromium(
        chromium,
        tmp_path,
        f"--window-size={width},1600",
        f"--screenshot={shot}",
        page_file.as_uri(),
    )
    data = shot.read_bytes()
    assert (width, 1600) == png_size(data)
    keep = os.environ.get("IDIAG_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    import matplotlib.image

    pixels = (matplotlib.image.imread(str(shot))[:, :, :3] * 255).round().astype(int)
    close = (abs(pixels - HIGH_BG).max(axis=2) <= 3).sum()
    assert close > 200, "no high-severity highlight colour on the screenshot"
