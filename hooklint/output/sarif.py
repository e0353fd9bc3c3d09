"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om.

Right by construction where peers go wrong: every result sits on its real line
and column (1-based, columns in Unicode code points), URIs are relative to
``%SRCROOT%`` (the git work tree holding the working directory), the document is
the only thing written, and ``results`` is present even when empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Sequence, TextIO
from urllib.parse import quote

import sarif_om as om

from hooklint import __version__
from hooklint.engine import Report
from hooklint.model import Finding, Position, Severity, yaml_path_text
from hooklint.output.sarif_json import sarif_data
from hooklint.output.text import fixable
from hooklint.spec import RuleSpec, builtin_rules_dir

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://github.com/hooklint/hooklint"
RULE_DOC_URI = "https://github.com/hooklint/hooklint/blob/main/rules/{name}.md"
#: partialFingerprints key: rule, file, object identity and YAML path (no line numbers).
FINGERPRINT_KEY = "hooklint/objectPath/v1"
PARSE_ERROR = "HL000"
_DIGITS = re.compile(r"[0-9]+")

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub's ``problem.severity`` rule property.
PROBLEM_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}


def render(report: Report, stream: TextIO, options: object) -> None:
    cwd = Path(getattr(options, "cwd", None) or Path.cwd()).absolute()
    category = getattr(options, "sarif_category", None)
    data = sarif_log(report, cwd, category, bool(getattr(options, "unsafe_fixes", False)))
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def sarif_log(report: Report, cwd: Path, category: str | None = None, unsafe: bool = False) -> dict[str, Any]:
    """The whole SARIF document for a report, as JSON-ready data (``unsafe``: --unsafe-fixes,
    for each result's ``properties.fixable``)."""
    paths = [f.path for f in report.findings]
    paths += [r.path for f in report.findings for r in f.related]
    paths += [n.path for n in report.notices]
    root = source_root(paths, cwd)
    uris = UriMaker(root, cwd)
    rule_index = {rule.spec.code: i for i, rule in enumerate(report.rules)}

    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="hooklint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[reporting_descriptor(rule.spec) for rule in report.rules],
            )
        ),
        invocations=[invocation(report, rule_index, uris)],
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=root.as_uri().rstrip("/") + "/")},
        column_kind="unicodeCodePoints",
        results=results(report.findings, rule_index, uris, unsafe),
    )
    if category:
        run.automation_details = om.RunAutomationDetails(
            id=category if category.endswith("/") else category + "/"
        )
    log = om.SarifLog(version=SARIF_VERSION, schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = sarif_data(log, keep=frozenset({"level"}))
    return {"$schema": data.pop("$schema"), "version": data.pop("version"), **data}


# -- rules ------------------------------------------------------------------------------


def reporting_descriptor(spec: RuleSpec) -> om.ReportingDescriptor:
    body = spec.body or f"{spec.summary}.\n"
    properties: dict[str, Any] = {}
    if spec.tags:
        properties["tags"] = list(spec.tags)
    properties["problem.severity"] = PROBLEM_SEVERITIES[spec.severity]
    properties["precision"] = spec.precision
    return om.ReportingDescriptor(
        id=spec.code,
        name=spec.name,
        short_description=om.MultiformatMessageString(text=spec.summary),
        full_description=om.MultiformatMessageString(text=f"{spec.summary}. {spec.remediation}"),
        help=om.MultiformatMessageString(text=body, markdown=body),
        help_uri=help_uri(spec),
        default_configuration=om.ReportingConfiguration(level=LEVELS[spec.severity]),
        properties=properties,
    )


def help_uri(spec: RuleSpec) -> str | None:
    """The rule doc on the project's site, for built-in rules only (plugins have their own)."""
    if spec.source is None:
        return None
    try:
        builtin = spec.source.resolve().parent == builtin_rules_dir().resolve()
    except OSError:
        return None
    return RULE_DOC_URI.format(name=spec.name) if builtin else None


# -- invocation -------------------------------------------------------------------------


def invocation(report: Report, rule_index: dict[str, int], uris: UriMaker) -> om.Invocation:
    """hooklint ran to the end (it writes no SARIF otherwise); what it could not read is said."""
    notifications = [
        om.Notification(
            level="error",
            message=om.Message(text=f"{f.path} was not fully linted: {f.message}"),
            locations=[om.Location(physical_location=physical_location(uris, f.path, f.position, f.end))],
            associated_rule=_rule_reference(f.code, rule_index),
        )
        for f in report.findings
        if f.code == PARSE_ERROR and f.suppression is None
    ]
    notifications += [
        om.Notification(
            level="warning",
            message=om.Message(text=f"{notice.path}: {notice.message}"),
            locations=[om.Location(physical_location=physical_location(uris, notice.path))],
        )
        for notice in report.notices
    ]
    overrides = [
        om.ConfigurationOverride(
            configuration=om.ReportingConfiguration(level=LEVELS[rule.severity]),
            descriptor=om.ReportingDescriptorReference(id=rule.spec.code, index=i),
        )
        for i, rule in enumerate(report.rules)
        if rule.severity is not rule.spec.severity
    ]
    return om.Invocation(
        execution_successful=True,
        tool_execution_notifications=notifications or None,
        rule_configuration_overrides=overrides or None,
    )


def _rule_reference(code: str, rule_index: dict[str, int]) -> om.ReportingDescriptorReference:
    return om.ReportingDescriptorReference(id=code, index=rule_index.get(code, -1))


# -- results ----------------------------------------------------------------------------


def results(
    findings: Sequence[Finding], rule_index: dict[str, int], uris: UriMaker, unsafe: bool = False
) -> list[om.Result]:
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        identity = fingerprint(finding, uris.uri(finding.path))
        seen[identity] += 1
        out.append(result(finding, rule_index, uris, f"{identity}:{seen[identity]}", unsafe))
    return out


def result(
    finding: Finding, rule_index: dict[str, int], uris: UriMaker, print_: str, unsafe: bool = False
) -> om.Result:
    """One result; ``properties.fixable``: would ``--fix`` fix it (the text output's ``[*]``)."""
    related = [
        om.Location(
            id=number,
            physical_location=physical_location(uris, r.path, r.position),
            message=om.Message(text=r.message or f"{r.path}:{r.position.line}"),
        )
        for number, r in enumerate(finding.related, start=1)
    ]
    location = om.Location(
        physical_location=physical_location(uris, finding.path, finding.position, finding.end)
    )
    if finding.object_ref:
        location.logical_locations = [logical_location(finding.object_ref)]
    properties: dict[str, Any] = {}
    if finding.yaml_path:
        properties["yamlPath"] = yaml_path_text(finding.yaml_path)
    properties["fixable"] = fixable(finding, unsafe)
    if finding.application:
        properties["application"] = finding.application
    return om.Result(
        rule_id=finding.code,
        rule_index=rule_index.get(finding.code, -1),
        level=LEVELS[finding.severity],
        message=om.Message(text=message_text(finding)),
        locations=[location],
        related_locations=related or None,
        partial_fingerprints={FINGERPRINT_KEY: print_},
        suppressions=(
            [om.Suppression(kind="inSource", justification=finding.suppression)]
            if finding.suppression is not None
            else None
        ),
        properties=properties,
    )


def message_text(finding: Finding) -> str:
    """The finding's message; with related locations, links to them (``[text](id)``).

    SARIF reads ``[...]`` in message text as link syntax, so literal brackets are
    escaped when the message carries links.
    """
    if not finding.related:
        return finding.message
    text = finding.message.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    links = ", ".join(
        f"[{_link_text(r.path)}:{r.position.line}]({number})"
        for number, r in enumerate(finding.related, start=1)
    )
    return f"{text} (see {links})"


def _link_text(path: str) -> str:
    return path.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def logical_location(object_ref: str) -> om.LogicalLocation:
    """``batch/v1 Job team-a/db-migrate`` -> name ``Job team-a/db-migrate``, kind ``object``."""
    _, _, name = object_ref.partition(" ")
    return om.LogicalLocation(name=name or object_ref, fully_qualified_name=object_ref, kind="object")


def fingerprint(finding: Finding, uri: str) -> str:
    """A hash of rule, file, object identity and YAML path: stable when unrelated lines move.

    Findings without an object (HL000) use the message instead, without its numbers
    (a parse error's message may name a line: "first at line 3").
    """
    if finding.object_ref:
        parts = [finding.code, uri, finding.object_ref, yaml_path_text(finding.yaml_path)]
    else:
        parts = [finding.code, uri, "", _DIGITS.sub("#", finding.message)]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]


