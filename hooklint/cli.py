"""The ``hooklint`` command line (typer): thin glue over config, engine and output."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, List, NoReturn, Optional

import typer

from hooklint import __version__

if TYPE_CHECKING:
    from hooklint.config import Config

if TYPE_CHECKING:
    from hooklint.engine import Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SCOPES = ("dir", "all", "file")

app = typer.Typer(
    name="hooklint",
    help="Lint Kubernetes manifests for Argo CD hook and sync-wave mistakes.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class UsageProblem(Exception):
    """Bad input from the user: reported in one line, exit 2."""


def fail(message: str) -> NoReturn:
    from hooklint.printable import printable

    sys.stderr.write(f"hooklint: error: {printable(message)}\n")
    raise typer.Exit(EXIT_ERROR)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"hooklint {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Lint Kubernetes manifests for Argo CD hook and sync-wave mistakes."""


def split_list(values: Optional[List[str]]) -> tuple[str, ...]:
    """``--select HL1,HL201 --select HL301`` -> ('HL1', 'HL201', 'HL301')."""
    out: list[str] = []
    for value in values or ():
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


@dataclass(frozen=True)
class OutputOptions:
    color: bool
    quiet: bool
    statistics: bool
    sarif_category: Optional[str] = None


def use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def resolve_settings(
    config: Path | None,
    isolated: bool,
    *,
    fail_on: str | None = None,
    argocd_version: str | None = None,
    scope: str | None = None,
    namespace: str | None = None,
) -> Config:
    """The config file's settings with the command line's overrides on top.

    Raises ConfigError for an invalid file; exits 2 for an invalid option value.
    """
    from dataclasses import replace

    from hooklint.config import Config, find_config, load_config
    from hooklint.model import Severity
    from hooklint.version import ArgoVersion

    settings = Config()
    if not isolated:
        if config is not None and not config.is_file():
            fail(f"config file {config} does not exist")
        path = config if config is not None else find_config(Path.cwd())
        settings = load_config(path) if path is not None else Config()
    if fail_on is not None:
        try:
            settings = replace(settings, fail_on=Severity.parse(fail_on))
        except ValueError as exc:
            fail(f"--fail-on: {exc}")
    if argocd_version is not None:
        try:
            settings = replace(settings, argocd_version=ArgoVersion.parse(argocd_version))
        except ValueError as exc:
            fail(f"--argocd-version: {exc}")
    if scope is not None:
        if scope not in SCOPES:
            fail(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
        settings = replace(settings, scope=scope)
    if namespace is not None:
        settings = replace(settings, namespace=namespace or None)
    return settings


def settings_context(settings: Config) -> tuple[str, ...]:
    """The config's ``context`` folders, relative to the config file's folder."""
    root = settings.root
    return tuple(str(root / c) if root else c for c in settings.context)


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Files, folders (searched for *.yaml, *.yml) or - for stdin. Default: ."
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", help="Output format: text, json, github (Actions annotations), sarif."
    ),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write the report to this file instead of stdout (any format)."
    ),
    sarif_category: Optional[str] = typer.Option(
        None,
        "--sarif-category",
        help="SARIF runAutomationDetails.id, so several uploads (charts, environments) live side by side.",
    ),
    select: Optional[List[str]] = typer.Option(
        None, "--select", help="Rules to enable (codes, prefixes, names, ALL; comma-separated)."
    ),
    ignore: Optional[List[str]] = typer.Option(
        None, "--ignore", help="Rules to disable (comma-separated); added to the config's."
    ),
    config: Optional[Path] = typer.Option(
        None, "--config", help="Config file to use instead of the nearest .hooklint.yaml."
    ),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every config file."),
    context: Optional[List[str]] = typer.Option(
        None,
        "--context",
        help="Folder or file read for whole-set rules only (no findings reported on it).",
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", help="Glob of files/folders to skip; added to the config's."
    ),
    force_exclude: bool = typer.Option(
        False, "--force-exclude", help="Apply exclude globs to files named on the command line too."
    ),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit code 1: error, warning, info."
    ),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print findings only: no summary or notes."),
    statistics: bool = typer.Option(False, "--statistics", help="Print counts per rule instead of findings."),
    stdin_filename: Optional[str] = typer.Option(
        None, "--stdin-filename", help="Name to show for input read from stdin."
    ),
    scope: Optional[str] = typer.Option(
        None,
        "--scope",
        help="What whole-set rules see as one app: dir (each folder; default), all, file.",
    ),
    argocd_version: Optional[str] = typer.Option(
        None, "--argocd-version", help="Argo CD version to model (e.g. 2.10, v3.4.1). Default: latest."
    ),
    max_file_size: float = typer.Option(
        50, "--max-file-size", help="Skip files larger than this many megabytes."
    ),
    include_suppressed: bool = typer.Option(
        False, "--include-suppressed", help="Also show suppressed findings, marked as such."
    ),
    namespace: Optional[str] = typer.Option(
        None, "--namespace", "-n", help="The Application's destination namespace, for objects that set none."
    ),
    jobs: Optional[int] = typer.Option(
        None,
        "--jobs",
        "-j",
        help="Parse files on this many processes (default: the number of CPUs; 1 disables).",
    ),
) -> None:
    """Lint manifests and report findings."""
    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, lint
    from hooklint.loader import InputError
    from hooklint.output import FORMATS, render
    from hooklint.parallel import default_jobs
    from hooklint.registry import RegistryError, SelectorError, load_registry
    from hooklint.spec import SpecError

    if output_format not in FORMATS:
        fail(f"unknown format {output_format!r}: use one of {', '.join(FORMATS)}")
    if sarif_category is not None and output_format != "sarif":
        fail("--sarif-category only applies to --format sarif")
    if sarif_category is not None and not sarif_category.strip():
        fail("--sarif-category must not be empty")
    if not 0 < max_file_size <= 1_000_000:  # NaN fails this too
        fail(f"--max-file-size must be a number of megabytes above 0, not {max_file_size}")
    if jobs is not None and jobs < 1:
        fail(f"--jobs must be 1 or more, not {jobs} (1 disables parallel parsing)")
    try:
        settings = resolve_settings(
            config, isolated, fail_on=fail_on, argocd_version=argocd_version, scope=scope, namespace=namespace
        )
        context_paths = split_list(context) + settings_context(settings)
        options = LintOptions(
            paths=tuple(paths or (".",)),
            context=context_paths,
            select=split_list(select) or None,
            ignore=split_list(ignore),
            exclude=split_list(exclude),
            force_exclude=force_exclude,
            stdin_filename=stdin_filename,
            max_file_size=int(max_file_size * 1024 * 1024),
            include_suppressed=include_suppressed,
            jobs=jobs if jobs is not None else default_jobs(),
        )
        registry = load_registry()
        report = lint(registry, settings, options)
    except (ConfigError, InputError, SelectorError, RegistryError, SpecError, ValueError) as exc:
        fail(str(exc))
    if output is None:
        render(
            output_format,
            report,
            sys.stdout,
            OutputOptions(use_color(sys.stdout), quiet, statistics, sarif_category),
        )
    else:
        write_report(output, output_format, report, OutputOptions(False, quiet, statistics, sarif_category))
    if not quiet:
        from hooklint.printable import printable

        for notice in report.notices:
            sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")
    sys.stdout.flush()
    failing = report.failing(settings.fail_on)
    raise typer.Exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def write_report(path: Path, output_format: str, report: Report, options: OutputOptions) -> None:
    """Render in memory, then write the file in one go (no half-written report on error)."""
    import io

    from hooklint.output import render

    buffer = io.StringIO()
    render(output_format, report, buffer, options)
    try:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(buffer.getvalue())
    except OSError as exc:
        fail(
            f"cannot write the report to {path}: {exc.strerror or exc}; "
            "check that the folder exists and is writable"
        )


