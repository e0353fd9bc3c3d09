"""lint(): load -> run checks -> stamp -> suppress -> sort -> Report."""

from __future__ import annotations

import gc
import os
import posixpath
import sys
from pathlib import Path

from hooklint.check import CheckContext, Violation
from hooklint.config import Config, ConfigError, ConfigResolver, RuleConfig
from hooklint.lifetime import keep
from hooklint.manifests import ManifestSet
from hooklint.model import Document, Finding, Position, RelatedLocation, Severity, SourceFile
from hooklint.registry import Registry
from hooklint.sources.detect import HELM, KUSTOMIZE, SourceInput
from hooklint.sources.files import (
    DEFAULT_MAX_FILE_SIZE,
    Excludes,
    InputFile,
    LoadedFile,
    Notice,
    discover,
    display_path,
    load_file,
)
from hooklint.sources.helmconfig import HelmOptions
from hooklint.spec import PARAM_TYPES, RuleSpec, param_value_problem
from hooklint.suppress import (
    Known,
    Ledger,
    Problem,
    annotation_reason,
    audit,
    comment_reason,
    explicit_reason,
)
from hooklint.values import dataclass, field, replace
from hooklint.yaml.reader import ParseProblem, reading

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator, Sequence

    from hooklint.argocd.repos import RepoMap
    from hooklint.fix.target import Target
    from hooklint.lintcache import RunCache
    from hooklint.sources.app_sets import AppSet
    from hooklint.sources.kustomize_source import KustomizeRun

PARSE_ERROR = "HL000"
UNKNOWN_SUPPRESSION = "HL009"


@dataclass(frozen=True)
class LintOptions:
    """One run's settings after the command line has been merged over the config."""

    paths: tuple[str, ...]
    context: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    #: named files neither *.yaml/*.yml nor in a Helm chart are skipped (pre-commit passes chart helpers)
    skip_unknown_files: bool = False
    stdin_filename: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include_suppressed: bool = False
    #: processes for big trees (:mod:`hooklint.parallel_sets`, :mod:`hooklint.parallel`); above 1,
    #: a run forks on Linux: call :func:`lint` where forking is safe (no other thread running)
    jobs: int = 1
    #: processes that parse plain files to be checked here (:mod:`hooklint.parallel`); None:
    #: ``jobs`` (the CLI's default leaves out the cores the load average says are busy: see
    #: :func:`hooklint.parallel.default_parse_jobs`).  Whole sets checked on several processes
    #: (:mod:`hooklint.parallel_sets`) always use ``jobs``.
    parse_jobs: int | None = None
    helm: HelmOptions = field(default_factory=HelmOptions)
    #: the kustomize (or kubectl) binary; None: the config's, else ``kustomize`` on PATH, else ``kubectl``
    kustomize: str | None = None
    #: Argo CD's ``kustomize.buildOptions`` (one string); None: the config's, else argocd-cm's
    kustomize_build_options: str | None = None
    #: show the notices only worth knowing (an overlay's unreferenced files)
    verbose: bool = False
    #: ``URL=DIR``: where a repository an Application points at is checked out (``--repo``)
    repos: tuple[str, ...] = ()
    #: use the persistent lint cache (:mod:`hooklint.lintcache`); the CLI's default, off for the API
    cache: bool = False

    @property
    def full_run(self) -> bool:
        """No ``--select``/``--ignore`` narrowed the rules: HL009 may call suppressions unused."""
        return self.select is None and not self.ignore


@dataclass(frozen=True)
class ActiveRule:
    """A selected rule with its effective severity, params and per-rule excludes."""

    spec: RuleSpec
    severity: Severity
    params: dict[str, Any]
    exclude: tuple[str, ...]
    #: the config sets this rule's severity: it wins over a check's per-finding severity
    configured: bool = False


@dataclass
class Report:
    findings: list[Finding]
    rules: list[ActiveRule]
    notices: list[Notice] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    suppressed: int = 0
    paths: list[str] = field(default_factory=list)  # the linted files (targets), in input order

    def failing(self, fail_on: Severity) -> bool:
        return any(f.suppression is None and f.severity.rank >= fail_on.rank for f in self.findings)


