"""The commands' work, free of typer, so a plain ``hooklint check`` starts fast.

``hooklint.cli.app`` declares the command line with typer and calls into here; the
launcher (``hooklint.cli.launch``) calls ``run_check`` directly for plain ``check``
command lines, without importing typer at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hooklint.values import dataclass, replace

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Callable, List, NoReturn, Optional

    from hooklint.config import Config, ConfigResolver
    from hooklint.engine import LintOptions, Report
    from hooklint.registry import Registry
    from hooklint.sources.helmconfig import HelmOptions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SCOPES = ("app", "dir", "all", "file")


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
    #: display path -> text, for inputs that cannot be read again (stdin), for ``full``
    sources: Optional[dict[str, str]] = None
    unsafe_fixes: bool = False


COLOR_CHOICES = ("auto", "always", "never")
#: formats that can print --statistics (the others carry findings only)
STATISTICS_FORMATS = ("text", "full", "json")


def use_color(stream: object, choice: str = "auto") -> bool:
    """``--color``: always, never, or auto (NO_COLOR off, FORCE_COLOR on, else a terminal)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_resolver(
    config: Path | None,
    isolated: bool,
    *,
    fail_on: str | None = None,
    argocd_version: str | None = None,
    scope: str | None = None,
    namespace: str | None = None,
) -> ConfigResolver:
    """Which config each file uses (see ConfigResolver), with the command line's overrides on top.

    Raises ConfigError for an invalid ``--config`` file; exits 2 for an invalid option value.
    """

    from hooklint.argocd.version import ArgoVersion
    from hooklint.config import Config, ConfigResolver, load_config
    from hooklint.model import Severity

    overrides: dict[str, object] = {}
    if fail_on is not None:
        try:
            overrides["fail_on"] = Severity.parse(fail_on)
        except ValueError as exc:
            fail(f"--fail-on: {exc}")
    if argocd_version is not None:
        try:
            overrides["argocd_version"] = ArgoVersion.parse(argocd_version)
        except ValueError as exc:
            fail(f"--argocd-version: {exc}")
    if scope is not None:
        if scope not in SCOPES:
            fail(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
        overrides["scope"] = scope
    if namespace is not None:
        overrides["namespace"] = namespace or None

    def adjust(settings: Config) -> Config:
        return replace(settings, **overrides) if overrides else settings  # type: ignore[arg-type]

    forced: Config | None = None
    if isolated:
        forced = Config()
    elif config is not None:
        if not config.is_file():
            fail(f"config file {config} does not exist")
        forced = load_config(config)
    return ConfigResolver(forced, adjust=adjust)


def resolve_settings(
    config: Path | None,
    isolated: bool,
    *,
    fail_on: str | None = None,
    argocd_version: str | None = None,
    scope: str | None = None,
    namespace: str | None = None,
    start: Path | None = None,
) -> Config:
    """The settings for files in ``start`` (default: the working directory)."""
    resolver = make_resolver(
        config, isolated, fail_on=fail_on, argocd_version=argocd_version, scope=scope, namespace=namespace
    )
    return resolver.for_folder(start or Path.cwd())


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
    skip_unknown_files: bool = False,
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
    color: str = "auto",
    fail_if_no_objects: bool = False,
    show_settings: bool = False,
    show_files: bool = False,
    fix: bool = False,
    diff: bool = False,
    unsafe_fixes: bool = False,
    fix_only: bool = False,
    add_ignore: bool = False,
    baseline: Optional[Path] = None,
    write_baseline: Optional[Path] = None,
    helm: Optional[str] = None,
    no_render: bool = False,
    values: Optional[List[str]] = None,
    set_values: Optional[List[str]] = None,
    kube_version: Optional[str] = None,
    api_versions: Optional[List[str]] = None,
    render_timeout: Optional[float] = None,
    no_cache: bool = False,
    kustomize: str | None = None,
    kustomize_build_options: str | None = None,
    verbose: bool = False,
    repo: Optional[List[str]] = None,
) -> int:
    """``hooklint check``: lint, report, and return the exit code."""
    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, lint
    from hooklint.output import FORMATS
    from hooklint.parallel import default_jobs, default_parse_jobs
    from hooklint.registry import RegistryError, SelectorError, load_registry
    from hooklint.sources.files import InputError
    from hooklint.spec import SpecError

    if output_format not in FORMATS:
        fail(f"unknown output format {output_format!r}: use one of {', '.join(FORMATS)}")
    if sarif_category is not None and output_format != "sarif":
        fail("--sarif-category only applies to --output-format sarif")
    if sarif_category is not None and not sarif_category.strip():
        fail("--sarif-category must not be empty")
    if statistics and output_format not in STATISTICS_FORMATS:
        fail(
            f"--statistics cannot be written as {output_format}: "
            f"use --output-format {', '.join(STATISTICS_FORMATS)}"
        )
    if color not in COLOR_CHOICES:
        fail(f"unknown --color {color!r}: use one of {', '.join(COLOR_CHOICES)}")
    if not 0 < max_file_size <= 1_000_000:  # NaN fails this too
        fail(f"--max-file-size must be a number of megabytes above 0, not {max_file_size}")
    if jobs is not None and jobs < 1:
        fail(f"--jobs must be 1 or more, not {jobs} (1 disables parallel parsing)")
    if show_settings and show_files:
        fail("--show-settings and --show-files cannot be combined")
    try:
        resolver = make_resolver(
            config, isolated, fail_on=fail_on, argocd_version=argocd_version, scope=scope, namespace=namespace
        )
        options = LintOptions(
            paths=tuple(paths or (".",)),
            context=split_list(context),
            select=split_list(select) or None,
            ignore=split_list(ignore),
            exclude=split_list(exclude),
            force_exclude=force_exclude,
            skip_unknown_files=skip_unknown_files,
            stdin_filename=stdin_filename,
            max_file_size=int(max_file_size * 1024 * 1024),
            include_suppressed=include_suppressed,
            jobs=jobs if jobs is not None else default_jobs(),
            parse_jobs=None if jobs is not None else default_parse_jobs(),
            helm=helm_options(
                helm, no_render, values, set_values, kube_version, api_versions, render_timeout,
                no_cache, namespace,
            ),
            kustomize=kustomize,
            kustomize_build_options=kustomize_build_options,
            verbose=verbose or statistics,
            repos=tuple(repo or ()),
            cache=not no_cache,
        )
        registry = load_registry()
        if show_settings or show_files:
            from hooklint.cli import show

            if show_settings:
                show.show_settings(registry, resolver, options, sys.stdout)
            else:
                show.show_files(resolver, options, sys.stdout)
            return EXIT_OK
        fixed = run_fix_modes(
            registry, resolver, options, fix, diff, unsafe_fixes, fix_only, add_ignore, quiet, output
        )
        if isinstance(fixed, int):
            return fixed
        stdin_bytes = None
        if fixed is not None:
            report = fixed
        else:
            if "-" in options.paths:
                stdin_bytes = sys.stdin.buffer.read(options.max_file_size + 1)  # bounded, like files
            report = lint(registry, resolver, options, stdin_bytes=stdin_bytes)
        if baseline is not None or write_baseline is not None:
            from hooklint.baseline import BaselineError, apply_baseline
            from hooklint.baseline import write_baseline as save_baseline

            try:
                if write_baseline is not None:  # every current finding, whatever --baseline says
                    count = save_baseline(report, write_baseline)
                    if not quiet:
                        sys.stderr.write(
                            f"hooklint: wrote {count} findings to the baseline {write_baseline}\n"
                        )
                    return EXIT_OK
                if baseline is not None:
                    report = apply_baseline(report, baseline, include_suppressed)
            except BaselineError as exc:
                fail(str(exc))
    except (ConfigError, InputError, SelectorError, RegistryError, SpecError, ValueError) as exc:
        fail(str(exc))
    sources = None
    if stdin_bytes is not None and output_format == "full":
        sources = {stdin_filename or "<stdin>": stdin_bytes.decode("utf-8", "replace")}
    render_options = OutputOptions(
        use_color(sys.stdout, color) if output is None else color == "always",
        quiet,
        statistics,
        sarif_category,
        sources,
        unsafe_fixes,
    )
    failing = any(
        f.suppression is None and f.severity.rank >= resolver.for_file(Path.cwd() / f.path).fail_on.rank
        for f in report.findings
    )
    code = EXIT_FINDINGS if failing and not exit_zero else EXIT_OK
    try:
        report_out(report, output_format, output, render_options)
    except BrokenPipeError:  # `| head`: the reader left; the exit code still says what was found
        _silence_stdout()
        return code or _empty_run_code(report, fail_if_no_objects)
    if not quiet:
        from hooklint.output.printable import printable

        for notice in report.notices:
            sys.stderr.write(f"{printable(notice.path)}: note: {printable(notice.message)}\n")
    if report.documents == 0:
        # Files named one by one (pre-commit's staged files) may hold no object: a values
        # file is no mistake.  Stdin (a render) or a folder holding none is worth a warning.
        rendered_or_tree = any(p == "-" or Path(p).is_dir() for p in options.paths)
        if (rendered_or_tree and not quiet) or fail_if_no_objects:
            sys.stderr.write(f"hooklint: warning: {no_objects_message(report, stdin_bytes)}\n")
        if fail_if_no_objects:
            return EXIT_FINDINGS
    return code


