"""lint(): load -> run checks -> stamp -> suppress -> sort -> Report."""

from __future__ import annotations

import gc
import posixpath
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from hooklint.check import CheckContext, Violation
from hooklint.config import Config, ConfigError, RuleConfig
from hooklint.manifests import ManifestSet
from hooklint.model import Document, Finding, Position, RelatedLocation, Severity, SourceFile
from hooklint.registry import Registry
from hooklint.sources.files import (
    DEFAULT_MAX_FILE_SIZE,
    Excludes,
    InputFile,
    LoadedFile,
    Notice,
    discover,
    load_file,
)
from hooklint.spec import PARAM_TYPES, RuleSpec
from hooklint.suppress import annotation_reason, comment_reason
from hooklint.yaml.reader import ParseProblem

PARSE_ERROR = "HL000"


@dataclass(frozen=True)
class LintOptions:
    """One run's settings after the command line has been merged over the config."""

    paths: tuple[str, ...]
    context: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    stdin_filename: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include_suppressed: bool = False
    jobs: int = 1


@dataclass(frozen=True)
class ActiveRule:
    """A selected rule with its effective severity, params and per-rule excludes."""

    spec: RuleSpec
    severity: Severity
    params: dict[str, Any]
    exclude: tuple[str, ...]


@dataclass
class Report:
    findings: list[Finding]
    rules: list[ActiveRule]
    notices: list[Notice] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    suppressed: int = 0

    def failing(self, fail_on: Severity) -> bool:
        return any(f.suppression is None and f.severity.rank >= fail_on.rank for f in self.findings)


def active_rules(registry: Registry, config: Config, options: LintOptions) -> list[ActiveRule]:
    """Select rules and apply per-rule config; raises ConfigError/SelectorError on bad names."""
    select = options.select if options.select is not None else config.select
    specs = registry.select(select, (*config.ignore, *options.ignore))
    where = str(config.path) if config.path else "config"
    for name, settings in config.rules.items():
        spec = registry.spec(name)
        if spec is None or spec.name != name:
            raise ConfigError(f"{where}: rules.{name}: unknown rule name ('hooklint rules' lists them)")
        for pname, value in settings.params.items():
            param = spec.params.get(pname)
            if param is None:
                known = ", ".join(sorted(spec.params)) or "none"
                raise ConfigError(f"{where}: rules.{name}.params.{pname}: unknown param (known: {known})")
            expected = PARAM_TYPES[param.type]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(f"{where}: rules.{name}.params.{pname}: expected a {param.type}")
    out = []
    for spec in specs:
        rule_config: RuleConfig | None = config.rules.get(spec.name)
        params = spec.param_defaults()
        if rule_config:
            params.update(rule_config.params)
        out.append(
            ActiveRule(
                spec,
                (rule_config.severity if rule_config and rule_config.severity else spec.severity),
                params,
                rule_config.exclude if rule_config else (),
            )
        )
    return out


def load_inputs(
    items: Sequence[InputFile], max_size: int, jobs: int, stdin_bytes: bytes | None
) -> list[LoadedFile]:
    """Load every input, in order; on several processes when ``jobs`` > 1 and the input is big enough.

    The result is the same either way (see :mod:`hooklint.parallel`).
    """
    with gc_paused():
        if jobs > 1:
            from hooklint.parallel import load_parallel

            loaded = load_parallel(items, max_size, jobs, stdin_bytes)
            if loaded is not None:
                return loaded
        return [load_file(item, max_size, stdin_bytes) for item in items]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while building the documents.

    Parsing allocates millions of dicts, lists and tuples that all stay alive
    and form no cycles; the collector would scan them again and again (more
    than half the run time on a big tree) and find nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint(
    registry: Registry,
    config: Config,
    options: LintOptions,
    *,
    cwd: Path | None = None,
    stdin_bytes: bytes | None = None,
) -> Report:
    rules = active_rules(registry, config, options)
    cwd = cwd or Path.cwd()
    # Paused for the whole run: re-enabled between loading and analysis, the collector would
    # first walk every object just built (it saw them all as new), for nothing.
    with gc_paused():
        loaded, found_notices = load_all(options, config, cwd=cwd, stdin_bytes=stdin_bytes)
        report = analyse(rules, registry, config, loaded, options.include_suppressed, cwd)
    report.notices[:0] = found_notices
    return report


