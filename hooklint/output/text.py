"""``path:line:col: CODE [severity] headline``, one line per finding, then a summary.

The headline is the message's first clause (up to its first ``: `` or sentence end
outside quotes and brackets), which names the object and the value; the why and the
fix are in ``--output-format full`` and ``hooklint rule CODE``.
"""

from __future__ import annotations

from collections import Counter

from hooklint.engine import Report
from hooklint.lazyre import lazy
from hooklint.model import Finding, Severity
from hooklint.output.printable import printable

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import TextIO

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY_TAGS = {severity.value: f"[{severity.value}]" for severity in Severity}


def headline(message: str) -> tuple[str, str]:
    """``(first clause, the rest)`` of a message: it is cut at the first ``": "`` or
    ``". "`` that is outside double quotes and brackets; ``rest`` is "" when uncut."""
    colon = message.find(": ")
    if colon >= 0:  # a ". " before it ends where the ": " begins at the latest
        stop = message.find(". ", 0, colon)
        first = colon if stop < 0 else stop
    else:
        first = message.find(". ")
        if first < 0:
            return message, ""
    if _FLAT.fullmatch(message, 0, first) is not None:
        # what comes before the cut opens no bracket inside another, and closes each quote and
        # bracket it opens (one match in C): the commonest messages ('wave "x" on Job/a: why',
        # "Job/x (PreSync) sets no ...: why") are cut there
        return message[:first], message[first + 2 :]
    # the state at the first cut, from the quotes and brackets before it alone (found in C)
    depth, quoted = _scan(_BRACKETS.findall(message, 0, first), 0, False)
    if depth == 0 and not quoted:
        return message[:first], message[first + 2 :]
    for match in _HEADLINE_STOPS.finditer(message, first):  # cut inside: scan on from there
        char = match.group()
        if char in '"([{)]}':
            depth, quoted = _scan(char, depth, quoted)
        elif depth == 0 and not quoted:  # ":" or "." before a space
            i = match.start()
            return message[:i], message[i + 2 :]
    return message, ""


def _scan(chars: str | list[str], depth: int, quoted: bool) -> tuple[int, bool]:
    """The bracket depth and quoting after ``chars`` (quotes and brackets only): brackets inside
    double quotes do not count, a closer with nothing open does nothing."""
    for char in chars:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        else:
            depth = max(depth - 1, 0)
    return depth, quoted


_BRACKETS = lazy(r'["()\[\]{}]')
# text at depth 0 and unquoted at its end: runs of other characters (a closer with nothing open
# does nothing), each quoted string and bracket holding no other bracket followed by another run
# (every repeat starts at a character the one before cannot take: no backtracking to speak of)
_FLAT = lazy(r'[^"(\[{]*(?:(?:"[^"]*"|[(\[{](?:[^"()\[\]{}]*"[^"]*")*[^"()\[\]{}]*[)\]}])[^"(\[{]*)*')
_HEADLINE_STOPS = lazy(r'["()\[\]{}]|[:.](?= )')


def fixable(finding: Finding, unsafe: bool = False) -> bool:
    """Would ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) fix it?"""
    return finding.suppression is None and (finding.fix == "safe" or (unsafe and finding.fix == "unsafe"))


def fix_summary(report: Report, unsafe: bool = False) -> str | None:
    """``[*] 2 fixable with --fix (1 more with --unsafe-fixes)``, or None."""
    ready = sum(1 for f in report.findings if fixable(f, unsafe))
    hidden = 0 if unsafe else sum(1 for f in report.findings if f.suppression is None and f.fix == "unsafe")
    flags = "--fix --unsafe-fixes" if unsafe else "--fix"
    if ready:
        more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
        return f"[*] {ready} fixable with {flags}{more}"
    return f"{hidden} fixable with --fix --unsafe-fixes" if hidden else None


def format_finding(
    finding: Finding, color: bool = False, unsafe: bool = False, *, short: bool = False
) -> str:
    position = finding.position
    where = f"{printable(finding.path)}:{position.line}:{position.column}:"
    # an Enum's hash and .value are Python-level: its _value_ is a plain attribute
    severity = _SEVERITY_TAGS[finding.severity._value_]
    fix = finding.fix  # fixable(), inline: called for every finding printed
    ready = finding.suppression is None and (fix == "safe" or (unsafe and fix == "unsafe"))
    code = finding.code + " [*]" if ready else finding.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_COLORS[finding.severity]}{finding.code}{_RESET}" + code[len(finding.code) :]
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    # a parse error's message is its reason, all of it (helm's or go-yaml's)
    message = headline(finding.message)[0] if short and finding.code != "HL000" else finding.message
    line = f"{where} {code} {severity} {printable(message)}"
    if finding.related:  # a list, not a generator, for join: 4,116 findings, 2.1 -> 1.8 ms
        seen = [f"{printable(r.path)}:{r.position.line}:{r.position.column}" for r in finding.related]
        line += f" (see {', '.join(seen)})"
    if finding.suppression is not None:
        note = f"[suppressed: {printable(finding.suppression)}]"
        line += f" {_DIM}{note}{_RESET}" if color else f" {note}"
    return line


def summary(report: Report) -> str:
    active = [f for f in report.findings if f.suppression is None]
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    objects = f"{report.documents} object{'s' if report.documents != 1 else ''}"
    suppressed = f", {report.suppressed} suppressed" if report.suppressed else ""
    if not active:
        return f"No findings in {files} ({objects}){suppressed}."
    counts = Counter(f.severity for f in active)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    noun = "finding" if len(active) == 1 else "findings"
    return f"Found {len(active)} {noun} ({', '.join(parts)}) in {files} ({objects}){suppressed}."


def statistics(report: Report) -> list[tuple[str, str, str, int]]:
    """``(code, name, severity, count)`` of the unsuppressed findings, most frequent first."""
    counts = Counter((f.code, f.name, f.severity.value) for f in report.findings if f.suppression is None)
    return [(*key, n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(report: Report, stream: TextIO, options: object) -> None:
    color = bool(getattr(options, "color", False))
    quiet = bool(getattr(options, "quiet", False))
    unsafe = bool(getattr(options, "unsafe_fixes", False))
    if getattr(options, "statistics", False):
        for code, name, severity, count in statistics(report):
            stream.write(f"{count:>5}  {code}  [{severity}] {name}\n")
    else:
        lines = [
            format_finding(finding, color, unsafe, short=True)
            for finding in report.findings
            if not finding.application
        ]
        apps: dict[str, list[Finding]] = {}
        for finding in report.findings:  # grouped under their Application, after the rest
            if finding.application:
                apps.setdefault(finding.application, []).append(finding)
        for label, findings in apps.items():
            lines.append(f"app {label}")
            lines.extend("  " + format_finding(finding, color, unsafe, short=True) for finding in findings)
        if lines:  # one write: a write per line costs more than the line's formatting
            stream.write("\n".join(lines) + "\n")
    if not quiet:
        stream.write(summary(report) + "\n")
        fixes = fix_summary(report, unsafe)
        if fixes:
            stream.write(fixes + "\n")