def _empty_run_code(report: Report, fail_if_no_objects: bool) -> int:
    return EXIT_FINDINGS if fail_if_no_objects and report.documents == 0 else EXIT_OK


def no_objects_message(report: Report, stdin_bytes: bytes | None) -> str:
    """What the warning for a run without a single Kubernetes object says."""
    if stdin_bytes is not None and not stdin_bytes.strip():
        where = "stdin was empty (did the command before the pipe fail?)"
    elif stdin_bytes is not None and report.files == 1:
        where = "no Kubernetes object (apiVersion and kind) on stdin"
    elif report.files:
        files = f"{report.files} file{'s' if report.files != 1 else ''}"
        where = f"no Kubernetes object (apiVersion and kind) in {files}"
    else:
        where = "no file to lint"
    return f"{where}; nothing was linted (--fail-if-no-objects makes this exit 1)"


def report_out(report: Report, output_format: str, output: Path | None, options: OutputOptions) -> None:
    """Render to stdout, or to ``output`` with one line on stderr saying so (unless quiet)."""
    from hooklint.output import render

    if output is None:
        render(output_format, report, sys.stdout, options)
        sys.stdout.flush()
        return
    write_report(output, output_format, report, options)
    if not options.quiet:
        from hooklint.output.printable import printable

        sys.stderr.write(f"hooklint: wrote the {output_format} report to {printable(str(output))}\n")


def run_fix_modes(
    registry: Registry,
    settings: Config | ConfigResolver,
    options: LintOptions,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    fix_only: bool,
    add_ignore: bool,
    quiet: bool,
    output: Optional[Path] = None,
) -> Report | int | None:
    """--fix, --diff, --fix-only, --add-ignore (hooklint.fix): the report left after fixing,
    an exit code when the mode prints its own output, or None for a plain run."""
    if add_ignore and (fix or diff or fix_only):
        fail("--add-ignore cannot be combined with --fix, --diff or --fix-only")
    if not (fix or diff or fix_only or add_ignore):
        return None
    if output is not None and not diff and (fix_only or add_ignore):
        fail("--output names the report's file, and --fix-only and --add-ignore write no report")
    from hooklint.fix.command import FixModes, run_fixes

    modes = FixModes(fix, diff, unsafe_fixes, fix_only, add_ignore)
    return run_fixes(registry, settings, options, modes, quiet, diff_output=output if diff else None)


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
    from hooklint.sources.helmconfig import HelmOptions

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
    except BrokenPipeError:  # the run's own code is returned where it is known (run_check)
        _silence_stdout()
        return EXIT_FINDINGS
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