def load_all(
    options: LintOptions, config: Config, *, cwd: Path | None = None, stdin_bytes: bytes | None = None
) -> tuple[list[LoadedFile], list[Notice]]:
    """Discover and load the targets, then the ``--context`` files (raises InputError).

    Command-line excludes are relative to the working directory, the config's to
    the config file's folder.  Returns the loaded files and the notices found while
    discovering them (folders with nothing to lint, skipped symlinks).
    """
    cwd = cwd or Path.cwd()
    exclude = Excludes.of((cwd, options.exclude), (config.root, config.exclude))
    found_notices: list[Notice] = []
    items = list(
        discover(
            options.paths,
            exclude=exclude,
            force_exclude=options.force_exclude,
            stdin_filename=options.stdin_filename,
            cwd=cwd,
            notices=found_notices,
        )
    )
    targets = {item.display for item in items}
    context_items = [
        item
        for item in discover(
            options.context, exclude=exclude, is_target=False, cwd=cwd, notices=found_notices
        )
        if item.display not in targets
    ]
    if "-" in options.paths and stdin_bytes is None:
        stdin_bytes = sys.stdin.buffer.read(options.max_file_size + 1)  # bounded, like files
    loaded = load_inputs(items + context_items, options.max_file_size, options.jobs, stdin_bytes)
    return loaded, found_notices


def analyse(
    rules: Sequence[ActiveRule],
    registry: Registry,
    config: Config,
    loaded: Sequence[LoadedFile],
    include_suppressed: bool = False,
    cwd: Path | None = None,
) -> Report:
    """Run the rules over loaded files (targets and context) and build the Report."""
    cwd = cwd or Path.cwd()
    rule_root = config.root or cwd
    targets = {file.source.path for file in loaded if file.is_target}
    findings: list[Finding] = []
    checks = [(rule, registry.check_for(rule.spec)) for rule in rules if rule.spec.code != PARSE_ERROR]
    for documents in manifest_groups(loaded, config.scope).values():
        if not any(doc.is_target for doc in documents):
            continue
        manifests = ManifestSet(documents, config.argocd_version, config.namespace)
        for rule, check in checks:
            context = CheckContext(manifests, rule.spec, rule.params)
            excludes = Excludes.of((rule_root, rule.exclude))
            for violation in check.run(context):
                finding = _finding(rule, violation, excludes, cwd)
                if finding is not None:
                    findings.append(finding)
    parse_rule = next((r for r in rules if r.spec.code == PARSE_ERROR), None)
    notices: list[Notice] = []
    for file in loaded:
        if file.source.path not in targets:
            continue
        notices.extend(file.notices)
        if parse_rule is not None:
            findings.extend(_parse_finding(parse_rule, file.source, p) for p in file.problems)

    kept: list[Finding] = []
    suppressed = 0
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.suppression is not None:
            suppressed += 1
            if not include_suppressed:
                continue
        kept.append(finding)
    return Report(
        kept,
        list(rules),
        notices,
        files=len(targets),
        documents=sum(len(f.documents) for f in loaded if f.source.path in targets),
        suppressed=suppressed,
    )


def manifest_groups(loaded: Sequence[LoadedFile], scope: str) -> dict[str, list[Document]]:
    """Split the input into the manifest sets whole-set rules reason about.

    ``dir`` (the default): the files of one folder are one application, as an
    Argo CD Application's ``path`` usually is; stdin is one set.  ``all``:
    everything read is one set.  ``file``: each file alone.
    """
    groups: dict[str, list[Document]] = {}
    for file in loaded:
        if not file.documents:
            continue
        if scope == "all":
            key = ""
        elif scope == "file":
            key = file.source.path
        else:
            key = posixpath.dirname(file.source.path)
        groups.setdefault(key, []).extend(file.documents)
    return groups


def _finding(rule: ActiveRule, violation: Violation, excludes: Excludes, cwd: Path) -> Finding | None:
    """Stamp a violation; None when neither end is a target or the rule excludes the file."""
    doc = violation.doc
    if not doc.is_target and not any(r.doc.is_target for r in violation.related):
        return None
    if excludes.rules and excludes.matches(cwd / doc.file.path):
        return None
    position, end = doc.span(violation.path, key=violation.key)
    spec = rule.spec
    reason = annotation_reason(doc, spec.name) or comment_reason(
        doc.file, position.line, spec.code, spec.name
    )
    related = tuple(
        RelatedLocation(r.doc.file.path, r.doc.locate(r.path), r.message) for r in violation.related
    )
    return Finding(
        code=spec.code,
        name=spec.name,
        severity=rule.severity,
        message=violation.message,
        path=doc.file.path,
        position=position,
        object_ref=doc.qualified_ref,
        yaml_path=violation.path,
        related=related,
        suppression=reason,
        end=end,
    )


def _parse_finding(rule: ActiveRule, source: SourceFile, problem: ParseProblem) -> Finding:
    position = Position((problem.mark >> 24) + 1, (problem.mark & 0xFFFFFF) + 1)
    message = problem.message
    if problem.fatal:
        message += "; the rest of the file was not linted"
    return Finding(
        code=rule.spec.code,
        name=rule.spec.name,
        severity=rule.severity,
        message=message,
        path=source.path,
        position=position,
        suppression=comment_reason(source, position.line, rule.spec.code, rule.spec.name),
    )