@app.command("plan")
def plan_command(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Files, folders (searched for *.yaml, *.yml) or - for stdin. Default: ."
    ),
    output_format: str = typer.Option("text", "--format", "-f", help="Output format: text, mermaid, json."),
    config: Optional[Path] = typer.Option(
        None, "--config", help="Config file to use instead of the nearest .hooklint.yaml."
    ),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every config file."),
    context: Optional[List[str]] = typer.Option(
        None, "--context", help="More manifests of the same application (read, never planned alone)."
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", help="Glob of files/folders to skip; added to the config's."
    ),
    force_exclude: bool = typer.Option(
        False, "--force-exclude", help="Apply exclude globs to files named on the command line too."
    ),
    stdin_filename: Optional[str] = typer.Option(
        None, "--stdin-filename", help="Name to show for input read from stdin."
    ),
    scope: Optional[str] = typer.Option(
        None, "--scope", help="What is one application: dir (each folder; default), all, file."
    ),
    argocd_version: Optional[str] = typer.Option(
        None, "--argocd-version", help="Argo CD version to model (e.g. 2.10, v3.4.1). Default: latest."
    ),
    namespace: Optional[str] = typer.Option(
        None, "--namespace", "-n", help="The Application's destination namespace, for objects that set none."
    ),
    max_file_size: float = typer.Option(
        50, "--max-file-size", help="Skip files larger than this many megabytes."
    ),
) -> None:
    """Print the sync Argo CD will run: phases, waves, order, what it waits on."""

    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, load_all, manifest_groups
    from hooklint.loader import InputError
    from hooklint.manifests import ManifestSet
    from hooklint.planview import PLAN_FORMATS, build, render
    from hooklint.registry import RegistryError, load_registry
    from hooklint.spec import SpecError

    if output_format not in PLAN_FORMATS:
        fail(f"unknown format {output_format!r}: use one of {', '.join(PLAN_FORMATS)}")
    if scope is not None and scope not in SCOPES:
        fail(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    try:
        settings = resolve_settings(
            config, isolated, argocd_version=argocd_version, scope=scope, namespace=namespace
        )
        options = LintOptions(
            paths=tuple(paths or (".",)),
            context=split_list(context) + settings_context(settings),
            exclude=split_list(exclude),
            force_exclude=force_exclude,
            stdin_filename=stdin_filename,
            max_file_size=int(max_file_size * 1024 * 1024),
        )
        loaded, found_notices = load_all(options, settings)
        spec = load_registry().spec("wave-gated-on-unhealthy-prone-resource")
        kinds = spec.param_defaults().get("kinds", []) if spec else []
        rule_config = settings.rules.get("wave-gated-on-unhealthy-prone-resource")
        if rule_config is not None and "kinds" in rule_config.params:
            kinds = rule_config.params["kinds"]
    except (ConfigError, InputError, RegistryError, SpecError, ValueError) as exc:
        fail(str(exc))
    plans = [
        build(folder, ManifestSet(docs, settings.argocd_version, settings.namespace), kinds)
        for folder, docs in manifest_groups(loaded, settings.scope).items()
        if any(doc.is_target for doc in docs)
    ]
    render(output_format, plans, sys.stdout)
    sys.stdout.flush()
    if not plans:
        sys.stderr.write("hooklint: note: no Kubernetes objects found in the input; nothing to plan\n")
    from hooklint.printable import printable

    for notice in found_notices:
        sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")
    for file in loaded:
        if not file.is_target:
            continue
        for notice in file.notices:
            sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")
        for problem in file.problems:
            line, column = (problem.mark >> 24) + 1, (problem.mark & 0xFFFFFF) + 1
            sys.stderr.write(
                f"{printable(file.source.path)}:{line}:{column}: note: {printable(problem.message)}; "
                "what could not be read is missing from the plan\n"
            )
    raise typer.Exit(EXIT_OK)


@app.command("rules")
def rules_command(
    show_all: bool = typer.Option(
        True, "--all/--default-only", help="List every rule, or only those on by default."
    ),
) -> None:
    """List the rules: code, name, severity, on by default, summary."""
    from hooklint.registry import load_registry

    registry = load_registry()
    specs = [s for s in registry.specs if show_all or s.default]
    width = max((len(s.name) for s in specs), default=4)
    sys.stdout.write(f"{'CODE':<6} {'NAME':<{width}} {'SEVERITY':<8} {'DEFAULT':<7} SUMMARY\n")
    for spec in specs:
        default = "yes" if spec.default else "no"
        sys.stdout.write(
            f"{spec.code:<6} {spec.name:<{width}} {spec.severity.value:<8} {default:<7} {spec.summary}\n"
        )


@app.command("rule")
def rule_command(
    code_or_name: str = typer.Argument(..., metavar="CODE|NAME", help="A rule code (HL101) or name."),
) -> None:
    """Print a rule's documentation."""
    from hooklint.registry import load_registry

    registry = load_registry()
    spec = registry.spec(code_or_name)
    if spec is None:
        fail(f"no rule {code_or_name!r}; 'hooklint rules' lists them")
    sys.stdout.write(f"# {spec.code} {spec.name}\n\n{spec.summary}.\n\n")
    sys.stdout.write(f"Severity: {spec.severity.value}. On by default: {'yes' if spec.default else 'no'}.\n")
    sys.stdout.write(f"Fix: {spec.remediation}\n\n{spec.body}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (used by the console script and tests)."""
    try:
        # plain `check` command lines skip typer's costly per-run parsing (see fastargs)
        from hooklint.fastargs import parse_check

        fast = parse_check(check, list(sys.argv[1:] if argv is None else argv))
        if fast is not None:
            check(**fast)
        else:
            app(args=argv, prog_name="hooklint")
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # typer exits with the command's code; usage errors exit 2
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_ERROR)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("hooklint: interrupted\n")
        return 130
    except Exception as exc:  # a genuine bug: one clear line, never a traceback
        if os.environ.get("HOOKLINT_DEBUG"):
            raise
        sys.stderr.write(
            f"hooklint: internal error: {type(exc).__name__}: {_printable(str(exc))}\n"
            "This is a bug in hooklint; please report it with the input that caused it "
            "(set HOOKLINT_DEBUG=1 to see the traceback).\n"
        )
        return EXIT_ERROR
    return EXIT_OK


def _printable(text: str) -> str:
    from hooklint.printable import printable

    return printable(text)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def entry() -> NoReturn:
    sys.exit(main())
