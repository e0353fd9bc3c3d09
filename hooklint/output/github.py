"""GitHub Actions workflow commands: each finding becomes an annotation on the PR diff.

``::error file=deploy/job.yaml,line=9,col=44,title=hooklint HL101::message``.
Levels: error -> ``error``, warning -> ``warning``, info -> ``notice``.  Suppressed
findings (shown only with ``--include-suppressed``) become notices; skipped and
unreadable files become warnings on the file.
"""

from __future__ import annotations

from typing import TextIO

from hooklint.engine import Report
from hooklint.model import Finding, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (also ``:`` and ``,``, which end a property)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    properties: dict[str, object] = {
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
    }
    if finding.end is not None:
        properties["endLine"] = finding.end.line
        properties["endColumn"] = finding.end.column
    properties["title"] = f"hooklint {finding.code}"
    message = finding.message
    if finding.related:
        message += (
            " (see "
            + ", ".join(f"{r.path}:{r.position.line}:{r.position.column}" for r in finding.related)
            + ")"
        )
    name = COMMANDS[finding.severity]
    if finding.suppression is not None:
        name = "notice"
        message += f" [suppressed: {finding.suppression}]"
    return command(name, message, **properties)


def render(report: Report, stream: TextIO, options: object) -> None:
    for finding in report.findings:
        stream.write(annotation(finding) + "\n")
    for notice in report.notices:
        stream.write(command("warning", notice.message, file=notice.path, title="hooklint") + "\n")