def active_rules(registry: Registry, config: Config, options: LintOptions) -> list[ActiveRule]:
    """Select rules and apply per-rule config; raises ConfigError/SelectorError on bad names."""
    select = options.select if options.select is not None else config.select
    specs = registry.select(select, (*config.ignore, *options.ignore))
    by_name = rule_settings(registry, config)
    out = []
    for spec in specs:
        rule_config: RuleConfig | None = by_name.get(spec.name)
        params = spec.param_defaults()
        if rule_config:
            params.update(rule_config.params)
        if "repos" in spec.params and (options.repos or config.repos):
            params["repos"] = [*params.get("repos", []), *run_repos(config, options)]
        out.append(
            ActiveRule(
                spec,
                (rule_config.severity if rule_config and rule_config.severity else spec.severity),
                params,
                rule_config.exclude if rule_config else (),
                bool(rule_config and rule_config.severity),
            )
        )
    return out


def run_repos(config: Config, options: LintOptions) -> list[str]:
    """``--repo`` then the config's ``repos:`` as ``URL=DIR`` items (the config's folders made
    absolute), for the rules whose ``repos`` param maps Applications to checkouts (HL310-HL312)."""
    base = config.root or Path.cwd()
    return [*options.repos, *(f"{url}={(base / folder).resolve()}" for url, folder in config.repos)]


def rule_settings(registry: Registry, config: Config) -> dict[str, RuleConfig]:
    """The config's ``rules:``, keyed by rule name (the config may use codes or names).

    Raises ConfigError for an unknown rule or param, a param of the wrong type, or a
    rule given twice (by its code and its name).
    """
    where = str(config.path) if config.path else "config"
    out: dict[str, RuleConfig] = {}
    for key, settings in config.rules.items():
        spec = registry.spec(key)
        if spec is None or key not in (spec.name, spec.code):
            raise ConfigError(
                f"{where}: rules.{key}: unknown rule {key!r} (use a code such as HL101 or a name; "
                "'hooklint rules' lists them)"
            )
        if spec.name in out:
            raise ConfigError(f"{where}: rules.{key}: {spec.code} {spec.name} is configured twice")
        for pname, value in settings.params.items():
            param = spec.params.get(pname)
            if param is None:
                known = ", ".join(sorted(spec.params)) or "none"
                raise ConfigError(f"{where}: rules.{key}.params.{pname}: unknown param (known: {known})")
            expected = PARAM_TYPES[param.type]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(f"{where}: rules.{key}.params.{pname}: expected a {param.type}")
            problem = param_value_problem(param, value)
            if problem is not None:
                raise ConfigError(f"{where}: rules.{key}.params.{pname}: {problem}")
        out[spec.name] = settings
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
        with reading():
            return [load_file(item, max_size, stdin_bytes) for item in items]


class gc_paused:  # lower case: used as ``with gc_paused():``, as the function it was
    """Pause Python's cycle collector while building the documents.

    Parsing allocates millions of dicts, lists and tuples that all stay alive
    and form no cycles; the collector would scan them again and again (more
    than half the run time on a big tree) and find nothing to free.

    After the first run of a process (the command line's only one), what it built is
    frozen (``gc.freeze``) before the collector comes back: otherwise the collector's next
    pass walks every object just built (all still in the youngest generation), about a
    tenth of a run on 10,000 documents, for nothing.  Only the first run: frozen objects
    are freed as usual when no longer used, but a cycle among them never is, so a
    long-lived process (the language server) freezes once, at most what its first run left.
    """

    __slots__ = ("_was_enabled",)

    # a class, not @contextmanager: contextlib is 3 M instructions of a one-file run's imports
    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *_: object) -> None:
        global _FROZE
        if self._was_enabled:
            if not _FROZE:
                _FROZE = True
                gc.freeze()
            gc.enable()


_FROZE = False


def lint(
    registry: Registry,
    config: Config | ConfigResolver,
    options: LintOptions,
    *,
    cwd: Path | None = None,
    stdin_bytes: bytes | None = None,
) -> Report:
    """Lint ``options.paths``; each file with its own config when ``config`` is a resolver."""
    resolver = config if isinstance(config, ConfigResolver) else ConfigResolver.fixed(config)
    cwd = cwd or Path.cwd()
    # Paused for the whole run: re-enabled between loading and analysis, the collector would
    # first walk every object just built (it saw them all as new), for nothing.
    with gc_paused():
        items, sources, found_notices, stdin_bytes = discover_all(options, resolver, cwd, stdin_bytes)
        store = None
        if options.cache and not sources:  # charts and kustomizations have their own paths
            from hooklint.lintcache import RunCache

            store = RunCache.open(registry, resolver, options, cwd, items, stdin_bytes)
            cached = store.report()
            if cached is not None:
                cached.notices[:0] = found_notices
                if not options.verbose:
                    cached.notices = [notice for notice in cached.notices if not notice.verbose]
                return cached
        report = None
        if options.jobs > 1 and not sources and len(items) >= _min_files():
            from hooklint.parallel_sets import lint_sets  # a big tree: each process checks whole sets

            # every CPU, whatever the load: a share sends back only findings, so a worker on a
            # busy core still gains (10,000 documents with two other jobs running on 2 CPUs:
            # 1.8-2.4 s on two processes, 2.5-3.1 s on one)
            report = lint_sets(registry, resolver, options, cwd, items, options.jobs, store)
        if report is None:
            report, cacheable = _lint_loaded(
                registry, resolver, options, cwd, items, sources, found_notices, stdin_bytes, store
            )
            if not cacheable:
                store = None
    if store is not None:
        store.save(report)
    report.notices[:0] = found_notices
    if not options.verbose:
        report.notices = [notice for notice in report.notices if not notice.verbose]
    return report


