"""The commands' work, free of typer, so a plain ``hooklint check`` starts fast.

``hooklint.cli.app`` declares the command line with typer and calls into here; the
launcher (``hooklint.cli.launch``) calls ``run_check`` directly for plain ``check``
command lines, without importing typer at all.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, NoReturn, Optional

if TYPE_CHECKING:
    from hooklint.config import Config
    from hooklint.engine import Report
    from hooklint.sources.helm.settings import HelmOptions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SCOPES = ("dir", "all", "file")


class CommandExit(Exception):
    """Ends a command with an exit code (what was to say is already written)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def fail(message: str) -> NoReturn:
    """Report a usage, config or input error in one line and exit 2."""
    from hooklint.output.printable import printable

    sys.stderr.write(f"hooklint: error: {printable(message)}\n")
    raise CommandExit(EXIT_ERROR)


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

    from hooklint.argocd.version import ArgoVersion
    from hooklint.config import Config, find_config, load_config
    from hooklint.model import Severity

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


def run_check(
    paths: Optional[List[str]] = None,
    output_format: str = "text",
    output: Optional[Path] = None,
    sarif_category: Optional[str] = None,
    select: Optional[List[str]] = None,
    ignore: Optional[List[str]] = None,
    config: Optional[Path] = None,
    isolated: bool = False,
    context: Optional[List[str]] = None,
    exclude: Optional[List[str]] = None,
    force_exclude: bool = False,
    fail_on: Optional[str] = None,
    exit_zero: bool = False,
    quiet: bool = False,
    statistics: bool = False,
    stdin_filename: Optional[str] = None,
    scope: Optional[str] = None,
    argocd_version: Optional[str] = None,
    max_file_size: float = 50,
    include_suppressed: bool = False,
    namespace: Optional[str] = None,
    jobs: Optional[int] = None,
    helm: Optional[str] = None,
    no_render: bool = False,
    values: Optional[List[str]] = None,
    set_values: Optional[List[str]] = None,
    kube_version: Optional[str] = None,
    api_versions: Optional[List[str]] = None,
    render_timeout: Optional[float] = None,
    no_cache: bool = False,
) -> int:
    """``hooklint check``: lint, report, and return the exit code."""
    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, lint
    from hooklint.output import FORMATS, render
    from hooklint.parallel import default_jobs
    from hooklint.registry import RegistryError, SelectorError, load_registry
    from hooklint.sources.files import InputError
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
            helm=helm_options(
                helm, no_render, values, set_values, kube_version, api_versions, render_timeout,
                no_cache, namespace,
            ),
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
        from hooklint.output.printable import printable

        for notice in report.notices:
            sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")
    sys.stdout.flush()
    failing = report.failing(settings.fail_on)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_OK


def helm_options(
    helm: Optional[str],
    no_render: bool,
    values: Optional[List[str]],
    set_values: Optional[List[str]],
    kube_version: Optional[str],
    api_versions: Optional[List[str]],
    render_timeout: Optional[float],
    no_cache: bool,
    namespace: Optional[str],
) -> HelmOptions:
    """The Helm options of ``check`` (exits 2 on a bad value)."""
    from hooklint.sources.helm.settings import HelmOptions

    if render_timeout is not None and not 0 < render_timeout <= 86400:
        fail(f"--render-timeout must be a number of seconds above 0, not {render_timeout}")
    for item in set_values or ():
        if "=" not in item:
            fail(f"--set {item}: expected KEY=VALUE")
    for name in values or ():
        if "://" in name:
            fail(f"--values {name}: only local files (hooklint never fetches anything)")
    return HelmOptions(
        binary=helm or None,
        render=not no_render,
        values=tuple(values or ()),
        set=tuple(set_values or ()),
        kube_version=kube_version or None,
        api_versions=split_list(api_versions),
        namespace=namespace or None,
        timeout=render_timeout,
        cache=not no_cache,
    )


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


def guarded(command: Callable[[], int]) -> int:
    """Run a command; every way it can end becomes an exit code, never a traceback."""
    try:
        return command()
    except CommandExit as exc:
        return exc.code
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
        from hooklint.output.printable import printable

        sys.stderr.write(
            f"hooklint: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "This is a bug in hooklint; please report it with the input that caused it "
            "(set HOOKLINT_DEBUG=1 to see the traceback).\n"
        )
        return EXIT_ERROR


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
