"""``--output-format junit``: JUnit XML, as GitLab, Jenkins and Azure Pipelines read it.

One ``testsuite`` per linted file (its display path as the name); each finding is a
``testcase`` with a ``failure`` (``type`` the rule code, ``message`` the first clause,
the text ``path:line:col: CODE [severity] message``); a file without findings has
one passing ``testcase``.  Suppressed findings (``--include-suppressed``) are
``skipped`` test cases.  Text from the input is made printable first (XML 1.0
cannot hold most control characters).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from hooklint.engine import Report
from hooklint.model import Finding
from hooklint.output.printable import printable
from hooklint.output.text import format_finding, headline


def _case(suite: ET.Element, path: str, finding: Finding) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        name=printable(f"{finding.code} {finding.name} at line {finding.line}, column {finding.column}"),
        classname=printable(path),
        file=printable(path),
        line=str(finding.line),
    )
    if finding.suppression is not None:
        ET.SubElement(case, "skipped", message=printable(f"suppressed: {finding.suppression}"))
        return
    failure = ET.SubElement(
        case, "failure", message=printable(headline(finding.message)[0]), type=finding.code
    )
    failure.text = format_finding(finding)


def document(report: Report) -> ET.Element:
    by_path: dict[str, list[Finding]] = {path: [] for path in report.paths}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    root = ET.Element("testsuites", name="hooklint")
    total = failures = skipped = 0
    for path, findings in by_path.items():
        failed = sum(f.suppression is None for f in findings)
        passed = findings == []
        suite = ET.SubElement(
            root,
            "testsuite",
            name=printable(path),
            tests=str(len(findings) or 1),
            failures=str(failed),
            errors="0",
            skipped=str(len(findings) - failed),
        )
        if passed:
            ET.SubElement(suite, "testcase", name="hooklint", classname=printable(path), file=printable(path))
        for finding in findings:
            _case(suite, path, finding)
        total += len(findings) or 1
        failures += failed
        skipped += len(findings) - failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    return root


def render(report: Report, stream: TextIO, options: object) -> None:
    tree = document(report)
    ET.indent(tree)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(tree, encoding="unicode"))
    stream.write("\n")