def _min_files() -> int:
    """The fewest inputs worth sharing out (a pre-commit run of a file or two never imports
    the sets path)."""
    from hooklint import parallel

    return parallel.MIN_FILES


def _lint_loaded(
    registry: Registry,
    resolver: ConfigResolver,
    options: LintOptions,
    cwd: Path,
    items: list[InputFile],
    sources: list[SourceInput],
    found_notices: list[Notice],
    stdin_bytes: bytes | None,
    store: RunCache | None,
) -> tuple[Report, bool]:
    """Load every input (from the cache's entries when ``store`` is given) in this process or
    parsed on several, and check them here; with whether the cache may keep the report."""
    parse_jobs = options.parse_jobs or options.jobs
    if store is not None:
        loaded = store.load_files(items, options.max_file_size, parse_jobs)
    else:
        loaded = load_inputs(items, options.max_file_size, parse_jobs, stdin_bytes)
        if sources:
            loaded += load_sources(sources, options, resolver, cwd, plain=loaded, notices=found_notices)
    apps = app_sets(loaded, options, resolver, cwd, found_notices)
    by_config = files_by_config(resolver, (file.source.path for file in loaded), cwd)
    partial = partial_files(options, by_config, cwd)
    if not by_config:  # nothing loaded: the selection and the config are still checked
        by_config = [(resolver.for_folder(cwd), frozenset())]
    reports = [
        analyse(
            active_rules(registry, each, options),
            registry,
            each,
            loaded,
            options.include_suppressed,
            cwd,
            only=paths if len(by_config) > 1 or not paths else None,
            full_run=options.full_run,
            partial=partial,
            apps=apps if each.scope == "app" else (),
        )
        for each, paths in by_config
    ]
    keep(loaded)  # the console script frees nothing it ends with (hooklint.lifetime)
    # an Application may select files outside the cache key (context): no run cache
    return merge_reports(reports), not apps


def app_sets(
    loaded: list[LoadedFile],
    options: LintOptions,
    resolver: ConfigResolver,
    cwd: Path,
    notices: list[Notice],
) -> list[AppSet]:
    """The Applications that define apps (``--scope app``, see :mod:`hooklint.sources.app_sets`);
    the files they select beyond the linted paths are appended to ``loaded`` as context."""
    if not any(file.is_target and file.documents for file in loaded):
        return []
    if not any(doc.kind == "Application" for file in loaded for doc in file.documents):
        return []
    from hooklint.sources.app_sets import find_app_sets

    repos = repo_map(options, resolver, cwd)
    found = find_app_sets(loaded, cwd, repos, options.max_file_size)
    loaded += found.extra
    notices += found.notices
    if found.context:  # Helm/Kustomize folders outside the linted paths: rendered as context
        plain = [file for file in loaded if file.group is None]
        loaded += load_sources(found.context, options, resolver, cwd, plain=plain, notices=notices)
    return found.sets


def repo_map(options: LintOptions, resolver: ConfigResolver, cwd: Path) -> RepoMap:
    """``--repo URL=DIR`` mappings, then the config's ``repos:`` (raises ConfigError)."""
    from hooklint.argocd.repos import RepoMap, RepoMappingError, parse_mappings

    try:
        repos = parse_mappings(options.repos, cwd) if options.repos else RepoMap()
    except RepoMappingError as exc:
        raise ConfigError(f"--repo: {exc}") from None
    config = resolver.for_folder(cwd)
    if config.repos:
        base = config.root or cwd
        try:
            repos = repos.merged(parse_mappings(dict(config.repos), base))
        except RepoMappingError as exc:
            raise ConfigError(f"{config.path or 'config'}: repos: {exc}") from None
    return repos


