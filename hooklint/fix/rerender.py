"""Render a chart or a Kustomize folder again with some of its files edited, without touching them.

A fix in a Helm template, a values file or a Kustomize file is verified by rendering the
source again, through the same source layer (:mod:`hooklint.sources.helm.source`,
:mod:`hooklint.sources.kustomize_source`) and with the settings of the first render.  The
files it reads are copied into a *shadow* tree that mirrors their absolute paths under a
temporary folder (``/a/b`` -> ``<tmp>/a/b``), the edited ones written there instead, and the
working directory mirrored too, so every display path hooklint shows is the same as in the
first render.  The shadow lives until the run ends (positions are computed from it lazily).

:func:`renderer_for_chart` and :func:`renderer_for_kustomize` are recorded by
:func:`hooklint.engine.load_sources` when a fix run asks for them (``renderers``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from hooklint.values import dataclass, field, replace

if TYPE_CHECKING:
    from hooklint.sources.detect import SourceInput
    from hooklint.sources.files import LoadedFile
    from hooklint.sources.helm.settings import ChartSettings, HelmRun
    from hooklint.sources.kustomize_source import KustomizeRun

#: The most a shadow copy may hold; a bigger source is not re-rendered (its fixes are refused).
MAX_SHADOW_BYTES = 64 * 1024 * 1024


class Shadows:
    """The temporary folders of a run's re-renders (removed by :meth:`close`)."""

    def __init__(self) -> None:
        self.folders: list[str] = []

    def new(self) -> Path:
        folder = tempfile.mkdtemp(prefix="hooklint-fix-")
        self.folders.append(folder)
        return Path(folder).resolve()

    def close(self) -> None:
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)
        self.folders.clear()

    def __enter__(self) -> Shadows:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def mirror(top: Path, path: Path) -> Path:
    """Where the absolute ``path`` is in the shadow tree ``top``."""
    absolute = Path(os.path.abspath(path))
    return top / absolute.relative_to(absolute.anchor)


class _Copier:
    def __init__(self, top: Path) -> None:
        self.top = top
        self.size = 0

    def file(self, path: Path) -> bool:
        try:
            self.size += path.stat().st_size
            if self.size > MAX_SHADOW_BYTES:
                return False
            target = mirror(self.top, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        except OSError:
            return False
        return True

    def tree(self, folder: Path) -> bool:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d != ".git"]
            for name in filenames:
                path = Path(dirpath) / name
                if path.is_file() and not self.file(path):
                    return False
        return True

    def write(self, path: Path, data: bytes) -> None:
        target = mirror(self.top, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@dataclass
class Renderer:
    """How one source was rendered, to render it again with edited files."""

    kind: str  # helm | kustomize
    place: SourceInput
    max_size: int
    cwd: Path
    helm_run: HelmRun | None = None
    chart_settings: ChartSettings | None = None
    #: values files as they were when the source was rendered (some are temporary files)
    values_bytes: Mapping[str, bytes] = field(default_factory=dict)
    kustomize_run: KustomizeRun | None = None
    _files: set[str] | None = field(default=None, repr=False)

    def root(self) -> Path:
        root = self.place.root
        return (root if root.is_absolute() else self.cwd / root).resolve()

    def reads(self, path: Path) -> bool:
        """Does a render read this file (so an edit of it can be verified)?"""
        resolved = path.resolve()
        if self.kind == "helm":
            return resolved.is_relative_to(self.root()) or str(resolved) in self._values_resolved()
        return str(resolved) in self._kustomize_files()

    def _values_resolved(self) -> set[str]:
        return {str(Path(v).resolve()) for v in self.values_bytes}

    def _kustomize_files(self) -> set[str]:
        if self._files is None:
            from hooklint.sources.kustomize import walk_tree

            base = self.cwd.resolve()
            tree = walk_tree(self.root(), base)
            self._files = {str((base / rel).resolve()) for rel in tree.referenced}
        return self._files

    def render(self, edited: Mapping[Path, bytes], shadows: Shadows) -> list[LoadedFile] | None:
        """The source rendered with ``edited`` (absolute path -> bytes) in place of those files;
        None when it cannot be rendered again (too big to copy, a file it reads is gone)."""
        top = shadows.new()
        copier = _Copier(top)
        if self.kind == "helm":
            return self._helm(copier, edited)
        return self._kustomize(copier, edited)

    def _helm(self, copier: _Copier, edited: Mapping[Path, bytes]) -> list[LoadedFile] | None:
        from hooklint.sources.helm.source import HelmSource, find_helm

        assert self.helm_run is not None and self.chart_settings is not None
        root = self.root()
        if not copier.tree(root):
            return None
        for shown, data in self.values_bytes.items():
            copier.write(Path(shown), data)
        for path, data in edited.items():
            copier.write(path, data)
        top = copier.top
        run = replace(self.helm_run, cache=False, cwd=mirror(top, self.helm_run.cwd))
        helm = find_helm(self.helm_run) if self.helm_run.render else None
        if helm is None:
            return None
        place = replace(self.place, root=mirror(top, root))
        source = HelmSource(place, run, self.max_size, helm)
        source.chart_settings = replace(
            self.chart_settings, values=tuple(str(mirror(top, Path(v))) for v in self.chart_settings.values)
        )
        ready = source.prepare()
        if not isinstance(ready, tuple):
            return [ready]
        _, args, _ = ready
        return source.load_rendered(source.render(args, ""))

    def _kustomize(self, copier: _Copier, edited: Mapping[Path, bytes]) -> list[LoadedFile] | None:
        from hooklint.sources.kustomize import walk_tree
        from hooklint.sources.kustomize_source import load_kustomizations

        assert self.kustomize_run is not None
        base = self.cwd.resolve()
        tree = walk_tree(self.root(), base)
        for rel in sorted(tree.referenced):
            if not copier.file(base / rel):
                return None
        for path, data in edited.items():
            copier.write(path, data)
        top = copier.top
        run = self.kustomize_run
        if run.apps:
            run = replace(run, apps={mirror(top, folder): fields for folder, fields in run.apps.items()})
        place = replace(self.place, root=mirror(top, self.root()))
        cwd = mirror(top, self.cwd)
        return load_kustomizations([place], run, self.max_size, cwd, root=mirror(top, base))


def renderer_for_chart(place: SourceInput, run: HelmRun, max_size: int, cwd: Path) -> Renderer:
    """Record how ``place`` renders (called while its values files, some temporary, exist)."""
    settings = run.for_chart(place.root)
    values: dict[str, bytes] = {}
    for path in settings.values:
        try:
            values[str(Path(path).absolute())] = Path(path).read_bytes()
        except OSError:
            continue  # a missing values file: the render says so, and so does the re-render
    settings = replace(settings, values=tuple(str(Path(v).absolute()) for v in settings.values))
    return Renderer("helm", place, max_size, cwd, helm_run=run, chart_settings=settings, values_bytes=values)


def renderer_for_kustomize(place: SourceInput, run: KustomizeRun, max_size: int, cwd: Path) -> Renderer:
    return Renderer("kustomize", place, max_size, cwd, kustomize_run=run)
