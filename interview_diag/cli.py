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
from interview_diag.types import KINDS, Report, Severity

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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        fail(f"{path}: UTF-16 text; save it as UTF-8 and try again")
    if b"\x00" in data[:8192]:
        fail(f"{path}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})")
    return text


def write_output(path: str | None, text: str) -> None:
    """Write to a file, or to stdout when ``path`` is ``None`` or ``-``.

    Raises:
        UsageFailure: the file cannot be written.
    """
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{path}: cannot write: {exc.strerror or exc}")


def exit_code(report: Report, fail_on: str | None) -> int:
    """1 when ``fail_on`` is set and a finding is at or above that severity, else 0."""
    if fail_on is None:
        return 0
    bar = Severity.parse(fail_on)
    return int(any(f.severity.rank >= bar.rank for f in report.findings))


def _add_report_output(p: argparse.ArgumentParser) -> None:
    """``-o`` and ``--fail-on``, shared by the commands that print one report."""
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: stdout)")
    p.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        choices=[s.value for s in Severity],
        help="exit 1 when any finding is at or above this severity",
    )


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


def _add_letter_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``interview-diag letter check|draft``: follow-up letters."""
    letter = sub.add_parser("letter", help="check a follow-up letter, or draft one")
    actions = letter.add_subparsers(dest="letter_command", metavar="ACTION")
    actions.required = True
    c = actions.add_parser("check", help="check a follow-up letter before sending it")
    c.add_argument("path", metavar="FILE", help="the letter, or - for standard input")
    c.add_argument("--format", default="text", choices=("text", "json"), help="output format")
    c.add_argument("--company", help="the company's name")
    c.add_argument("--interviewer", help="the interviewer's name")
    c.add_argument("--role", help="the role applied for")
    c.add_argument(
        "--report",
        metavar="REPORT.json",
        help="the interview's report (analyze --format json): a missing acknowledgement "
        "of a bad interview is then a finding",
    )
    c.add_argument(
        "--level",
        choices=("fine", "some concerns", "serious", "likely lost"),
        help="how the interview went, instead of --report",
    )
    c.add_argument("--no-model", action="store_true", help="rules only, no classifier")
    _add_report_output(c)
    d = actions.add_parser("draft", help="draft a follow-up letter from an interview transcript")
    d.add_argument("path", metavar="TRANSCRIPT", help="the transcript, or - for standard input")
    d.add_argument("--company", required=True, help="the company's name")
    d.add_argument("--role", required=True, help="the role applied for")
    d.add_argument(
        "--name",
        default=None,
        help="your name, to sign the letter (default: your speaker label in the transcript)",
    )
    d.add_argument("--interviewer", help="the interviewer's name, for the greeting")
    d.add_argument(
        "--strength",
        action="append",
        default=[],
        metavar="TEXT",
        help="a reason to see you again, in your words (repeatable)",
    )
    d.add_argument("--candidate", help="your speaker label in the transcript")
    d.add_argument(
        "--input-format", default="auto", choices=INPUT_FORMATS, help="transcript format"
    )
    d.add_argument("--format", default="text", choices=("text", "json"), help="output format")
    d.add_argument("--no-model", action="store_true", help="rules only, no classifier")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Find what went wrong in a job interview transcript, recap or follow-up letter."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    a = sub.add_parser("analyze", help="analyse one transcript, answer, recap or letter")
    a.add_argument("path", metavar="PATH", help="input file, or - for standard input")
    a.add_argument(
        "--format", default="text", choices=("text", "json", "html"), help="output format"
    )
    _add_report_output(a)
    _add_analysis_options(a)

    r = sub.add_parser("rules", help="list finding codes, rule ids and example counts")
    r.add_argument("--rules", action="append", default=[], metavar="PATH", help="extra rule files")
    r.add_argument("--format", default="text", choices=("text", "json"))
    r.add_argument(
        "--markdown", action="store_true", help="every code and rule with its examples (docs)"
    )

    e = sub.add_parser("evaluate", help="precision, recall and F1 on labelled JSONL")
    e.add_argument("--data", action="append", default=[], metavar="PATH", help="default: data/")
    e.add_argument("--split", default="test", choices=("train", "dev", "test", "all"))
    e.add_argument("--format", default="text", choices=("text", "json"))
    e.add_argument("--no-model", action="store_true", help="rules only")
    e.add_argument("--model", metavar="PATH", help="a model of your own (needs --trust-model)")
    e.add_argument("--trust-model", action="store_true")
    e.add_argument(
        "--letters",
        nargs="?",
        const="data/letters/letters.jsonl",
        metavar="PATH",
        help="score the letter checker per letter code instead (default set: "
        "data/letters/letters.jsonl; splits dev and test)",
    )

    t = sub.add_parser("train", help="train the classifier on labelled JSONL")
    t.add_argument("--data", action="append", required=True, metavar="PATH")
    t.add_argument("--out", required=True, metavar="DIR")

    b = sub.add_parser("batch", help="analyse many records (JSONL, CSV or a folder) into JSONL")
    b.add_argument("path", metavar="INPUT", help="JSONL, CSV, a folder, or - (JSONL on stdin)")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="JSONL output")
    b.add_argument("--summary-csv", metavar="FILE", help="also write one CSV row per record")
    b.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")
    b.add_argument("--batch-size", type=int, metavar="N", help="records per spaCy batch")
    b.add_argument("--resume", action="store_true", help="skip ids already in the output")
    b.add_argument("--strict", action="store_true", help="exit 1 when any record failed")
    b.add_argument("--text-column", metavar="COL", help="CSV column holding the text")
    for col in ("id", "kind", "company", "role", "candidate"):
        b.add_argument(f"--{col}-column", metavar="COL", help=f"CSV column holding the {col}")
    _add_analysis_options(b)
    _add_letter_parser(sub)
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
    if args.format == "html":
        from interview_diag.html_report import render_html

        out = render_html(report, text)
    else:
        out = report.to_json() + "\n" if args.format == "json" else report.to_text()
    write_output(args.output, out)
    return exit_code(report, args.fail_on)


def cmd_rules(args: argparse.Namespace) -> int:
    """Run ``interview-diag rules``: every code with its rules and example counts."""
    import json

    from interview_diag.rules.schema import load_rules

    rules = load_rules(args.rules)
    if args.markdown:
        from interview_diag.rule_docs import render_rules_markdown

        sys.stdout.write(render_rules_markdown(rules))
        return 0
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
            f"{code}  ({info.severity.value}, {info.impression}): "
            f"{info.title}; {len(own)} rule(s)\n"
        )
        for r in own:
            sys.stdout.write(
                f"    {r.id:<36} {r.check:<22} flag {len(r.flag_examples):>2}  "
                f"pass {len(r.pass_examples):>2}\n"
            )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Run ``interview-diag evaluate``: per-code scores for rules, classifier and hybrid."""
    import json

    from interview_diag.analyzer import Analyzer
    from interview_diag.evaluation import evaluate, format_table

    if args.letters:
        return _evaluate_letters(args)
    data = args.data or _default_data()
    for d in data:
        if not Path(d).exists():
            fail(f"{d}: no such file or folder")
    model: str | None = None if args.no_model else (args.model or "shipped")
    analyzer = Analyzer(model=model, trust_model=args.trust_model)
    result = evaluate(analyzer, data, split=args.split)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_table(result))
    return 0