def files_by_config(
    resolver: ConfigResolver, paths: Iterable[str], cwd: Path
) -> list[tuple[Config, frozenset[str]]]:
    """The configs the files at ``paths`` (display paths) use, in their order, each with its
    files' paths."""
    groups: dict[int, tuple[Config, set[str]]] = {}
    base = str(cwd)
    for path in paths:
        each = resolver.for_file(os.path.join(base, path))  # a str: no Path per file
        groups.setdefault(id(each), (each, set()))[1].add(path)
    return [(each, frozenset(paths)) for each, paths in groups.values()]


def partial_files(
    options: LintOptions, by_config: Sequence[tuple[Config, frozenset[str]]], cwd: Path
) -> frozenset[str]:
    """The targets seen without the rest of their app: files named one by one (pre-commit's
    staged files), outside every folder the command line walks, when no ``--context`` or
    ``context:`` brings in the rest.  Whole-set findings on them may be missed.
    ``by_config``: the run's configs (:func:`files_by_config`)."""
    if options.context or any(config_context(each) for each, _ in by_config):
        return frozenset()
    folders: list[str] = []
    named: set[str] = set()
    for raw in options.paths:
        if raw == "-":
            continue
        path = Path(raw)
        display = display_path(path.absolute(), cwd)
        if path.is_dir():
            folders.append("" if display in ("", ".") else display.rstrip("/") + "/")
        else:
            named.add(display)
    return frozenset(p for p in named if not any(p.startswith(folder) for folder in folders))


def merge_reports(reports: Sequence[Report]) -> Report:
    """One report from the per-config ones: findings sorted, rules once each, counts summed."""
    if len(reports) == 1:
        return reports[0]
    rules: dict[str, ActiveRule] = {}
    for report in reports:
        for rule in report.rules:
            rules.setdefault(rule.spec.code, rule)
    return Report(
        sorted((f for r in reports for f in r.findings), key=Finding.sort_key),
        sorted(rules.values(), key=lambda rule: rule.spec.code),
        [n for r in reports for n in r.notices],
        files=sum(r.files for r in reports),
        documents=sum(r.documents for r in reports),
        suppressed=sum(r.suppressed for r in reports),
        paths=sorted(p for r in reports for p in r.paths),
    )


def load_all(
    options: LintOptions,
    config: Config | ConfigResolver,
    *,
    cwd: Path | None = None,
    stdin_bytes: bytes | None = None,
    renderers: dict[str, Any] | None = None,
) -> tuple[list[LoadedFile], list[Notice]]:
    """Discover and load the targets, then the ``--context`` files (raises InputError).

    Command-line excludes are relative to the working directory, each config's to
    the config file's folder; the context is the command line's plus that of the
    configs the targets use.  Returns the loaded files and the notices found while
    discovering them (folders with nothing to lint, skipped symlinks).  ``renderers``
    (fix runs): filled with how each rendered source can be rendered again, by group.
    """
    cwd = cwd or Path.cwd()
    resolver = config if isinstance(config, ConfigResolver) else ConfigResolver.fixed(config)
    items, sources, found_notices, stdin_bytes = discover_all(options, resolver, cwd, stdin_bytes)
    loaded = load_inputs(items, options.max_file_size, options.parse_jobs or options.jobs, stdin_bytes)
    if sources:
        loaded += load_sources(
            sources, options, resolver, cwd, plain=loaded, notices=found_notices, renderers=renderers
        )
    return loaded, found_notices


def discover_all(
    options: LintOptions, resolver: ConfigResolver, cwd: Path, stdin_bytes: bytes | None
) -> tuple[list[InputFile], list[SourceInput], list[Notice], bytes | None]:
    """The targets then the ``--context`` files to read, the folders to render (charts), the
    notices found on the way, and stdin's bytes (read here when ``-`` is named)."""
    exclude = resolver.excludes(cwd, options.exclude)
    found_notices: list[Notice] = []
    sources: list[SourceInput] = []
    items = list(
        discover(
            options.paths,
            exclude=exclude,
            force_exclude=options.force_exclude,
            skip_unknown=options.skip_unknown_files,
            stdin_filename=options.stdin_filename,
            cwd=cwd,
            notices=found_notices,
            sources=sources,
        )
    )
    targets = {item.display for item in items}
    context = list(options.context)
    base = str(cwd)
    for item in items:
        for extra in config_context(resolver.for_file(os.path.join(base, item.display))):  # no Path each
            if extra not in context:
                context.append(extra)
    target_sources = {place.root for place in sources}
    context_sources: list[SourceInput] = []
    context_items = [
        item
        for item in discover(
            context,
            exclude=exclude,
            is_target=False,
            cwd=cwd,
            notices=found_notices,
            sources=context_sources,
        )
        if item.display not in targets
    ]
    sources += [place for place in context_sources if place.root not in target_sources]
    if "-" in options.paths and stdin_bytes is None:
        stdin_bytes = sys.stdin.buffer.read(options.max_file_size + 1)  # bounded, like files
    return items + context_items, sources, found_notices, stdin_bytes


