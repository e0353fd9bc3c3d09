"""The --fix / --diff loop: lint, fix what verifies, re-lint the fixed files, repeat."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from hooklint.config import Config
from hooklint.engine import ActiveRule, Report, analyse, merge_reports
from hooklint.fix import fixable_source
from hooklint.fix.plan import fix_file
from hooklint.model import Finding
from hooklint.registry import Registry
from hooklint.sources.files import LoadedFile
from hooklint.values import dataclass, field

#: Fixes that wait for another (they touch the same text) get this many more rounds.
MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    report: Report  # the findings that remain after the fixes
    before: dict[str, bytes] = field(default_factory=dict)  # display path -> bytes as read
    after: dict[str, bytes] = field(default_factory=dict)  # display path -> fixed bytes
    fixed: list[Finding] = field(default_factory=list)
    files: list[LoadedFile] = field(default_factory=list)  # the input as fixed


@dataclass(frozen=True)
class RuleGroup:
    """The rules and config some of the files use (``only``: their display paths; None: all)."""

    rules: Sequence[ActiveRule]
    config: Config
    only: frozenset[str] | None = None


def analyse_groups(
    groups: Sequence[RuleGroup],
    registry: Registry,
    files: Sequence[LoadedFile],
    include_suppressed: bool = False,
    cwd: Path | None = None,
) -> Report:
    """One report over every group's files, each with its own rules and config (as ``lint``)."""
    return merge_reports(
        [analyse(g.rules, registry, g.config, files, include_suppressed, cwd, only=g.only) for g in groups]
    )


def allowed_fixes(unsafe: bool) -> frozenset[str]:
    return frozenset(("safe", "unsafe") if unsafe else ("safe",))


def fix_loaded(
    rules: Sequence[ActiveRule],
    registry: Registry,
    config: Config,
    loaded: list[LoadedFile],
    *,
    unsafe: bool,
    include_suppressed: bool = False,
    cwd: Path | None = None,
    groups: Sequence[RuleGroup] | None = None,
) -> FixOutcome:
    """Fix the loaded files in memory (nothing is written) and lint the result.

    With ``groups`` (files using different configs) each file is linted and fixed with
    its group's rules, config and params; ``rules`` and ``config`` are then unused.
    """
    cwd = cwd or Path.cwd()
    allowed = allowed_fixes(unsafe)
    groups = groups or [RuleGroup(rules, config)]
    params_of = [{rule.spec.code: rule.params for rule in g.rules} for g in groups]

    def params_for(path: str) -> dict[str, dict[str, Any]]:
        found = next((n for n, g in enumerate(groups) if g.only is None or path in g.only), 0)
        return params_of[found]

    files = list(loaded)
    index = {file.source.path: n for n, file in enumerate(files)}
    outcome = FixOutcome(analyse_groups(groups, registry, files, include_suppressed, cwd))
    for _ in range(MAX_ROUNDS):
        wanted: dict[str, list[Finding]] = {}
        for finding in outcome.report.findings:
            if finding.fix in allowed and finding.suppression is None:
                wanted.setdefault(finding.path, []).append(finding)
        changed = False
        for path, findings in wanted.items():
            number = index.get(path)
            if number is None or not fixable_source(files[number].source) or not files[number].is_target:
                continue
            data = outcome.after.get(path)
            known = files[number] if data is not None else None  # our own last result, loaded
            if data is None:
                data = _read(cwd / path)
                if data is None:
                    continue
                outcome.before[path] = data
            result = fix_file(data, path, findings, params_for(path), allowed, known, files[number].is_target)
            if result is None:
                continue
            outcome.after[path] = result.data
            outcome.fixed.extend(result.fixed)
            files[number] = result.loaded
            changed = True
        if not changed:
            break
        outcome.report = analyse_groups(groups, registry, files, include_suppressed, cwd)
    for path in [p for p, data in outcome.after.items() if data == outcome.before.get(p)]:
        del outcome.after[path]
    outcome.files = files
    return outcome


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_fixes(outcome: FixOutcome, cwd: Path | None = None) -> dict[str, str]:
    """Write the fixed files; returns the ones left alone, each with why (changed on disk
    since hooklint read it, or not writable).  Those are dropped from ``outcome.after``."""
    cwd = cwd or Path.cwd()
    skipped: dict[str, str] = {}
    for path, data in outcome.after.items():
        target = cwd / path
        if _read(target) != outcome.before[path]:
            skipped[path] = "changed on disk while hooklint ran; not fixed"
            continue
        try:
            target.write_bytes(data)
        except OSError as exc:
            skipped[path] = f"cannot be written: {exc.strerror or exc}; not fixed"
    for path in skipped:
        del outcome.after[path]
    return skipped
