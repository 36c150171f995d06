"""Render the rule files as Markdown: the generator of ``docs/rules.md``.

To refresh the committed page after changing a rule file:

1. run ``interview-diag rules --markdown > docs/rules.md``;
2. commit the result; ``tests/test_docs.py`` fails while the two differ.

The output depends only on the rule files (codes sorted by name, rules in file
order), so it is the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from interview_diag.rules.schema import Example, Rule, RuleSet

REGENERATE = "interview-diag rules --markdown > docs/rules.md"
"""The command that writes ``docs/rules.md``."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape text so that Markdown shows it literally (inline, on one or more lines).

    Args:
        text: plain text.

    Returns:
        The text with Markdown punctuation backslash-escaped.
    """
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _example_md(example: Example, *, indent: str = "  ") -> str:
    """One example: marked spans in bold, line breaks kept, options after it."""
    pieces: list[str] = []
    pos = 0
    for start, end in example.spans:
        pieces.append(escape_markdown(example.text[pos:start]))
        pieces.append("**" + escape_markdown(example.text[start:end]) + "**")
        pos = end
    pieces.append(escape_markdown(example.text[pos:]))
    body = "".join(pieces).strip("\n")
    # A trailing backslash is a hard line break inside a list item.
    body = ("\\\n" + indent).join(line.rstrip() for line in body.split("\n"))
    options = []
    for key, value in example.options.items():
        if key == "job_description":
            options.append("with a job description")
        else:
            options.append(f"{key}: {escape_markdown(value)}")
    if options:
        body += " *(" + "; ".join(options) + ")*"
    return body


def _rule_md(rule: Rule, code_severity: str) -> Iterable[str]:
    yield f"### `{rule.id}`"
    yield ""
    facts = [f"check `{rule.check}`", f"speaker {rule.speaker}"]
    if rule.severity.value != code_severity:
        facts.append(f"severity **{rule.severity.value}**")
    if len(rule.kinds) < 4:
        facts.append("only in " + ", ".join(rule.kinds))
    yield "- " + "; ".join(facts)
    yield f"- **Message:** {escape_markdown(rule.message)}"
    if rule.rationale:
        yield f"- **Rationale:** {escape_markdown(rule.rationale)}"
    yield ""
    yield "Flags (the words it marks in bold):"
    yield ""
    for ex in rule.flag_examples:
        yield "- " + (_example_md(ex) if ex.text.strip() else "*(empty text)*")
    yield ""
    yield "Does not flag:"
    yield ""
    for ex in rule.pass_examples:
        yield "- " + (_example_md(ex) if ex.text.strip() else "*(empty text)*")
    yield ""


def render_rules_markdown(rules: RuleSet) -> str:
    """Every finding code with its defaults, and every rule with its examples.

    Args:
        rules: the rule set (``load_rules()`` for the shipped rules).

    Returns:
        The Markdown page, ending with a newline.

    Example:
        >>> from interview_diag.rules.schema import load_rules
        >>> page = render_rules_markdown(load_rules())
        >>> page.startswith("# Rules")
        True
    """
    lines = [
        "# Rules",
        "",
        "<!-- Generated from interview_diag/rules/*.json; do not edit by hand. -->",
        f"<!-- Regenerate with: {REGENERATE} -->",
        "",
        "Every finding code with its default severity, impression and advice, then every rule",
        "of the code with the examples it must flag (the evidence in bold) and the examples it",
        "must leave alone. `tests/test_rule_examples.py` checks every one of these examples.",
        "",
        "| code | title | severity | impression | rules |",
        "|---|---|---|---|---|",
    ]
    codes = sorted(rules.codes)
    for code in codes:
        info = rules.codes[code]
        lines.append(
            f"| [`{code}`](#{code}) | {escape_markdown(info.title)} "
            f"| {info.severity.value} | {info.impression} | {len(rules.by_code(code))} |"
        )
    lines.append("")
    for code in codes:
        info = rules.codes[code]
        lines += [
            f"## {code}",
            "",
            f"**{escape_markdown(info.title)}**. Severity **{info.severity.value}**, "
            f"impression **{info.impression}**.",
            "",
        ]
        if info.description:
            lines += [escape_markdown(info.description), ""]
        lines += [f"**Advice:** {escape_markdown(info.advice)}", ""]
        for rule in rules.by_code(code):
            lines += list(_rule_md(rule, info.severity.value))
    return "\n".join(lines).rstrip("\n") + "\n"