def config_context(config: Config) -> tuple[str, ...]:
    """A config's ``context`` folders, relative to the config file's folder."""
    root = config.root
    return tuple(str(root / c) if root else c for c in config.context)


def load_sources(
    sources: Sequence[SourceInput],
    options: LintOptions,
    config: Config | ConfigResolver,
    cwd: Path,
    *,
    plain: Sequence[LoadedFile] = (),
    notices: list[Notice] | None = None,
    renderers: dict[str, Any] | None = None,
) -> list[LoadedFile]:
    """Render the folders Argo CD renders (Helm charts, Kustomize folders), as their sources do;
    each chart with the config nearest to its folder, and with the parameters of the Application
    (among the ``plain`` files) that renders it (:mod:`hooklint.sources.app_params`).
    ``renderers``: see :func:`load_all` (:mod:`hooklint.fix.rerender`)."""
    loaded: list[LoadedFile] = []
    resolver = config if isinstance(config, ConfigResolver) else ConfigResolver.fixed(config)
    has_apps = any(doc.kind == "Application" for file in plain for doc in file.documents)
    charts = [place for place in sources if place.type == HELM]
    if charts:
        import tempfile

        from hooklint.sources.helm.settings import HelmRun
        from hooklint.sources.helm.source import load_charts

        with tempfile.TemporaryDirectory(prefix="hooklint-app-values-") as tmp:
            apps = {}
            found: dict[Path, Any] = {}
            if has_apps:
                from hooklint.sources.app_params import chart_params

                repos = repo_map(options, resolver, cwd)
                notes = notices if notices is not None else []
                found = chart_params(plain, charts, cwd, repos, Path(tmp), notes)
                apps = {root: params[0].settings for root, params in found.items()}
            for each, places in _by_config(charts, resolver, cwd):
                run = HelmRun.of(each.helm, options.helm, each.namespace, cwd)
                if apps:
                    run = replace(run, apps=apps, values_origins=_values_origins(found))
                loaded += load_charts(places, run, options.max_file_size, options.jobs)
                for place, params in _more_apps(places, found, cwd, resolver, notices):  # one render each
                    again = replace(run, apps={params.root: params.settings})
                    loaded += _regrouped(load_charts([place], again, options.max_file_size, 1), place, params)
                if renderers is not None:
                    from hooklint.fix.rerender import renderer_for_chart

                    for place in places:
                        renderers[place.display] = renderer_for_chart(place, run, options.max_file_size, cwd)
    folders = [place for place in sources if place.type == KUSTOMIZE]
    if folders:
        from hooklint.sources.kustomize_source import load_kustomizations

        by_app: dict[Path, Any] = {}
        if has_apps:
            from hooklint.sources.kustomize_apps import kustomize_apps

            by_app = kustomize_apps(plain, folders, cwd, repo_map(options, resolver, cwd))
        first = {root: entries[0].edits for root, entries in by_app.items() if entries[0].edits}
        for each, places in _by_config(folders, resolver, cwd):
            kustomize = kustomize_run(options, each, plain)
            if first:
                kustomize = replace(kustomize, apps=first)
            loaded += load_kustomizations(places, kustomize, options.max_file_size, cwd, jobs=options.jobs)
            for place, entry in _more_apps(places, by_app, cwd, resolver, notices):  # one build each
                alone = replace(kustomize, apps={entry.root: entry.edits} if entry.edits else {})
                built = load_kustomizations([place], alone, options.max_file_size, cwd)
                loaded += _regrouped(built, place, entry)
            if renderers is not None:
                from hooklint.fix.rerender import renderer_for_kustomize

                for place in places:
                    renderers[place.display] = renderer_for_kustomize(
                        place, kustomize, options.max_file_size, cwd
                    )
    return loaded


def _by_config(
    places: Sequence[SourceInput], resolver: ConfigResolver, cwd: Path
) -> list[tuple[Config, list[SourceInput]]]:
    """``places`` grouped by the config nearest to each folder, in first-seen order."""
    groups: dict[int, tuple[Config, list[SourceInput]]] = {}
    for place in places:
        each = resolver.for_folder(place.root if place.root.is_absolute() else cwd / place.root)
        groups.setdefault(id(each), (each, []))[1].append(place)
    return list(groups.values())


