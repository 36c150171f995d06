"""The ``interview-diag`` command line.

Exit codes: 0 done; 1 a finding at or above ``--fail-on``; 2 the input or the
options could not be used (one line on stderr naming the file and the problem).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from interview_diag._version import __version__
from interview_diag.errors import InterviewDiagError
from interview_diag.types import KINDS, Severity

PROG = "interview-diag"
INPUT_FORMATS = ("auto", "prose", "labelled", "vtt", "srt", "json")


class UsageFailure(Exception):
    """A problem with the input or options: reported in one line, exit 2."""


def fail(message: str) -> NoReturn:
    """Stop with exit code 2 and one line on stderr."""
    raise UsageFailure(message)


def read_input(path: str, stdin: TextIO | None = None) -> str:
    """Read a text file (or ``-`` for standard input) as UTF-8.

    Raises:
        UsageFailure: missing, a directory, unreadable, binary or not UTF-8.
    """
    if path == "-":
        stream = stdin or sys.stdin
        try:
            return stream.read()
        except UnicodeDecodeError:
            fail("-: standard input is not UTF-8 text")
    p = Path(path)
    if not p.exists():
        fail(f"{path}: no such file")
    if p.is_dir():
        fail(f"{path}: is a directory, not a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        fail(f"{path}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})")
    return text


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", default="auto", choices=("auto", *KINDS), help="kind of text")
    p.add_argument(
        "--input-format", default="auto", choices=INPUT_FORMATS, help="input format (default: auto)"
    )
    p.add_argument("--company", help="the company interviewed with")
    p.add_argument("--role", help="the role interviewed for")
    p.add_argument("--candidate", help="the candidate's speaker label")
    p.add_argument("--job-description", metavar="FILE", help="a file holding the job description")
    p.add_argument("--no-model", action="store_true", help="rules only, no classifier")
    p.add_argument("--model", metavar="PATH", help="a model of your own (needs --trust-model)")
    p.add_argument("--trust-model", action="store_true", help="allow loading --model")
    p.add_argument(
        "--disable", action="append", default=[], metavar="CODE", help="leave out a code or rule id"
    )
    p.add_argument(
        "--rules", action="append", default=[], metavar="PATH", help="extra rule file or folder"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find what went wrong in a job interview transcript, recap or follow-up letter.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    a = sub.add_parser("analyze", help="analyse one transcript, answer, recap or letter")
    a.add_argument("path", metavar="PATH", help="input file, or - for standard input")
    a.add_argument("--format", default="text", choices=("text", "json"), help="output format")
    a.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")
    a.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        choices=[s.value for s in Severity],
        help="exit 1 when any finding is at or above this severity",
    )
    _add_analysis_options(a)

    r = sub.add_parser("rules", help="list finding codes, rule ids and example counts")
    r.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule files")
    r.add_argument("--format", default="text", choices=("text", "json"))

    t = sub.add_parser("train", help="train the classifier on labelled JSONL")
    t.add_argument("--data", action="append", required=True, metavar="PATH")
    t.add_argument("--out", required=True, metavar="DIR")
    return parser


def _analyzer(args: argparse.Namespace) -> object:
    from interview_diag.analyzer import Analyzer

    model: str | None = "shipped"
    if args.no_model:
        model = None
    elif args.model:
        model = args.model
    return Analyzer(
        model=model,
        trust_model=args.trust_model,
        disable=args.disable,
        extra_rules=args.rules,
    )


def cmd_analyze(args: argparse.Namespace) -> int:
    """Run ``interview-diag analyze``."""
    from interview_diag.analyzer import Analyzer

    text = read_input(args.path)
    jd = read_input(args.job_description) if args.job_description else None
    analyzer = _analyzer(args)
    assert isinstance(analyzer, Analyzer)
    report = analyzer.analyze(
        text,
        kind=args.kind,
        fmt=args.input_format,
        company=args.company,
        role=args.role,
        candidate=args.candidate,
        job_description=jd,
    )
    out = report.to_json() + "\n" if args.format == "json" else report.to_text()
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    if args.fail_on:
        bar = Severity.parse(args.fail_on)
        if any(f.severity.rank >= bar.rank for f in report.findings):
            return 1
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Run ``interview-diag rules``: every code with its rules and example counts."""
    import json

    from interview_diag.rules.schema import load_rules

    rules = load_rules(args.rules)
    if args.format == "json":
        data = [
            {
                "code": r.code,
                "id": r.id,
                "check": r.check,
                "severity": r.severity.value,
                "flag_examples": len(r.flag_examples),
                "pass_examples": len(r.pass_examples),
            }
            for r in rules.rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    for code, info in sorted(rules.codes.items()):
        own = rules.by_code(code)
        sys.stdout.write(
            f"{code}  ({info.severity.value}, {info.impression}): {info.title}; {len(own)} rule(s)\n"
        )
        for r in own:
            sys.stdout.write(
                f"    {r.id:<36} {r.check:<22} flag {len(r.flag_examples):>2}  "
                f"pass {len(r.pass_examples):>2}\n"
            )
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Run ``interview-diag train``."""
    from interview_diag.model.train import main as train_main

    argv: list[str] = []
    for d in args.data:
        argv += ["--data", d]
    argv += ["--out", args.out]
    return int(train_main(argv) or 0)


COMMANDS = {"analyze": cmd_analyze, "rules": cmd_rules, "train": cmd_train}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``interview-diag`` command.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageFailure as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except (InterviewDiagError, TypeError) as exc:
        where = getattr(args, "path", None)
        prefix = f"{where}: " if where else ""
        sys.stderr.write(f"{PROG}: error: {prefix}{exc}\n")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
