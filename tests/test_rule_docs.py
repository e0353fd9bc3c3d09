"""Every rule's doc: required sections, and its examples run as fixtures.

A ``yaml bad`` block marks each expected finding with ``# expect: CODE`` at the end
of the line it must be reported on; a ``yaml good`` block must yield nothing from
its rule.
"""

from __future__ import annotations

import re

import pytest

from hooklint.registry import load_registry
from hooklint.spec import REQUIRED_SECTIONS, Example, RuleSpec
from tests.conftest import lint_text

_EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)$")
SPECS = load_registry(plugins=False).specs


def expected(text: str) -> list[tuple[str, int]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT_RE.search(line)
        if match:
            out.extend((code.strip(), number) for code in match.group(1).split(",") if code.strip())
    return sorted(out)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.code)
def test_doc_has_required_sections(spec: RuleSpec) -> None:
    body = spec.body
    for heading in (*REQUIRED_SECTIONS, "## References"):
        assert heading in body, f"{spec.name}.md lacks '{heading}'"
    assert spec.summary and not spec.summary.endswith(".")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.code)
def test_examples_exist(spec: RuleSpec) -> None:
    verdicts = {e.verdict for e in spec.examples}
    assert verdicts == {"bad", "good"}, f"{spec.name}.md needs both a bad and a good example"


EXAMPLES = [(spec, n, example) for spec in SPECS for n, example in enumerate(spec.examples)]


EXAMPLE_IDS = [f"{spec.code}-{example.verdict}-{n}" for spec, n, example in EXAMPLES]


@pytest.mark.parametrize(("spec", "number", "example"), EXAMPLES, ids=EXAMPLE_IDS)
def test_example(spec: RuleSpec, number: int, example: Example) -> None:
    # HL000 runs too: an example that does not parse must fail, not pass silently
    report = lint_text(example.text, select=(spec.code, "HL000"), templates_as_charts=True)
    got = sorted((f.code, f.line) for f in report.findings)
    if example.verdict == "good":
        assert got == [], [f.message for f in report.findings]
    else:
        want = expected(example.text)
        assert want, f"bad example {number} of {spec.name} marks no '# expect:'"
        assert got == want, [f"{f.line}: {f.message}" for f in report.findings]


def test_readme_rule_table_lists_every_rule_as_its_spec_says() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    rows = [
        tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in table.strip().splitlines()[2:]
    ]
    assert rows == [
        (s.code, s.name, s.severity.value, s.fix if s.fix != "none" else "", s.summary) for s in SPECS
    ]