def _values_origins(found: dict[Path, Any]) -> dict[str, Any]:
    """Where the keys of each values file written for an Application's ``valuesObject`` are."""
    return {key: at for params in found.values() for p in params for key, at in p.values_origins.items()}


def _more_apps(
    places: Sequence[SourceInput],
    found: dict[Path, Any],
    cwd: Path,
    resolver: ConfigResolver,
    notices: list[Notice] | None,
) -> Iterator[tuple[SourceInput, Any]]:
    """The second and later Applications rendering each place: rendered again with their own
    parameters under ``--scope app`` (the scope of the folder's config); otherwise a note says
    the first one's were used."""
    for place in places:
        folder = (place.root if place.root.is_absolute() else cwd / place.root).resolve()
        params = found.get(folder, [])
        for extra in params[1:]:
            if resolver.for_folder(folder).scope == "app":
                yield place, extra
            elif notices is not None:
                notices.append(
                    Notice(place.display, f"{extra.application} also renders this folder; linted with "
                           f"{params[0].application}'s parameters (--scope app renders it for each)")
                )  # fmt: skip


def _regrouped(files: list[LoadedFile], place: SourceInput, params: Any) -> list[LoadedFile]:
    """A render for one more Application: its own group (:func:`hooklint.sources.app_local.app_group`)."""
    from hooklint.sources.app_local import app_group

    group = app_group(place.display, params.label)
    kept = [file for file in files if file.group == place.display]  # not the kustomization files again
    for file in kept:
        file.group = group
    return kept


def kustomize_run(options: LintOptions, config: Config, plain: Sequence[LoadedFile]) -> KustomizeRun:
    """How to build Kustomize folders under ``config``: the binary and build options of the
    command line, else of the config, else (options only) of an ``argocd-cm`` among ``plain``;
    the helm for ``--enable-helm`` (a Helm 3 first: ``HOOKLINT_HELM3``, the helm binary of the
    command line or config, ``helm3``, ``helm``), and Argo CD's ``--helm-kube-version`` /
    ``--helm-api-versions`` from ``--kube-version`` / ``--api-versions``."""
    import os

    from hooklint.argocd.settings import kustomize_build_options
    from hooklint.sources.helmconfig import configured_binary
    from hooklint.sources.kustomize import helm_enabled
    from hooklint.sources.kustomize_source import KustomizeRun

    settings = config.kustomize
    binary = configured_binary(options.kustomize, settings.binary, settings.root)
    text, origin = options.kustomize_build_options, "--kustomize-build-options"
    if text is None and settings.build_options is not None:
        text, origin = settings.build_options, f"{config.path}: kustomize.build-options"
    if text is None:
        for file in plain:
            for doc in file.documents:
                found = kustomize_build_options(doc.root)
                if found is not None:
                    text, origin = found, f"{doc.file.path}: kustomize.buildOptions"
                    break
            if text is not None:
                break
    build_options = (text or "").split()
    if helm_enabled(build_options):
        if options.helm.kube_version:
            build_options += ["--helm-kube-version", options.helm.kube_version]
        for api in options.helm.api_versions:
            build_options += ["--helm-api-versions", api]
    helm_binary = configured_binary(options.helm.binary, config.helm.binary, config.helm.root)
    candidates = (os.environ.get("HOOKLINT_HELM3"), helm_binary, "helm3", "helm")
    return KustomizeRun.of(binary, build_options, candidates, settings.timeout, origin)


