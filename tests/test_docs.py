"""docs/rules.md is generated from the rule files and must be up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview_diag.cli import main
from interview_diag.rule_docs import REGENERATE, escape_markdown, render_rules_markdown
from interview_diag.rules.schema import load_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules.md"
UNESCAPE = re.compile(r"\\(.)")


def test_docs_rules_md_is_up_to_date():
    fresh = render_rules_markdown(load_rules())
    committed = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    if committed != fresh:
        old, new = committed.splitlines(), fresh.splitlines()
        n = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        pytest.fail(
            f"docs/rules.md is out of date; regenerate it with: {REGENERATE}\n"
            f"first difference at line {n + 1}:\n"
            f"  committed: {old[n] if n < len(old) else '(end of file)'}\n"
            f"  generated: {new[n] if n < len(new) else '(end of file)'}",
            pytrace=False,
        )


def test_docs_rules_markdown_lists_every_code_rule_and_example():
    rules = load_rules()
    page = render_rules_markdown(rules)
    plain = UNESCAPE.sub(r"\1", page)
    for code, info in rules.codes.items():
        assert f"## {code}\n" in page
        assert escape_markdown(info.advice) in page
    for rule in rules.rules:
        assert f"### `{rule.id}`" in page
        assert escape_markdown(rule.message) in page
        for ex in (*rule.flag_examples, *rule.pass_examples):
            cuts = sorted({0, len(ex.text), *(i for span in ex.spans for i in span)})
            for a, b in zip(cuts, cuts[1:], strict=False):
                for piece in ex.text[a:b].split("\n"):
                    assert piece.strip() in plain
            for start, end in ex.spans:
                marked = ex.text[start:end].split("\n")
                assert "**" + marked[0].rstrip() in plain
                assert marked[-1].strip() + "**" in plain


def test_docs_cli_rules_markdown_prints_the_page(capsys):
    assert main(["rules", "--markdown"]) == 0
    assert render_rules_markdown(load_rules()) == capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a *b* _c_", r"a \*b\* \_c\_"),
        ("<script>", r"\<script\>"),
        ("- item", r"\- item"),
        ("1. first", r"1\. first"),
        ("a | b", r"a \| b"),
    ],
)
def test_docs_escape_markdown(text, expected):
    assert escape_markdown(text) == expected
