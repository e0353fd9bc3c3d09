"""``--format json``: a stable list of findings for scripts (documented in the README).

One object per finding, keys always present and in this order:
``code``, ``name``, ``severity``, ``message``, ``path``, ``line``, ``column``,
``end_line``, ``end_column`` (null when not known), ``object`` (``apiVersion Kind
namespace/name``, null for parse errors), ``yaml_path`` (list of keys and
indexes), ``related`` (``path``, ``line``, ``column``, ``message``) and
``suppression`` (the reason, or null; suppressed findings appear only with
``--include-suppressed``), ``fix`` (``safe`` or ``unsafe`` when ``--fix``, with
``--unsafe-fixes`` for an unsafe one, would fix it: the findings text output marks
``[*]``; else null) and ``application`` (the Argo CD Application whose app the finding
is in, ``name (path)``, with ``--scope app``; else null).  With ``--statistics``: one
object per rule instead, ``code``, ``name``, ``count``, ``fixable`` (whether ``--fix``
would fix any of them, as the run's ``--unsafe-fixes`` says), most frequent first.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from hooklint.engine import Report
from hooklint.model import Finding
from hooklint.output.text import fixable


def finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end.line if finding.end else None,
        "end_column": finding.end.column if finding.end else None,
        "object": finding.object_ref or None,
        "yaml_path": list(finding.yaml_path),
        "related": [
            {"path": r.path, "line": r.position.line, "column": r.position.column, "message": r.message}
            for r in finding.related
        ],
        "suppression": finding.suppression,
        "fix": finding.fix if fixable(finding, unsafe=True) else None,
        "application": finding.application,
    }


def statistics_data(report: Report, unsafe: bool = False) -> list[dict[str, Any]]:
    """``--statistics``: ``[{"code", "name", "count", "fixable"}]``, most frequent first."""
    from hooklint.output.text import statistics

    codes = {f.code for f in report.findings if fixable(f, unsafe)}
    return [
        {"code": code, "name": name, "count": count, "fixable": code in codes}
        for code, name, _, count in statistics(report)
    ]


def render(report: Report, stream: TextIO, options: object) -> None:
    if getattr(options, "statistics", False):
        data: list[dict[str, Any]] = statistics_data(report, bool(getattr(options, "unsafe_fixes", False)))
    else:
        data = [finding_data(f) for f in report.findings]
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