def analyse(
    rules: Sequence[ActiveRule],
    registry: Registry,
    config: Config,
    loaded: Sequence[LoadedFile],
    include_suppressed: bool = False,
    cwd: Path | None = None,
    *,
    only: frozenset[str] | None = None,
    full_run: bool = False,
    partial: frozenset[str] = frozenset(),
    apps: Sequence[AppSet] = (),
) -> Report:
    """Run the rules over loaded files (targets and context) and build the Report.

    With ``only`` (the display paths using ``config``, when files use different
    configs), whole-set rules still see every file, but only findings on those
    files are kept, and only those files are counted.

    ``full_run``: no ``--select``/``--ignore`` narrowed the rules, so HL009 may report
    suppressions that suppressed nothing; in ``partial`` files (see :func:`partial_files`)
    only those of rules that look at one document at a time.
    """
    cwd = cwd or Path.cwd()
    rule_root = config.root or cwd
    targets = {
        file.source.path
        for file in loaded
        if file.is_target and (only is None or file.source.path in only)
    }
    findings: list[Finding] = []
    audit_rule = next((r for r in rules if r.spec.code == UNKNOWN_SUPPRESSION), None)
    ledger = Ledger() if audit_rule is not None else None
    checks = [
        (
            rule,
            check,
            Excludes.of((rule_root, rule.exclude)),
            getattr(check, "judges_templates", False),
        )
        for rule in rules
        if rule.spec.code != PARSE_ERROR
        for check in (registry.check_for(rule.spec),)
    ]
    health_checks = frozenset().union(*(file.health_checks for file in loaded))
    by_key = {app.key: app for app in apps}
    seen: set[tuple[str, str, int, int, str]] = set()  # an Application is in its folder's set and its app's
    for key, documents in manifest_groups(loaded, config.scope, apps).items():
        if not any(doc.is_target for doc in documents):
            continue
        if only is not None and not any(doc.file.path in only for doc in documents):
            continue
        app = by_key.get(key)
        namespace = app.namespace if app is not None and app.namespace else config.namespace
        label = app.label if app is not None else None
        manifests = ManifestSet(documents, config.argocd_version, namespace, health_checks)
        for rule, check, excludes, judges_templates in checks:
            context = CheckContext(manifests, rule.spec, rule.params)
            for violation in check.run(context):
                finding = _finding(rule, violation, excludes, cwd, ledger, judges_templates, label)
                if finding is not None and (only is None or finding.path in only):
                    identity = (finding.code, finding.path, finding.line, finding.column, finding.message)
                    if identity in seen:
                        continue
                    seen.add(identity)
                    findings.append(finding)
    parse_rule = next((r for r in rules if r.spec.code == PARSE_ERROR), None)
    notices: list[Notice] = []
    for file in loaded:
        if file.source.path not in targets:
            continue
        notices.extend(file.notices)
        if parse_rule is not None:
            findings.extend(_parse_finding(parse_rule, file.source, p, ledger) for p in file.problems)
    if audit_rule is not None and ledger is not None:
        target_files = [file for file in loaded if file.source.path in targets]  # this config's
        known = _known_rules(registry, rules, rule_root, cwd, target_files, partial)
        sources = [(file.source, file.documents) for file in target_files]
        excludes = Excludes.of((rule_root, audit_rule.exclude))
        for problem in audit(sources, known, ledger, full_run):
            if not (excludes.rules and excludes.matches(cwd / problem.source.path)):
                findings.append(_audit_finding(audit_rule, problem))

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
        paths=[f.source.path for f in loaded if f.source.path in targets],
    )


def manifest_groups(
    loaded: Sequence[LoadedFile], scope: str, apps: Sequence[AppSet] = ()
) -> dict[str, list[Document]]:
    """Split the input into the manifest sets whole-set rules reason about.

    ``app`` (the default): each Argo CD Application pointing into the tree is one set (the
    files its source selects or renders, and the Application itself); the rest as ``dir``.
    ``dir``: the files of one folder are one application, as an Argo CD Application's
    ``path`` usually is (a chart or Kustomize folder: what it renders); stdin is one set.
    ``all``: everything read is one set.  ``file``: each file alone.
    """
    claims: dict[tuple[str, str], str] = {}
    if apps:
        from hooklint.sources.app_sets import claim_keys

        claims = claim_keys(apps)
    groups: dict[str, list[Document]] = {}
    for file in loaded:
        if not file.documents:
            continue
        claimed = None
        if claims:
            if file.group is not None:
                claimed = claims.get(("group", file.group))
            else:
                claimed = claims.get(("file", file.source.path))
        if claimed is not None:
            key = claimed
        elif scope == "all":
            key = ""
        elif scope == "file":
            key = file.source.path
        elif file.group is not None:  # a chart: one application, whatever folder its templates are in
            key = file.group
        else:
            key = posixpath.dirname(file.source.path)
        groups.setdefault(key, []).extend(file.documents)
    for app in apps:
        members = groups.setdefault(app.key, [])
        if not any(doc is app.doc for doc in members):
            members.append(app.doc)
    return groups


