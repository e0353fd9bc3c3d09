"""One edit -> the application it belongs to -> findings, by the same engine as ``check``.

The server lints what ``hooklint check`` run from the workspace folder would
lint for that file, so both give the same findings:

- ``scope: dir`` (the default): the YAML files of the file's folder (each folder
  is one application; other folders never change its findings);
- ``scope: file``: the file alone;
- ``scope: all``: every YAML file under the workspace folder, plus the config's
  ``context``.

Files come from disk, overlaid with the open buffers' unsaved text; each is
parsed once per content (cached by mtime and size, or by the buffer's text), so
a keystroke re-parses only the buffer that changed.  Not thread-safe: the
server runs every analysis on one worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from hooklint.config import Config, ConfigError, find_config, load_config
from hooklint.engine import ActiveRule, LintOptions, active_rules, analyse
from hooklint.model import Finding, SourceFile
from hooklint.registry import Registry, SelectorError
from hooklint.sources.files import (
    YAML_SUFFIXES,
    Excludes,
    InputError,
    InputFile,
    LoadedFile,
    Notice,
    discover,
    display_path,
    load_bytes,
    load_file,
)
from hooklint.values import dataclass, field

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
        self.root = Path(os.path.abspath(root))
        self.registry = registry
        self._settings: dict[str | None, _Settings] = {}  # by config file (None: no config)
        self._cache: dict[tuple[str, bool], tuple[object, LoadedFile]] = {}

    # -- settings -------------------------------------------------------------------
    def settings(self, folder: Path | None = None) -> _Settings:
        """The settings for files of ``folder`` (default: the workspace folder): the nearest
        ``.hooklint.yaml`` in it or above, as ruff (and ``check``'s config per file) finds it,
        re-read when the file changes.

        Raises ConfigError or SelectorError for an invalid config.
        """
        path = find_config(folder or self.root)
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
    def run(self, changed: list[Path], buffers: Mapping[str, str]) -> Analysis:
        """Lint the applications of ``changed`` files; ``buffers`` maps absolute paths to unsaved text.

        Never raises for bad input: an invalid config comes back as ``error``.
        """
        groups: dict[int, tuple[_Settings, dict[str, InputFile]]] = {}
        try:
            for path in changed:
                settings = self.settings(path.parent)
                items = groups.setdefault(id(settings), (settings, {}))[1]
                for item in self._set_of(path, settings.config, buffers):
                    items.setdefault(item.display, item)
        except (ConfigError, SelectorError, InputError, OSError) as exc:
            return Analysis(error=str(exc))
        findings: dict[str, list[Finding]] = {}
        notices: list[Notice] = []
        for settings, items in groups.values():
            loaded = [self._load(item, buffers) for item in items.values()]
            report = analyse(settings.rules, self.registry, settings.config, loaded, False, self.root)
            for file in loaded:
                if file.is_target:
                    findings.setdefault(str(self._absolute(file.source.path)), [])
            for finding in report.findings:
                findings.setdefault(str(self._absolute(finding.path)), []).append(finding)
            notices.extend(report.notices)
        return Analysis(findings, notices)

    def _absolute(self, display: str) -> Path:
        return Path(os.path.normpath(self.root / display))

    def _set_of(self, path: Path, config: Config, buffers: Mapping[str, str]) -> list[InputFile]:
        """The files ``check`` would read for the application ``path`` belongs to."""
        exclude = Excludes.of((config.root, config.exclude))
        if exclude.matches(path):
            return []
        if config.scope == "file":
            return [self._item(path)]
        if config.scope == "all":
            found = list(discover([str(self.root)], exclude=exclude, cwd=self.root))
            context = [str(config.root / c) if config.root else c for c in config.context]
            targets = {item.display for item in found}
            found += [
                item
                for item in discover(context, exclude=exclude, is_target=False, cwd=self.root)
                if item.display not in targets
            ]
            extra = [Path(p) for p in buffers if Path(p).is_relative_to(self.root)]
        else:
            folder = path.parent
            found = []
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            for name in names:
                file = folder / name
                yaml = name.endswith(YAML_SUFFIXES) and not name.startswith(".")
                if yaml and file.is_file() and not exclude.matches(file):
                    found.append(self._item(file))
            extra = [Path(p) for p in buffers if Path(p).parent == folder]
        seen = {item.display for item in found}
        # the file itself (even with another suffix, or unsaved), and new buffers of the set
        for file in [path, *extra]:
            item = self._item(file)
            listed = file.name.endswith(YAML_SUFFIXES) and not file.name.startswith(".")
            wanted = file == path or (listed and not exclude.matches(file))
            if wanted and item.display not in seen:
                found.append(item)
                seen.add(item.display)
        return found

    def _item(self, path: Path) -> InputFile:
        return InputFile(path, display_path(path, self.root))

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
