"""The body of ``hooklint check --fix / --diff / --fix-only / --add-ignore`` (typer-free)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from hooklint.config import Config, ConfigResolver
from hooklint.engine import LintOptions, Report, active_rules, files_by_config, gc_paused, load_all
from hooklint.fix import fixable_source
from hooklint.fix.diff import unified_diff
from hooklint.fix.ignore import add_ignores
from hooklint.fix.run import RuleGroup, allowed_fixes, analyse_groups, fix_loaded, write_fixes
from hooklint.model import Finding
from hooklint.output.printable import printable
from hooklint.registry import Registry
from hooklint.sources.files import LoadedFile, Notice
from hooklint.values import dataclass, replace

if TYPE_CHECKING:
    from hooklint.fix.rerender import Renderer, Shadows

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class FixModes:
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    fix_only: bool = False
    add_ignore: bool = False

    @property
    def active(self) -> bool:
        return self.fix or self.diff or self.fix_only or self.add_ignore


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _notes(notices: list[Notice], quiet: bool) -> None:
    if quiet:
        return
    for notice in notices:
        sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")


def rule_groups(
    registry: Registry, resolver: ConfigResolver, options: LintOptions, loaded: list[LoadedFile], cwd: Path
) -> list[RuleGroup]:
    """Each config the loaded files use, with its rules and files (as a plain run groups them)."""
    by_config = files_by_config(resolver, (file.source.path for file in loaded), cwd)
    if not by_config:  # nothing loaded: the selection and the config are still checked
        by_config = [(resolver.for_folder(cwd), frozenset())]
    several = len(by_config) > 1
    return [
        RuleGroup(active_rules(registry, each, options), each, paths if several or not paths else None)
        for each, paths in by_config
    ]


def run_fixes(
    registry: Registry,
    config: Config | ConfigResolver,
    options: LintOptions,
    modes: FixModes,
    quiet: bool,
    cwd: Path | None = None,
    diff_output: Path | None = None,
) -> Report | int:
    """Fix (or show or mark) what can be; the remaining findings for ``--fix``, else the exit code."""
    cwd = cwd or Path.cwd()
    resolver = config if isinstance(config, ConfigResolver) else ConfigResolver.fixed(config)
    # every file with its own nearest config, as in a plain run
    from hooklint.fix.rerender import Shadows

    with gc_paused(), Shadows() as shadows:
        renderers: dict[str, Renderer] = {}
        loaded, found = load_all(options, resolver, cwd=cwd, renderers=renderers)
        groups = rule_groups(registry, resolver, options, loaded, cwd)
        return _run(
            registry, options, modes, quiet, cwd, diff_output, loaded, found, groups, renderers, shadows
        )


def _run(  # the rest of run_fixes, with the shadow trees of re-renders alive
    registry: Registry,
    options: LintOptions,
    modes: FixModes,
    quiet: bool,
    cwd: Path,
    diff_output: Path | None,
    loaded: list[LoadedFile],
    found: list[Notice],
    groups: list[RuleGroup],
    renderers: dict[str, Renderer],
    shadows: Shadows,
) -> Report | int:
    if modes.add_ignore:
        report = analyse_groups(groups, registry, loaded, False, cwd)
        _notes([*found, *report.notices], quiet)
        plain = {f.source.path for f in loaded if fixable_source(f.source)}
        mapped = _mapped_ignores(report, plain, loaded, renderers, shadows, groups, registry, cwd)
        return _add_ignores(report, plain, cwd, quiet, mapped)
    outcome = fix_loaded(
        groups[0].rules,
        registry,
        groups[0].config,
        loaded,
        unsafe=modes.unsafe_fixes,
        include_suppressed=options.include_suppressed,
        cwd=cwd,
        groups=groups,
        renderers=renderers,
        shadows=shadows,
    )
    report = outcome.report
    report.notices[:0] = [*found, *outcome.notes]
    files = _plural(len(outcome.after), "file")
    fixed = _plural(len(outcome.fixed), "finding")
    if modes.diff:
        patch = b"".join(unified_diff(p, outcome.before[p], outcome.after[p]) for p in sorted(outcome.after))
        if diff_output is None:
            sys.stdout.buffer.write(patch)
            sys.stdout.flush()
        else:
            try:
                diff_output.write_bytes(patch)
            except OSError as exc:
                sys.stderr.write(
                    f"hooklint: error: cannot write the diff to {diff_output}: {exc.strerror or exc}\n"
                )
                return EXIT_ERROR
        _notes(report.notices, quiet)
        if not quiet:
            sys.stderr.write(f"Would fix {fixed} in {files}.\n" if outcome.after else "No fixes to apply.\n")
        return EXIT_FINDINGS if outcome.after else EXIT_OK
    skipped = write_fixes(outcome, cwd)
    for path, why in skipped.items():
        sys.stderr.write(f"{printable(path)}: note: {why}\n")
    if skipped:  # report those files as they are on disk
        as_read = {file.source.path: file for file in loaded if file.source.path in skipped}
        files_now = [as_read.get(file.source.path, file) for file in outcome.files]
        report = analyse_groups(groups, registry, files_now, options.include_suppressed, cwd)
        report.notices[:0] = found
        outcome.fixed = [f for f in outcome.fixed if f.path not in skipped]
    files = _plural(len(outcome.after), "file")
    fixed = _plural(len(outcome.fixed), "finding")
    if not quiet:
        sys.stderr.write(f"Fixed {fixed} in {files}.\n" if outcome.after else "No fixes applied.\n")
    if modes.fix_only:
        _notes(report.notices, quiet)
        return EXIT_OK
    # what is still marked could not be fixed (its fix did not read back): no more [*]
    allowed = allowed_fixes(modes.unsafe_fixes)
    report.findings = [replace(f, fix=None) if f.fix in allowed else f for f in report.findings]
    return report


def _mapped_ignores(
    report: Report,
    plain: set[str],
    loaded: list[LoadedFile],
    renderers: dict[str, Renderer],
    shadows: Shadows,
    groups: list[RuleGroup],
    registry: Registry,
    cwd: Path,
) -> dict[str, tuple[bytes, int]]:
    """Ignore comments for findings of rendered sources, in the files they map to, verified by
    rendering again (:func:`hooklint.fix.rendered.ignore_group`): display path -> (bytes, count)."""
    findings = [
        f for f in report.findings if f.suppression is None and f.path not in plain and f.code != "HL000"
    ]
    if not findings or not renderers:
        return {}
    from hooklint.fix.rendered import display_to_path, ignore_group
    from hooklint.fix.text import SourceText

    done: dict[str, tuple[bytes, int]] = {}

    def text_of(path: str) -> SourceText | None:
        if path in plain:
            return None
        try:
            return SourceText(done[path][0] if path in done else (cwd / path).read_bytes())
        except (OSError, UnicodeDecodeError):
            return None

    by_group: dict[str, list[LoadedFile]] = {}
    for file in loaded:
        if file.group is not None and not fixable_source(file.source):
            by_group.setdefault(file.group, []).append(file)
    for group, members in by_group.items():
        renderer = renderers.get(group)
        if renderer is None:
            continue

        def render(data: Mapping[str, bytes], renderer: Renderer = renderer) -> Sequence[LoadedFile] | None:
            edits = {p: b for p, (b, _) in done.items()} | dict(data)
            return renderer.render({display_to_path(cwd, p): b for p, b in edits.items()}, shadows)

        def relint(new: Sequence[LoadedFile]) -> Sequence[Finding]:
            return analyse_groups(groups, registry, new, True, cwd).findings

        result = ignore_group(group, members, findings, text_of, render, relint)
        if result is not None:
            for path, (new, count) in result.items():
                done[path] = (new, done.get(path, (b"", 0))[1] + count)
    return done


def _add_ignores(
    report: Report,
    plain: set[str],
    cwd: Path,
    quiet: bool,
    mapped: dict[str, tuple[bytes, int]] | None = None,
) -> int:
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.suppression is None:
            by_file.setdefault(finding.path, []).append(finding)
    added = files = 0
    for path, findings in sorted(by_file.items()):
        target = cwd / path
        if mapped and path in mapped:  # a file a chart or kustomization renders, verified
            try:
                target.write_bytes(mapped[path][0])
            except OSError as exc:
                sys.stderr.write(f"{printable(path)}: note: cannot be written: {exc.strerror or exc}\n")
                continue
            added += mapped[path][1]
            files += 1
            continue
        if path not in plain:
            if not quiet:
                sys.stderr.write(
                    f"{printable(path)}: note: not a file hooklint can edit; no ignore comments added\n"
                )
            continue
        try:
            data = target.read_bytes()
        except OSError:
            continue
        result = add_ignores(data, path, findings)
        if result is None:
            if any(f.code != "HL000" for f in findings) and not quiet:
                sys.stderr.write(
                    f"{printable(path)}: note: no ignore comments added (the file does not read cleanly, "
                    "or a comment would change what it says)\n"
                )
            continue
        new, count = result
        try:
            target.write_bytes(new)
        except OSError as exc:
            sys.stderr.write(f"{printable(path)}: note: cannot be written: {exc.strerror or exc}\n")
            continue
        added += count
        files += 1
    if not quiet:
        sys.stderr.write(f"Added {_plural(added, 'ignore comment')} in {_plural(files, 'file')}.\n")
    return EXIT_OK