def _finding(
    rule: ActiveRule,
    violation: Violation,
    excludes: Excludes,
    cwd: Path,
    ledger: Ledger | None = None,
    judges_templates: bool = False,
    application: str | None = None,
) -> Finding | None:
    """Stamp a violation; None when neither end is a target or the rule excludes the file."""
    doc = violation.doc
    if not doc.is_target and not any(r.doc.is_target for r in violation.related):
        return None
    if excludes.rules and excludes.matches(cwd / doc.file.path):
        return None
    provenance = doc.provenance
    message = violation.message
    if provenance is not None and not judges_templates:  # the source knows more (sources/provenance.py)
        if provenance.unknown(doc.root, violation.path):
            return None
        if violation.related and any(
            r.doc.provenance is not None and r.doc.provenance.unknown(r.doc.root, r.path)
            for r in violation.related
        ):
            return None
    source, position, end = doc.where_span(violation.path, key=violation.key)
    provenance = doc.provenance  # resolved by where() when the source computes positions lazily
    if provenance is not None and source is doc.file and position.line in provenance.values_keys:
        message += f" (set by values key {provenance.values_keys[position.line]})"
    spec = rule.spec
    severity = rule.severity
    if violation.severity is not None and not rule.configured:  # the check's judgement of this case
        severity = violation.severity
    reason = annotation_reason(doc, spec.code, spec.name, ledger) or comment_reason(
        source, position.line, spec.code, spec.name, ledger
    )
    related = tuple(RelatedLocation(*_where(r.doc, r.path), r.message) for r in violation.related)
    fix = None
    if spec.fix != "none" and reason is None and doc.is_target:
        fixable_source, target, applicability = _fix_verdicts()
        if fixable_source(doc.file):
            fix = applicability(spec.code, target(doc, violation.path, violation.message, rule.params))
        elif provenance is not None:  # rendered: a fix where the finding maps, when literal there
            from hooklint.fix.mapped import mapped_applicability

            fix = mapped_applicability(
                spec.code, doc, violation.path, violation.message, rule.params, source, cwd
            )
    return Finding(
        code=spec.code,
        name=spec.name,
        severity=severity,
        message=message,
        path=source.path,
        position=position,
        object_ref=doc.qualified_ref,
        yaml_path=violation.path,
        related=related,
        suppression=reason,
        fix=fix,
        end=end,
        application=application,
    )


if TYPE_CHECKING:
    _FixVerdicts = tuple[Callable[[SourceFile], bool], type[Target], Callable[[str, Target], str | None]]
_FIX_VERDICTS: _FixVerdicts | None = None


def _fix_verdicts() -> _FixVerdicts:
    """What tells whether a finding's fix applies, imported at the first finding a rule can fix
    (not the edits: hooklint.fix.fixers); kept, as an import statement per finding is a few
    microseconds (``hooklint.fix`` is a package: importlib's ``_handle_fromlist`` runs)."""
    global _FIX_VERDICTS
    if _FIX_VERDICTS is None:
        from hooklint.fix import fixable_source
        from hooklint.fix.target import Target
        from hooklint.fix.verdicts import applicability

        _FIX_VERDICTS = (fixable_source, Target, applicability)
    return _FIX_VERDICTS


def _where(doc: Document, path: tuple[str | int, ...]) -> tuple[str, Position]:
    source, position = doc.where(path)
    return source.path, position


def _parse_finding(
    rule: ActiveRule, source: SourceFile, problem: ParseProblem, ledger: Ledger | None = None
) -> Finding:
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
        suppression=comment_reason(source, position.line, rule.spec.code, rule.spec.name, ledger),
    )


def _known_rules(
    registry: Registry,
    rules: Sequence[ActiveRule],
    root: Path,
    cwd: Path,
    files: Sequence[LoadedFile],
    partial: frozenset[str] = frozenset(),
) -> Known:
    names = {key: spec.code for spec in registry.specs for key in (spec.code, spec.name)}
    active = frozenset(rule.spec.code for rule in rules)
    excluded: dict[str, frozenset[str]] = {}
    for rule in rules:
        if rule.exclude:
            matcher = Excludes.of((root, rule.exclude))
            excluded[rule.spec.code] = frozenset(
                f.source.path for f in files if matcher.matches(cwd / f.source.path)
            )
    return Known(
        names,
        active,
        all(spec.code in active for spec in registry.specs if spec.default),
        excluded,
        frozenset((UNKNOWN_SUPPRESSION,)),
        frozenset(r.spec.code for r in rules if registry.sees_other_documents(r.spec)),
        partial,
    )


def _audit_finding(rule: ActiveRule, problem: Problem) -> Finding:
    spec = rule.spec
    doc = problem.doc
    if doc is not None:
        path: tuple[str, ...] = ("metadata", "annotations", problem.key)
        position = doc.locate(path, key=True)
        reason = explicit_reason(doc, problem.source, position.line, spec.code, spec.name)
        return Finding(
            spec.code, spec.name, rule.severity, problem.message, problem.source.path, position,
            doc.qualified_ref, path, suppression=reason,
        )  # fmt: skip
    position = Position(problem.line, problem.column)
    reason = explicit_reason(None, problem.source, problem.line, spec.code, spec.name)
    where = problem.source.path
    return Finding(spec.code, spec.name, rule.severity, problem.message, where, position, suppression=reason)