# -- locations --------------------------------------------------------------------------


def physical_location(
    uris: UriMaker, path: str, start: Position | None = None, end: Position | None = None
) -> om.PhysicalLocation:
    region = None
    if start is not None:
        region = om.Region(start_line=max(start.line, 1), start_column=max(start.column, 1))
        if end is not None and end > start:
            region.end_line = end.line
            region.end_column = end.column
    return om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=uris.uri(path), uri_base_id=SRCROOT), region=region
    )


def source_root(paths: Sequence[str], cwd: Path) -> Path:
    """The folder URIs are relative to: the git work tree around ``cwd`` (GitHub resolves
    relative URIs against the repository root), else ``cwd``; widened to a common
    parent when an input lies outside it, so no URI needs ``..``."""
    root = git_work_tree(cwd) or cwd
    absolute = {os.path.normpath(os.path.join(cwd, p)) for p in paths}
    if any(not _within(p, root) for p in absolute):
        with contextlib.suppress(ValueError):  # different drives (Windows): keep the root
            root = Path(os.path.commonpath([str(root), *absolute]))
    return root


def git_work_tree(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a folder, or a worktree's file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _within(path: str, root: Path) -> bool:
    try:
        return os.path.commonpath([path, str(root)]) == str(root)
    except ValueError:
        return False


class UriMaker:
    """Display paths (relative to cwd) -> URIs relative to the source root, percent-encoded."""

    def __init__(self, root: Path, cwd: Path) -> None:
        self.root = root
        self.cwd = cwd
        self._cache: dict[str, str] = {}

    def uri(self, path: str) -> str:
        cached = self._cache.get(path)
        if cached is None:
            absolute = os.path.normpath(os.path.join(self.cwd, path))
            try:
                relative = Path(os.path.relpath(absolute, self.root)).as_posix()
            except ValueError:
                relative = Path(absolute).as_posix().lstrip("/")
            cached = self._cache[path] = quote(relative, safe="/")
        return cached
