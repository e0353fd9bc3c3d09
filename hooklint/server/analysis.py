"""One edit -> the application it belongs to -> findings, by the same engine as ``check``.

The server lints what ``hooklint check`` run from the workspace folder would lint for
that file, so both give the same findings.  The workspace is read by ``check``'s own
discovery (:mod:`hooklint.server.workspace`): plain YAML files, and the folders Argo CD
renders (Helm charts, Kustomize folders), each rendered by ``check``'s source layer
(:func:`hooklint.engine.load_sources`).  Files are grouped into apps as ``check`` groups
them (:func:`hooklint.engine.manifest_groups`): with ``scope: app`` (the default) each
Application that points into the workspace is one app (:mod:`hooklint.sources.app_sets`),
the rest one app per folder (``dir``), a chart or Kustomize folder one app; ``file`` and
``all`` as in ``check``.

One run takes the apps of the changed files, and the apps their other files are in as
long as those need no render of their own; it reports the files all of whose apps it saw
whole (the rest are read as context).  Plain files come from disk, overlaid with the open
buffers' unsaved text, each parsed once per content (cached by mtime and size, or by the
buffer's text), so a keystroke re-parses only the buffer that changed.  Rendered folders
come from their last render: a run renders a folder the first time it needs it, and again
when asked to (``render``: the editor opened or saved a file of that app), never on a
keystroke.  Not thread-safe: the server runs every analysis on one worker thread.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Mapping

from hooklint.argocd.settings import MARKER
from hooklint.config import Config, ConfigError, find_config, load_config
from hooklint.engine import ActiveRule, LintOptions, active_rules, analyse, load_sources, repo_map
from hooklint.model import Finding, SourceFile
from hooklint.registry import Registry, SelectorError
from hooklint.server.workspace import Index, Unit, closure, is_kustomization
from hooklint.sources.detect import KUSTOMIZE
from hooklint.sources.files import (
    YAML_SUFFIXES,
    InputError,
    InputFile,
    LoadedFile,
    Notice,
    display_path,
    load_bytes,
    load_file,
)
from hooklint.values import dataclass, field

if TYPE_CHECKING:
    from hooklint.sources.app_sets import AppSet

#: what a plain file must hold to matter to the whole workspace (Applications, health checks)
_WORTH_READING = ("Application", MARKER, "\\")

#: Buffers over this size are not linted (``check``'s default ``--max-file-size``).
MAX_BUFFER_CHARS = 50 * 1024 * 1024


@dataclass(frozen=True)
class Analysis:
    """The findings of one run, by absolute path, for every file of the sets linted."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    error: str | None = None  # an invalid config or rule selection: nothing was linted


@dataclass
class _Settings:
    config: Config
    rules: list[ActiveRule]
    stamp: tuple[str, int, int] | None  # the config file's path, mtime and size


