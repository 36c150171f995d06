"""The interview-diag command: exit codes, messages, output formats."""

from __future__ import annotations

import json

import pytest

from interview_diag import __version__
from interview_diag.cli import main

TEXT = "Interviewer: Why did you leave?\nCandidate: My old boss was an idiot who never listened.\n"


@pytest.fixture()
def transcript(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "no-such-file.txt", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "b.bin").write_bytes(b"\x00\x01\x02abc") and p / "b.bin", "binary"),
        (lambda p: (p / "l.txt").write_bytes(b"caf\xe9 boss") and p / "l.txt", "not UTF-8"),
    ],
)
def test_cli_analyze_bad_path_exits_2_with_one_line(capsys, tmp_path, make, expected):
    path = make(tmp_path)
    code, out, err = run(capsys, ["analyze", str(path), "--no-model"])
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected in err
    assert str(path) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["json"])
def test_cli_analyze_json_validates_against_schema(capsys, transcript, fmt):
    import jsonschema

    from interview_diag.report import load_schema

    code, out, _ = run(capsys, ["analyze", str(transcript), "--format", fmt, "--no-model"])
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, load_schema())
    assert [f["code"] for f in data["findings"]] == ["badmouthing"]
    ev = data["findings"][0]["evidence"][0]
    assert TEXT[ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize(("level", "expected"), [("high", 1), ("medium", 1), ("info", 1)])
def test_cli_fail_on_exits_1_when_at_or_above(capsys, transcript, level, expected):
    code, _, _ = run(capsys, ["analyze", str(transcript), "--no-model", "--fail-on", level])
    assert expected == code


@pytest.mark.parametrize("text", ["Candidate: I loved my last job and my manager."])
def test_cli_fail_on_exits_0_when_clean(capsys, tmp_path, text):
    p = tmp_path / "c.txt"
    p.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, ["analyze", str(p), "--no-model", "--fail-on", "low"])
    assert code == 0
    assert "No findings." in out


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert f"interview-diag {__version__}" == capsys.readouterr().out.strip()


@pytest.mark.parametrize("text", [TEXT])
def test_cli_analyze_stdin(capsys, monkeypatch, text):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = run(capsys, ["analyze", "-", "--no-model"])
    assert code == 0
    assert "badmouthing" in out


@pytest.mark.parametrize("text", [TEXT])
def test_cli_analyze_unknown_candidate_exits_2(capsys, transcript, text):
    code, _, err = run(capsys, ["analyze", str(transcript), "--no-model", "--candidate", "Bob"])
    assert code == 2
    assert "Bob" in err


def test_cli_console_script_missing_file_exit_code():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "interview_diag.cli", "analyze", "no-such-file.txt"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["interview-diag: error: no-such-file.txt: no such file"]


@pytest.mark.parametrize("text", [TEXT])
def test_cli_output_dash_is_stdout(capsys, transcript, text):
    code, out, _ = run(capsys, ["analyze", str(transcript), "--no-model", "-o", "-"])
    assert 0 == code
    assert "badmouthing" in out


@pytest.mark.parametrize("text", [TEXT])
def test_cli_unwritable_output_exits_2(capsys, transcript, tmp_path, text):
    target = tmp_path / "missing-dir" / "r.json"
    code, _, err = run(capsys, ["analyze", str(transcript), "--no-model", "-o", str(target)])
    assert 2 == code
    assert 1 == len(err.strip().splitlines())
    assert "cannot write" in err


@pytest.mark.parametrize(("level", "expected"), [("high", 1), (None, 0)])
def test_cli_letter_check_fail_on(capsys, level, expected):
    argv = ["letter", "check", "examples/letter_whiny.txt", "--no-model"]
    if level:
        argv += ["--fail-on", level]
    code, _, _ = run(capsys, argv)
    assert expected == code


def test_cli_utf16_file_exits_2_naming_the_encoding(capsys, tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("Interviewer: Hi\nCandidate: Hello".encode("utf-16"))
    code, _, err = run(capsys, ["analyze", str(p), "--no-model"])
    assert 2 == code
    assert "UTF-16" in err