def _default_data() -> list[str]:
    """Every labelled JSONL file under data/ except the letter set, which has its own format."""
    root = Path("data")
    files = [p for p in sorted(root.rglob("*.jsonl")) if p.relative_to(root).parts[0] != "letters"]
    return [str(p) for p in files] or ["data/"]


def _evaluate_letters(args: argparse.Namespace) -> int:
    """``interview-diag evaluate --letters``: per-code scores of the letter checker."""
    import json

    from interview_diag.analyzer import Analyzer
    from interview_diag.letter_evaluation import evaluate_letters, format_letter_table

    if args.split == "train":
        fail(f"{args.letters}: the letter set has dev and test splits only")
    if not Path(args.letters).is_file():
        fail(f"{args.letters}: no such file")
    model: str | None = None if args.no_model else (args.model or "shipped")
    analyzer = Analyzer(model=model, trust_model=args.trust_model)
    result = evaluate_letters(analyzer, args.letters, split=args.split)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_letter_table(result))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Run ``interview-diag train``."""
    from interview_diag.model.train import main as train_main

    argv: list[str] = []
    for d in args.data:
        argv += ["--data", d]
    argv += ["--out", args.out]
    code = int(train_main(argv, prog="interview-diag train") or 0)
    if code == 0:
        from interview_diag.analyzer import Analyzer
        from interview_diag.evaluation import evaluate, format_table, record_in_manifest

        # The same table `interview-diag evaluate` prints, for the model just trained,
        # goes into its manifest: rules only, classifier only and hybrid, on the test split.
        out = Path(args.out)
        analyzer = Analyzer(model=out / "model.joblib", trust_model=True)
        result = evaluate(analyzer, args.data, split="test")
        if result.n_examples:
            record_in_manifest(out / "manifest.json", result)
            sys.stdout.write(format_table(result))
    return code


def cmd_batch(args: argparse.Namespace) -> int:
    """Run ``interview-diag batch``.

    Exit 1 with ``--strict`` when a record failed, and 2 when the input cannot be
    used or no record of it could be analysed.
    """
    from interview_diag.analyzer import Analyzer
    from interview_diag.batch import BatchInputError, CsvColumns, Defaults, run_batch

    def make_analyzer() -> Analyzer:
        analyzer = _analyzer(args)
        assert isinstance(analyzer, Analyzer)
        return analyzer

    jd = read_input(args.job_description) if args.job_description else None
    defaults = Defaults(args.kind, args.input_format, args.company, args.role, args.candidate, jd)
    columns = CsvColumns(
        args.text_column or "text",
        args.id_column,
        args.kind_column,
        args.company_column,
        args.role_column,
        args.candidate_column,
    )
    try:
        summary = run_batch(
            args.path,
            args.output,
            make_analyzer,
            text_column=args.text_column,
            columns=columns,
            defaults=defaults,
            workers=args.workers,
            batch_size=args.batch_size,
            resume=args.resume,
            summary_csv=args.summary_csv,
        )
    except BatchInputError as exc:
        fail(str(exc))
    if summary.interrupted:
        return 130
    if summary.failed and not summary.analysed and not summary.skipped:
        fail(f"no record could be analysed: all {summary.failed} failed (reasons in {args.output})")
    return 1 if args.strict and (summary.failed or summary.previously_failed) else 0


def cmd_letter(args: argparse.Namespace) -> int:
    """Run ``interview-diag letter check`` or ``interview-diag letter draft``."""
    import json

    from interview_diag.analyzer import Analyzer
    from interview_diag.drafting import draft_followup
    from interview_diag.letters import check_letter

    analyzer = Analyzer(model=None if args.no_model else "shipped")
    text = read_input(args.path)
    if args.letter_command == "check":
        report: dict[str, object] | str | None = args.level
        if args.report:
            try:
                report = json.loads(read_input(args.report))
            except json.JSONDecodeError as exc:
                fail(f"{args.report}: not a JSON report ({exc.msg}, line {exc.lineno})")
        try:
            result = check_letter(
                text,
                report=report,
                company=args.company,
                interviewer=args.interviewer,
                role=args.role,
                analyzer=analyzer,
            )
        except ValueError as exc:
            fail(f"{args.report or args.path}: {exc}")
        out = result.to_json() + "\n" if args.format == "json" else result.to_text()
        write_output(args.output, out)
        return exit_code(result, args.fail_on)
    interview = analyzer.analyze(
        text,
        fmt=args.input_format,
        company=args.company,
        role=args.role,
        candidate=args.candidate,
    )
    from interview_diag.roles import is_role_label

    name = args.name or interview.candidate.speaker
    if not name or is_role_label(name):
        fail(f"{args.path}: the transcript names no candidate; pass --name to sign the letter")
    draft = draft_followup(
        interview,
        candidate_name=name,
        company=args.company,
        role=args.role,
        interviewer=args.interviewer,
        strengths=args.strength,
        source=text,
        analyzer=analyzer,
    )
    level = (interview.summary or {}).get("level")
    if args.format == "json":
        data = {"interview_level": level, **draft.to_dict()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    addressed = ", ".join(draft.addresses) or "none"
    sys.stdout.write(draft.text + "\n\n")
    sys.stdout.write(f"-- interview level: {level}; the letter addresses: {addressed}\n")
    return 0


COMMANDS = {
    "letter": cmd_letter,
    "batch": cmd_batch,
    "analyze": cmd_analyze,
    "rules": cmd_rules,
    "evaluate": cmd_evaluate,
    "train": cmd_train,
}


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