class Analyzer:
    """Lints the applications of changed files inside one workspace folder."""

    def __init__(self, root: Path, registry: Registry) -> None:
        self.root = Path(os.path.abspath(root))  # as the editor names it: findings come back so
        #: the root as ``check`` run there sees it (its working directory has no symlinks)
        self.real = self.root.resolve()
        self.registry = registry
        self._settings: dict[str | None, _Settings] = {}  # by config file (None: no config)
        self._cache: dict[tuple[str, bool], tuple[object, LoadedFile]] = {}
        self._index: Index | None = None
        #: rendered folder (display) -> its files and notes, from its last render
        self._rendered: dict[str, tuple[list[LoadedFile], list[Notice]]] = {}
        #: rendered folder -> the files outside its loaded ones its findings landed in, last time
        self._landed: dict[str, set[str]] = {}
        self._scanned: dict[str, tuple[tuple[int, int], bool]] = {}  # may it hold Applications?
        self._apps_cache: (
            tuple[list[LoadedFile], tuple[list[AppSet], list[LoadedFile], list[Notice]]] | None
        ) = None

    # -- settings -------------------------------------------------------------------
    def settings(self, folder: Path | None = None) -> _Settings:
        """The settings for files of ``folder`` (default: the workspace folder): the nearest
        ``.hooklint.yaml`` in it or above, as ruff (and ``check``'s config per file) finds it,
        re-read when the file changes.

        Raises ConfigError or SelectorError for an invalid config.
        """
        path = find_config(self._real(folder or self.root))  # config roots as ``check`` has them
        stamp = None
        if path is not None:
            info = path.stat()
            stamp = (str(path), info.st_mtime_ns, info.st_size)
        key = str(path) if path is not None else None
        settings = self._settings.get(key)
        if settings is None or settings.stamp != stamp:
            self._settings.pop(key, None)
            config = load_config(path) if path is not None else Config()
            settings = _Settings(config, active_rules(self.registry, config, LintOptions(())), stamp)
            self._settings[key] = settings
        return settings

    # -- analysis -------------------------------------------------------------------
    def run(
        self,
        changed: list[Path],
        buffers: Mapping[str, str],
        *,
        render: Collection[Path] = (),
        refresh: bool = False,
    ) -> Analysis:
        """Lint the applications of ``changed`` files; ``buffers`` maps absolute paths to unsaved text.

        ``render``: changed files the editor opened or saved; the folders rendering their apps
        render again (and the workspace is walked again, as with ``refresh``).  Never raises for
        bad input: an invalid config comes back as ``error``.
        """
        try:
            if self._index is None or refresh or render:
                self._index = Index.build(self.real)
                self._rendered = {k: v for k, v in self._rendered.items() if k in self._index.sources}
            index = self._index
            if self.real != self.root:
                changed = [self._real(path) for path in changed]
                render = [self._real(path) for path in render]
                buffers = {str(self._real(name)): text for name, text in buffers.items()}
            groups: dict[int, tuple[_Settings, list[Path]]] = {}
            for path in changed:
                settings = self.settings(path.parent)
                groups.setdefault(id(settings), (settings, []))[1].append(path)
            findings: dict[str, list[Finding]] = {}
            notices: list[Notice] = []
            again = {os.path.normpath(p) for p in map(str, render)}
            for settings, paths in groups.values():
                rerender = any(os.path.normpath(str(p)) in again for p in paths)
                self._run_one(index, settings, paths, buffers, rerender, findings, notices)
        except (ConfigError, SelectorError, InputError, OSError) as exc:
            return Analysis(error=str(exc))
        return Analysis(findings, notices)

    def _run_one(
        self,
        index: Index,
        settings: _Settings,
        paths: list[Path],
        buffers: Mapping[str, str],
        rerender: bool,
        findings: dict[str, list[Finding]],
        notices: list[Notice],
    ) -> None:
        scope = settings.config.scope
        plain = dict(index.plain)
        start: list[Unit] = []
        for path in paths:
            if index.excludes.matches(path):
                continue
            units = index.units_of(path)
            if not units and not index.is_rendered(path):  # unsaved, or YAML by the editor's word
                item = self._item(path)
                plain.setdefault(item.display, item)
                units = [("file", item.display)]
            start += units
        if not start:
            return
        for name in buffers:  # new buffers: files the next save creates
            buffer = Path(name)
            display = display_path(buffer, self.real)
            listed = buffer.name.endswith(YAML_SUFFIXES) and not buffer.name.startswith(".")
            if (
                listed
                and display not in plain
                and buffer.is_relative_to(self.real)
                and not index.excludes.matches(buffer)
                and not index.is_rendered(buffer)
            ):
                plain[display] = self._item(buffer)
        sources = [d for d, place in index.sources.items() if place.type != KUSTOMIZE or d in index.trees]
        apps: list[AppSet] = []
        extra: dict[str, LoadedFile] = {}
        claims: dict[tuple[str, str], str] = {}
        holders: dict[str, list[str]] = {}  # display -> the app keys of the Applications it holds
        # the plain files (targets and context) that may hold Applications or Argo CD's own
        # health checks (for HL304: anywhere in the run, as ``check`` reads the workspace); the
        # others are read only when the run needs them
        targets = [self._load(item, buffers) for item in plain.values() if self._worth_reading(item, buffers)]
        if scope == "app":
            apps, found_extra, found_notes = self._apps(index, targets, plain)
            notices += found_notes
            extra = {file.source.path: file for file in found_extra}
            if apps:
                from hooklint.sources.app_sets import claim_keys

                claims = claim_keys(apps)
            for app in apps:
                holders.setdefault(app.doc.file.path, []).append(app.key)

        def keys(unit: Unit) -> list[str]:
            kind, display = unit
            if scope == "all":
                return [""]
            if scope == "file":
                return [f"{kind}:{display}"]
            if kind == "source":
                return [claims.get(("group", display)) or display]
            own = claims.get(("file", display)) or posixpath.dirname(display)
            return [own, *holders.get(display, ())]

        universe: list[Unit] = [("file", d) for d in plain]
        universe += [("file", d) for d in extra if d not in plain]
        universe += [("source", d) for d in sources]
        seen = closure(start, universe, keys, self._rendered.keys())
        near, accepted, wanted, complete = seen.near, seen.accepted, seen.wanted, seen.complete

        loaded: list[LoadedFile] = []
        seen_kustomizations: set[str] = set()
        for unit in universe:
            if unit not in wanted:
                continue
            kind, display = unit
            if kind == "file":
                if display in extra and display not in plain:
                    loaded.append(extra[display])
                    continue
                item = plain[display]
                if unit not in complete:  # another of its apps is not seen whole: context only
                    item = InputFile(item.path, item.display, is_target=False)
                loaded.append(self._load(item, buffers))
                continue
            if display not in self._rendered or (rerender and unit in near):
                self._rendered[display] = self._render(index, display, targets)
            files, notes = self._rendered[display]
            notices += notes
            for file in files:
                if is_kustomization(file):  # a kustomization two folders build on: once
                    if file.source.path in seen_kustomizations:
                        continue
                    seen_kustomizations.add(file.source.path)
                loaded.append(file)
        health = frozenset().union(*(file.health_checks for file in targets))
        if health:  # the workspace's own health checks, wherever they are: no documents, no finding
            loaded.append(LoadedFile(SourceFile(""), is_target=False, health_checks=health))
        by_config: dict[int, tuple[_Settings, set[str]]] = {}
        by_folder: dict[str, _Settings] = {}  # one config lookup per folder
        for file in loaded:
            if file.is_target:
                folder = posixpath.dirname(file.source.path)
                each = by_folder.get(folder)
                if each is None:
                    each = by_folder[folder] = self.settings(self._absolute(file.source.path).parent)
                by_config.setdefault(id(each), (each, set()))[1].add(file.source.path)
                findings.setdefault(str(self._absolute(file.source.path)), [])
        kept = [app for app in apps if app.key in accepted]
        for each, shown in by_config.values():
            report = analyse(
                each.rules,
                self.registry,
                each.config,
                loaded,
                False,
                self.real,
                only=frozenset(shown) if len(by_config) > 1 else None,
                apps=kept if each.config.scope == "app" else (),
            )
            for finding in report.findings:
                findings.setdefault(str(self._absolute(finding.path)), []).append(finding)
            notices.extend(report.notices)
        # Findings of a rendered folder may land in files it loads none of (values.yaml, a
        # Kustomize patch): those files get [] once the folder's findings left them.
        shown = {file.source.path for file in loaded}
        rendered = [display for kind, display in complete if kind == "source"]
        landed = {f.path for found in findings.values() for f in found if f.path not in shown}
        for display in rendered:
            for where in self._landed.get(display, ()):
                findings.setdefault(str(self._absolute(where)), [])
            self._landed[display] = {where for where in landed if index.owns(display, where)}

    def _apps(
        self, index: Index, targets: list[LoadedFile], plain: Mapping[str, InputFile]
    ) -> tuple[list[AppSet], list[LoadedFile], list[Notice]]:
        """The Applications among the plain files and what they claim (again only when one of
        the files holding an Application changed)."""
        holding = [file for file in targets if any(doc.kind == "Application" for doc in file.documents)]
        if not holding:
            return [], [], []
        cached = self._apps_cache
        if (
            cached is not None
            and len(cached[0]) == len(holding)
            and all(a is b for a, b in zip(cached[0], holding, strict=True))
        ):
            return cached[1]
        from hooklint.sources.app_sets import find_app_sets

        repos = repo_map(LintOptions(()), index.resolver, self.real)
        # the workspace's other files, known but not read: a Directory source selecting them
        # needs no context copy of them (they are plain files of the workspace already)
        read = {file.source.path for file in targets}
        known = [LoadedFile(SourceFile(d), is_target=False) for d in plain if d not in read]
        found = find_app_sets([*targets, *known], self.real, repos, MAX_BUFFER_CHARS)
        # Helm/Kustomize folders outside the workspace that an Application renders (found.context)
        # are not rendered here: the server renders the workspace's own folders (README)
        result = (found.sets, found.extra, found.notices)
        self._apps_cache = (holding, result)
        return result

    def _worth_reading(self, item: InputFile, buffers: Mapping[str, str]) -> bool:
        """Can the file hold an Application, or configure Argo CD's health checks (see
        :mod:`hooklint.argocd.settings`)?  Only by spelling the word (the marker), or by escaping
        some of it in a double-quoted scalar (a backslash); most files need no parse to say no."""
        assert item.path is not None
        text = buffers.get(str(item.path))
        if text is not None:
            return any(word in text for word in _WORTH_READING)
        path = str(item.path)
        try:
            info = item.path.stat()
        except OSError:
            return True  # loading it says why
        key = (info.st_mtime_ns, info.st_size)
        cached = self._scanned.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            with item.path.open("rb") as handle:
                data = handle.read(MAX_BUFFER_CHARS + 1)
        except OSError:
            return True
        found = any(word.encode() in data for word in _WORTH_READING)
        self._scanned[path] = (key, found)
        return found

    def _render(
        self, index: Index, display: str, plain: list[LoadedFile]
    ) -> tuple[list[LoadedFile], list[Notice]]:
        """Render one folder as ``check`` does (the Application rendering it among ``plain``)."""
        notes: list[Notice] = []
        place = index.sources[display]
        files = load_sources([place], LintOptions(()), index.resolver, self.real, plain=plain, notices=notes)
        return files, notes

    def _absolute(self, display: str) -> Path:
        """A display path as the editor names the file (under the root as it spells it)."""
        return Path(os.path.normpath(self.root / display))

    def _real(self, path: Path | str) -> Path:
        """An editor's path under the root as ``check`` sees it (a symlinked root resolved)."""
        path = Path(path)
        return self.real / path.relative_to(self.root) if path.is_relative_to(self.root) else path

    def _item(self, path: Path) -> InputFile:
        return InputFile(path, display_path(path, self.real))

    def _load(self, item: InputFile, buffers: Mapping[str, str]) -> LoadedFile:
        """Parse a file once per content: an open buffer's text, else the file on disk."""
        assert item.path is not None
        path = str(item.path)
        text = buffers.get(path)
        key: object
        if text is not None:
            key = text
        else:
            try:
                info = item.path.stat()
                key = (info.st_mtime_ns, info.st_size)
            except OSError:
                key = None
        cache_key = (path, item.is_target)
        cached = self._cache.get(cache_key)
        if cached is not None and key is not None and cached[0] == key:
            return cached[1]
        if text is None:
            loaded = load_file(item)
        elif len(text) > MAX_BUFFER_CHARS:
            notice = Notice(item.display, "buffer is over 50 MB; not linted")
            loaded = LoadedFile(SourceFile(item.display), notices=[notice], is_target=item.is_target)
        else:
            loaded = load_bytes(text.encode("utf-8", "surrogatepass"), item.display, item.is_target)
        self._cache[cache_key] = (key, loaded)
        return loaded
