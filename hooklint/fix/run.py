"""The --fix / --diff loop: lint, fix what verifies, re-lint the fixed files, repeat."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from hooklint.config import Config
from hooklint.engine import ActiveRule, Report, analyse, merge_reports
from hooklint.fix import fixable_source
from hooklint.fix.fixers import FIXERS
from hooklint.fix.plan import fix_file
from hooklint.model import Finding
from hooklint.registry import Registry
from hooklint.sources.files import LoadedFile, Notice
from hooklint.values import dataclass, field

if TYPE_CHECKING:
    from hooklint.fix.rerender import Renderer, Shadows

#: Fixes that wait for another (they touch the same text) get this many more rounds.
MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    report: Report  # the findings that remain after the fixes
    before: dict[str, bytes] = field(default_factory=dict)  # display path -> bytes as read
    after: dict[str, bytes] = field(default_factory=dict)  # display path -> fixed bytes
    fixed: list[Finding] = field(default_factory=list)
    files: list[LoadedFile] = field(default_factory=list)  # the input as fixed
    #: what to change where, for findings of rendered sources no fix could be made for
    notes: list[Notice] = field(default_factory=list)


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
    renderers: Mapping[str, Renderer] | None = None,
    shadows: Shadows | None = None,
) -> FixOutcome:
    """Fix the loaded files in memory (nothing is written) and lint the result.

    With ``groups`` (files using different configs) each file is linted and fixed with
    its group's rules, config and params; ``rules`` and ``config`` are then unused.
    With ``renderers`` (group -> how that Helm chart or Kustomize folder renders) and
    ``shadows`` (where it is rendered again), findings of rendered sources are fixed in
    the repository files they map to (:mod:`hooklint.fix.mapped`, :mod:`hooklint.fix.rendered`).
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
            # a finding of a rendered source is judged against the files as fixed so far
            rendered = bool(renderers) and finding.code in FIXERS
            if finding.suppression is None and (finding.fix in allowed or rendered):
                wanted.setdefault(finding.path, []).append(finding)
        changed = False
        mapped: list[Finding] = []
        for path, findings in wanted.items():
            number = index.get(path)
            if number is None or not fixable_source(files[number].source):
                mapped += findings
                continue
            findings = [f for f in findings if f.fix in allowed]
            if not files[number].is_target or not findings:
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
        if mapped and renderers and shadows is not None:
            plain = {f.source.path for f in files if fixable_source(f.source)}
            done = _fix_rendered(
                outcome, files, mapped, renderers, shadows, plain, groups, registry, cwd, params_for, allowed
            )
            changed = done or changed
            index = {file.source.path: n for n, file in enumerate(files)}
        if not changed:
            break
        outcome.report = analyse_groups(groups, registry, files, include_suppressed, cwd)
    for path in [p for p, data in outcome.after.items() if data == outcome.before.get(p)]:
        del outcome.after[path]
    outcome.files = files
    if renderers:
        from hooklint.fix.rendered import unfixed_notes

        outcome.notes = unfixed_notes(outcome.report.findings, files, groups, params_for, allowed)
    return outcome


def _fix_rendered(
    outcome: FixOutcome,
    files: list[LoadedFile],
    findings: list[Finding],
    renderers: Mapping[str, Renderer],
    shadows: Shadows,
    plain: set[str],
    groups: Sequence[RuleGroup],
    registry: Registry,
    cwd: Path,
    params_for: Any,
    allowed: frozenset[str],
) -> bool:
    """One round of fixes for findings of rendered sources, source by source; ``files`` gets
    each fixed source's new render in place of its old one."""
    from hooklint.fix.rendered import changed_like, display_to_path, find_rendered_document, fix_group
    from hooklint.fix.text import SourceText

    by_group: dict[str, list[LoadedFile]] = {}
    for file in files:
        if file.group is not None and not fixable_source(file.source):
            by_group.setdefault(file.group, []).append(file)
    wanted: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.path in plain:
            continue  # a file also linted as it is: fixed as such, never through a render too
        for group, members in by_group.items():
            docs = [d for f in members for d in f.documents if d.qualified_ref == finding.object_ref]
            if docs and find_rendered_document(docs, finding) is not None:
                wanted.setdefault(group, []).append(finding)
                break

    def text_of(path: str) -> SourceText | None:
        if path in plain:
            return None
        data = outcome.after.get(path)
        if data is None:
            data = _read(cwd / path)
            if data is None:
                return None
        try:
            return SourceText(data)
        except UnicodeDecodeError:
            return None

    changed = False
    refreshed: set[str] = set()  # rendered again for another source's fix: its findings are stale
    for group, group_findings in wanted.items():
        renderer = renderers.get(group)
        if renderer is None or group in refreshed:
            continue

        def render(data: Mapping[str, bytes], renderer: Renderer = renderer) -> Sequence[LoadedFile] | None:
            edited = {display_to_path(cwd, p): b for p, b in {**outcome.after, **data}.items()}
            return renderer.render(edited, shadows)

        def relint(new: Sequence[LoadedFile]) -> Sequence[Finding]:
            return analyse_groups(groups, registry, new, False, cwd).findings

        def others(
            data: Mapping[str, bytes], allowed_changes: frozenset[Any], group: str = group
        ) -> dict[str, Sequence[LoadedFile]] | None:
            """The other sources reading an edited file, rendered again: none may break, and
            their objects may change only as the fixed ones do."""
            where = [display_to_path(cwd, p) for p in data]
            out: dict[str, Sequence[LoadedFile]] = {}
            for other, other_renderer in renderers.items():
                if other == group or other not in by_group or not any(other_renderer.reads(w) for w in where):
                    continue
                edited = {display_to_path(cwd, p): b for p, b in {**outcome.after, **data}.items()}
                new = other_renderer.render(edited, shadows)
                if new is None or any(f.problems for f in new):
                    return None
                old_docs = [d for f in by_group[other] for d in f.documents]
                new_docs = [
                    d for f in new if f.group == other and not fixable_source(f.source) for d in f.documents
                ]
                if not changed_like(old_docs, new_docs, allowed_changes):
                    return None
                out[other] = new
            return out

        result = fix_group(
            group, by_group[group], group_findings, params_for, allowed, text_of, render, relint, others
        )
        if result is None:
            continue
        for path, data in result.data.items():
            if path not in outcome.before:
                before = _read(cwd / path)
                if before is None:
                    continue
                outcome.before[path] = before
            outcome.after[path] = data
        outcome.fixed.extend(result.fixed)
        for other, rendered in result.others.items():
            _replace(files, by_group, other, rendered)
            refreshed.add(other)
        _replace(files, by_group, group, result.loaded)
        changed = True
    return changed


def _replace(
    files: list[LoadedFile], by_group: dict[str, list[LoadedFile]], group: str, rendered: Sequence[LoadedFile]
) -> None:
    """``files`` with the group's files replaced by its new render, in place."""
    old = {id(f) for f in by_group[group]}
    at = next(n for n, f in enumerate(files) if id(f) in old)
    new = [f for f in rendered if f.group == group and not fixable_source(f.source)]
    # the kustomization files read as documents (HL011), when the fix edited one
    more = {
        (f.group, f.source.path): f for f in rendered if f.group != group and not fixable_source(f.source)
    }
    rest = [more.get((f.group, f.source.path), f) for f in files if id(f) not in old]
    files[:] = [*rest[:at], *new, *rest[at:]]
    by_group[group] = new


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
