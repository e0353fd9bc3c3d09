"""``check --show-settings`` and ``check --show-files``: which config and which files a run uses."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from hooklint.config import Config, ConfigResolver
from hooklint.engine import LintOptions, active_rules, config_context, rule_settings
from hooklint.output.printable import printable
from hooklint.registry import Registry
from hooklint.sources.detect import SourceInput
from hooklint.sources.files import STDIN, discover


def _config_name(config: Config) -> str:
    return printable(str(config.path)) if config.path else "(none: defaults)"


def _listed(values: tuple[str, ...] | None) -> str:
    if values is None:
        return "(default)"
    return "[" + ", ".join(printable(v) for v in values) + "]"


def show_settings(registry: Registry, resolver: ConfigResolver, options: LintOptions, out: TextIO) -> None:
    """The config file the first path uses and the settings it resolves to, command line included."""
    first = options.paths[0] if options.paths else "."
    if first == STDIN:
        first = options.stdin_filename or "<stdin>"
    path = Path(first)
    config = resolver.for_folder(path if path.is_dir() else (path.parent if str(path.parent) else Path(".")))
    rules = active_rules(registry, config, options)
    lines = [
        f"path: {printable(first)}",
        f"config: {_config_name(config)}",
        f"select: {_listed(options.select if options.select is not None else config.select)}",
        f"ignore: {_listed((*config.ignore, *options.ignore))}",
        f"exclude: {_listed((*config.exclude, *options.exclude))}",
        f"context: {_listed((*options.context, *config_context(config)))}",
        f"fail-on: {config.fail_on.value}",
        f"argocd-version: {config.argocd_version}",
        f"scope: {config.scope}",
        f"namespace: {printable(config.namespace) if config.namespace else '(none)'}",
        f"enabled rules ({len(rules)}):",
    ]
    for rule in rules:
        extra = ""
        if rule.severity is not rule.spec.severity:
            extra += f" (severity {rule.severity.value})"
        if rule.exclude:
            extra += f" exclude {_listed(rule.exclude)}"
        lines.append(f"  {rule.spec.code} {rule.spec.name} [{rule.severity.value}]{extra}")
    configured = rule_settings(registry, config)
    for name, settings in configured.items():
        if settings.params:
            lines.append(f"  params of {name}: {settings.params!r}")
    out.write("\n".join(lines) + "\n")


def show_files(resolver: ConfigResolver, options: LintOptions, out: TextIO) -> None:
    """Each file the run would lint, one a line, with its source type and the config it uses.

    Plain files are ``manifest``; the files of a Helm chart (its manifest templates and
    ``crds/``, or only the ones named, as pre-commit names them) are ``helm (<chart name>)``.
    """
    cwd = Path.cwd()
    sources: list[SourceInput] = []
    items = list(
        discover(
            options.paths,
            exclude=resolver.excludes(cwd, options.exclude),
            force_exclude=options.force_exclude,
            skip_unknown=options.skip_unknown_files,
            stdin_filename=options.stdin_filename,
            cwd=cwd,
            sources=sources,
        )
    )
    for item in items:
        out.write(_line(resolver, cwd, item.display, "manifest"))
    if sources:
        from hooklint.sources.helm.source import chart_files

        for place in sources:
            name, files = chart_files(place)
            for display in files:
                out.write(_line(resolver, cwd, display, f"helm ({name})"))


def _line(resolver: ConfigResolver, cwd: Path, display: str, kind: str) -> str:
    config = resolver.for_file(cwd / display)
    shown = _config_name(config)
    if config.path is not None:
        shown = printable(_relative(config.path, cwd))
    return f"{printable(display)}\t{printable(kind)}\tconfig: {shown}\n"


def _relative(path: Path, cwd: Path) -> str:
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:
        return path.as_posix()
