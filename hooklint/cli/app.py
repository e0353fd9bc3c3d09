"""The ``hooklint`` command line (typer): thin glue over config, engine and output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, NoReturn, Optional

import typer

from hooklint import __version__
from hooklint.cli.commands import (
    COLOR_CHOICES,
    EXIT_OK,
    SCOPES,
    fail,
    guarded,
    make_resolver,
    run_check,
    split_list,
)

#: ``check --output-format`` values, for shell completion (hooklint.output.FORMATS decides)
CHECK_FORMATS = ("text", "full", "json", "github", "sarif", "gitlab", "junit")

app = typer.Typer(
    name="hooklint",
    help="Lint Kubernetes manifests for Argo CD hook and sync-wave mistakes.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Files, folders (searched for *.yaml, *.yml) or - for stdin. Default: ."
    ),
    output_format: str = typer.Option(
        "text",
        "--output-format",
        "--format",
        "-f",
        metavar="FORMAT",
        autocompletion=lambda: list(CHECK_FORMATS),
        help="Output format: text (one line a finding), full (with the source and the fix), json, "
        "github (Actions annotations), sarif, gitlab (Code Quality), junit.",
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
    skip_unknown_files: bool = typer.Option(
        False,
        "--skip-unknown-files",
        help="Skip named files that are neither *.yaml/*.yml nor in a Helm chart (the pre-commit hook).",
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
        help="What whole-set rules see as one app: app (each Argo CD Application; default), dir, all, file.",
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
        help="Lint big trees on this many processes (default: the number of CPUs; 1 disables).",
    ),
    color: str = typer.Option(
        "auto",
        "--color",
        metavar="WHEN",
        autocompletion=lambda: list(COLOR_CHOICES),
        help="Colour text output: auto (a terminal; NO_COLOR, FORCE_COLOR), always, never.",
    ),
    fail_if_no_objects: bool = typer.Option(
        False, "--fail-if-no-objects", help="Exit 1 when the input holds no Kubernetes object."
    ),
    show_settings: bool = typer.Option(
        False, "--show-settings", help="Print the config file and settings the first path uses, and exit."
    ),
    show_files: bool = typer.Option(
        False, "--show-files", help="Print the files that would be linted, with their config, and exit."
    ),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes in place, then report what remains."),
    diff: bool = typer.Option(
        False, "--diff", help="Print a diff of what --fix would change; change nothing (exit 1 if any)."
    ),
    unsafe_fixes: bool = typer.Option(
        False, "--unsafe-fixes", help="Also apply (or show) fixes that change behaviour beyond the finding."
    ),
    fix_only: bool = typer.Option(False, "--fix-only", help="Apply fixes and report nothing else (exit 0)."),
    add_ignore: bool = typer.Option(
        False, "--add-ignore", help="Add a '# hooklint: ignore[CODE]' comment for every current finding."
    ),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="Treat the findings listed in this JSON baseline as suppressed."
    ),
    write_baseline: Optional[Path] = typer.Option(
        None, "--write-baseline", help="Write the current findings to this JSON baseline and exit 0."
    ),
    # -- Helm (hooklint/sources/helm) --
    helm: Optional[str] = typer.Option(None, "--helm", help="The helm binary (default: helm on PATH)."),
    no_render: bool = typer.Option(
        False, "--no-render", help="Lint Helm templates without rendering them."
    ),
    values: Optional[List[str]] = typer.Option(
        None, "--values", help="Values file for every chart (helm --values); repeatable."
    ),
    set_values: Optional[List[str]] = typer.Option(
        None, "--set", help="KEY=VALUE for every chart (helm --set); repeatable."
    ),
    kube_version: Optional[str] = typer.Option(
        None, "--kube-version", help="Kubernetes version charts see (helm --kube-version)."
    ),
    api_versions: Optional[List[str]] = typer.Option(
        None, "--api-versions", help="API version charts see as available (helm --api-versions); repeatable."
    ),
    render_timeout: Optional[float] = typer.Option(
        None, "--render-timeout", help="Seconds a chart render may take before it is killed (default 60)."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read and write no cache: parse every file and render every chart again."
    ),
    # -- Kustomize (hooklint/sources/kustomize*) --
    kustomize: Optional[str] = typer.Option(
        None, "--kustomize", help="The kustomize or kubectl binary (default: kustomize, else kubectl)."
    ),
    kustomize_build_options: Optional[str] = typer.Option(
        None,
        "--kustomize-build-options",
        help="Options for every kustomize build, as Argo CD's kustomize.buildOptions (e.g. --enable-helm).",
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Also show notes only worth knowing (files no kustomization uses)."
    ),
    repo: Optional[List[str]] = typer.Option(
        None, "--repo", help="URL=DIR: a repository Applications point at is checked out in DIR; repeatable."
    ),
) -> None:
    """Lint manifests and report findings."""
    raise typer.Exit(run_check(**locals()))


@app.command("plan")
def plan_command(
    paths: Optional[List[str]] = typer.Argument(
        None, help="Files, folders (searched for *.yaml, *.yml) or - for stdin. Default: ."
    ),
    output_format: str = typer.Option(
        "text", "--output-format", "--format", "-f", help="Output format: text, mermaid, json."
    ),
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
        None, "--scope", help="What is one app: app (each Argo CD Application; default), dir, all, file."
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
    kustomize: Optional[str] = typer.Option(
        None, "--kustomize", help="The kustomize or kubectl binary (default: kustomize, else kubectl)."
    ),
    kustomize_build_options: Optional[str] = typer.Option(
        None,
        "--kustomize-build-options",
        help="Options for every kustomize build, as Argo CD's kustomize.buildOptions (e.g. --enable-helm).",
    ),
    repo: Optional[List[str]] = typer.Option(
        None, "--repo", help="URL=DIR: a repository Applications point at is checked out in DIR; repeatable."
    ),
) -> None:
    """Print the sync Argo CD will run: phases, waves, order, what it waits on."""

    from hooklint.config import ConfigError
    from hooklint.engine import LintOptions, app_sets, load_all, manifest_groups, rule_settings
    from hooklint.manifests import ManifestSet
    from hooklint.planview import PLAN_FORMATS, build, render
    from hooklint.registry import RegistryError, load_registry
    from hooklint.sources.detect import KUSTOMIZATION_GROUP
    from hooklint.sources.files import InputError
    from hooklint.spec import SpecError

    if output_format not in PLAN_FORMATS:
        fail(f"unknown format {output_format!r}: use one of {', '.join(PLAN_FORMATS)}")
    if scope is not None and scope not in SCOPES:
        fail(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    try:
        resolver = make_resolver(
            config, isolated, argocd_version=argocd_version, scope=scope, namespace=namespace
        )
        first = Path((paths or ["."])[0] if (paths or ["."])[0] != "-" else (stdin_filename or "-"))
        settings = resolver.for_folder(first if first.is_dir() else first.parent)
        options = LintOptions(
            paths=tuple(paths or (".",)),
            context=split_list(context),
            exclude=split_list(exclude),
            force_exclude=force_exclude,
            stdin_filename=stdin_filename,
            max_file_size=int(max_file_size * 1024 * 1024),
            kustomize=kustomize,
            kustomize_build_options=kustomize_build_options,
            repos=tuple(repo or ()),
        )
        loaded, found_notices = load_all(options, resolver)
        cwd = Path.cwd()
        apps = app_sets(loaded, options, resolver, cwd, found_notices) if settings.scope == "app" else []
        registry = load_registry()
        spec = registry.spec("wave-gated-on-unhealthy-prone-resource")
        kinds = spec.param_defaults().get("kinds", []) if spec else []
        rule_config = rule_settings(registry, settings).get("wave-gated-on-unhealthy-prone-resource")
        if rule_config is not None and "kinds" in rule_config.params:
            kinds = rule_config.params["kinds"]
    except (ConfigError, InputError, RegistryError, SpecError, ValueError) as exc:
        fail(str(exc))
    stdin_name = (stdin_filename or "<stdin>") if "-" in options.paths else None

    by_key = {app.key: app for app in apps}

    def heading(folder: str, docs: List[Any]) -> str:
        """The Application, the folder, or the stdin name for a set read from stdin alone."""
        if folder in by_key:
            return f"app {by_key[folder].label}"
        targets = {doc.file.path for doc in docs if doc.is_target}
        return stdin_name if stdin_name is not None and targets == {stdin_name} else folder

    def namespace_of(folder: str) -> str | None:
        app = by_key.get(folder)
        return app.namespace if app is not None and app.namespace else settings.namespace

    plans = [
        build(heading(folder, docs), ManifestSet(docs, settings.argocd_version, namespace_of(folder)), kinds)
        for folder, docs in manifest_groups(loaded, settings.scope, apps).items()
        if any(doc.is_target for doc in docs) and not folder.endswith(KUSTOMIZATION_GROUP)
    ]
    render(output_format, plans, sys.stdout)
    sys.stdout.flush()
    if not plans:
        sys.stderr.write("hooklint: note: no Kubernetes objects found in the input; nothing to plan\n")
    from hooklint.output.printable import printable

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
    """List the rules: code, name, severity, on by default, fix (safe, unsafe or -), summary."""
    from hooklint.registry import load_registry

    registry = load_registry()
    specs = [s for s in registry.specs if show_all or s.default]
    width = max((len(s.name) for s in specs), default=4)
    sys.stdout.write(f"{'CODE':<6} {'NAME':<{width}} {'SEVERITY':<8} {'DEFAULT':<7} {'FIX':<6} SUMMARY\n")
    for spec in specs:
        default = "yes" if spec.default else "no"
        fixable = spec.fix if spec.fix != "none" else "-"
        sys.stdout.write(
            f"{spec.code:<6} {spec.name:<{width}} {spec.severity.value:<8} {default:<7} {fixable:<6} "
            f"{spec.summary}\n"
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
    fixable = {"safe": " --fix: safe.", "unsafe": " --fix: unsafe (needs --unsafe-fixes)."}.get(spec.fix, "")
    sys.stdout.write(
        f"Severity: {spec.severity.value}. On by default: {'yes' if spec.default else 'no'}.{fixable}\n"
    )
    sys.stdout.write(f"Fix: {spec.remediation}\n\n{spec.body}")


@app.command("server")
def server_command() -> None:
    """Run the language server (LSP on stdin/stdout) for editors; needs the server extra."""
    from hooklint import lifetime
    from hooklint.server.main import run_server

    lifetime.keep_nothing()  # it lives on after each run: what a run builds is freed

    raise typer.Exit(run_server())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (used by the console script and tests)."""
    from hooklint.cli.launch import main as launch

    return launch(argv)


def run_typer(args: list[str]) -> int:
    """Parse ``args`` with typer and run the command they name."""

    def run() -> int:
        try:
            app(args=args, prog_name="hooklint")
        except typer.Exit as exc:
            return int(exc.exit_code)
        return EXIT_OK

    return guarded(run)


def entry() -> NoReturn:
    sys.exit(main())
