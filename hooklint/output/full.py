"""``--output-format full``: each finding, its source line(s) with the span underlined,
then the rest of the message, the rule's fix and the related places (ruff's ``full``).

::

    deploy/job.yaml:9:44: HL101 [warning] hook Job/db-migrate has a fixed name ...
      |
    9 |     argocd.argoproj.io/hook-delete-policy: HookFailed
      |                                            ^^^^^^^^^^
      |
      = why: after one successful run it is never deleted, ...
      = fix: add BeforeHookCreation to the delete policy, or use metadata.generateName

The span runs from the finding's start to its end (exclusive) when the reader
recorded one; otherwise it covers the token at the start (a key, a quoted or
plain scalar).  Files are read again only for their lines; stdin's text comes in
the options (``sources``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from hooklint.engine import Report
from hooklint.model import Finding, Position
from hooklint.output.printable import printable
from hooklint.output.text import _COLORS, _RESET, format_finding, headline, summary

_LINE_BREAK_RE = re.compile("\r\n|\r|\n")
_PLAIN_END_RE = re.compile(r":(?:\s|$)|\s#|\s*$")
MAX_LINES = 5  # of a multi-line span; the rest is elided


class SourceLines:
    """The lines of each file a report names, read once, on demand."""

    def __init__(self, sources: dict[str, str] | None = None) -> None:
        self._lines: dict[str, list[str]] = {
            path: _LINE_BREAK_RE.split(text.removeprefix("\ufeff")) for path, text in (sources or {}).items()
        }

    def line(self, path: str, number: int) -> str | None:
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = self._read(path)
        return lines[number - 1] if 0 < number <= len(lines) else None

    @staticmethod
    def _read(path: str) -> list[str]:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return []
        return _LINE_BREAK_RE.split(data.decode("utf-8", "replace").removeprefix("\ufeff"))


def token_end(line: str, column: int) -> int:
    """The 1-based column just after the token starting at ``column``: a quoted scalar
    through its closing quote, a plain key or value up to ``: ``, `` #`` or the line's end."""
    start = column - 1
    if start >= len(line):
        return column + 1
    quote = line[start]
    if quote in "\"'":
        i = start + 1
        while i < len(line):
            if line[i] == "\\" and quote == '"':
                i += 2
                continue
            if line[i] == quote:
                if quote == "'" and line[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 2
            i += 1
        return len(line) + 1
    match = _PLAIN_END_RE.search(line, start)
    end = match.start() if match else len(line)
    return max(end, start + 1) + 1


def span_lines(
    finding: Finding, lines: SourceLines
) -> list[tuple[int, str, int, int]]:
    """``(number, text, first column, end column)`` of each source line the span covers."""
    first = lines.line(finding.path, finding.line)
    if first is None:
        return []
    end: Position | None = finding.end
    if end is None or end <= finding.position:
        return [(finding.line, first, finding.column, token_end(first, finding.column))]
    out = []
    for number in range(finding.line, end.line + 1):
        text = lines.line(finding.path, number)
        if text is None:
            break
        start_col = finding.column if number == finding.line else len(text) - len(text.lstrip()) + 1
        end_col = end.column if number == end.line else len(text) + 1
        if number == end.line and end_col <= 1 and number != finding.line:
            break  # an exclusive end at a line's start ends on the line before
        out.append((number, text, start_col, max(end_col, start_col + 1)))
    return out


def snippet(finding: Finding, lines: SourceLines, color: bool = False) -> list[str]:
    """The gutter, the span's source lines and their underline."""
    covered = span_lines(finding, lines)
    if not covered:
        return []
    width = len(str(covered[-1][0]))
    gutter = " " * width + " |"
    out = [gutter]
    shown = covered if len(covered) <= MAX_LINES else [*covered[: MAX_LINES - 1], covered[-1]]
    previous = None
    for number, text, start_col, end_col in shown:
        if previous is not None and number != previous + 1:
            out.append(" " * width + " ...")
        previous = number
        prefix = printable(text[: start_col - 1])
        marked = printable(text[start_col - 1 : end_col - 1]) or " "
        out.append(f"{number:>{width}} | {printable(text)}".rstrip())
        carets = "^" * len(marked)
        if color:
            carets = f"{_COLORS[finding.severity]}{carets}{_RESET}"
        out.append(f"{gutter} {' ' * len(prefix)}{carets}")
    out.append(gutter)
    return out


def format_full(finding: Finding, lines: SourceLines, fixes: dict[str, str], color: bool = False) -> str:
    first, rest = headline(finding.message)
    short = finding if not rest else _with_message(finding, first)
    out = [format_finding(short, color)]
    out += snippet(finding, lines, color)
    pad = "  " if not out[1:] else " " * (out[1].index("|"))
    if rest:
        out.append(f"{pad}= why: {printable(rest)}")
    fix = fixes.get(finding.code)
    if fix:
        out.append(f"{pad}= fix: {printable(fix)}")
    return "\n".join(out)


def _with_message(finding: Finding, message: str) -> Finding:
    from hooklint.values import replace

    return replace(finding, message=message)


def render(report: Report, stream: TextIO, options: object) -> None:
    if getattr(options, "statistics", False):
        from hooklint.output import text

        text.render(report, stream, options)
        return
    color = bool(getattr(options, "color", False))
    lines = SourceLines(getattr(options, "sources", None))
    fixes = {rule.spec.code: rule.spec.remediation for rule in report.rules}
    for finding in report.findings:
        stream.write(format_full(finding, lines, fixes, color) + "\n\n")
    if not getattr(options, "quiet", False):
        stream.write(summary(report) + "\n")
