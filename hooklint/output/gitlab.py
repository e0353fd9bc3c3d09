"""``--output-format gitlab``: GitLab Code Quality JSON (a ``codequality`` report artifact).

One object per finding with the fields GitLab documents: ``description``,
``check_name``, ``fingerprint`` (unique in the report, stable when unrelated lines
move: rule, file, object, YAML path and a counter for repeats), ``severity``
(error -> ``major``, warning -> ``minor``, info -> ``info``), ``location.path``
(relative to the working directory, which is the repository root in a GitLab job)
and ``location.lines.begin``.  Suppressed findings (``--include-suppressed``) are
left out: GitLab has no field to mark them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any, TextIO

from hooklint.engine import Report
from hooklint.model import Finding, Severity, yaml_path_text
from hooklint.output.printable import printable

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
_DIGITS = re.compile(r"[0-9]+")


def identity(finding: Finding) -> str:
    """Rule, file, object and YAML path (a parse error: its message without numbers)."""
    if finding.object_ref:
        parts = [finding.code, finding.path, finding.object_ref, yaml_path_text(finding.yaml_path)]
    else:
        parts = [finding.code, finding.path, "", _DIGITS.sub("#", finding.message)]
    return "\x00".join(parts)


def issues(report: Report) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    out = []
    for finding in report.findings:
        if finding.suppression is not None:
            continue
        key = identity(finding)
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\x00{seen[key]}".encode("utf-8", "surrogatepass")).hexdigest()
        out.append(
            {
                "description": printable(f"{finding.code} {finding.message}"),
                "check_name": finding.code,
                "fingerprint": digest,
                "severity": SEVERITIES[finding.severity],
                "location": {"path": printable(finding.path), "lines": {"begin": finding.line}},
            }
        )
    return out


def render(report: Report, stream: TextIO, options: object) -> None:
    json.dump(issues(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
