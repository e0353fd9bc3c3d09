"""What ``hooklint check`` run from a workspace folder would read there, split into units.

A *unit* is what one edit can change on its own: a plain YAML file, or a folder Argo CD
renders (a Helm chart, a Kustomize folder nothing else in the workspace builds on), whose
rendered files all come from one render.  :class:`Index` is found by the same discovery as
``check`` (:func:`hooklint.engine.discover_all`: the walk, excludes, the configs'
``context``), once, and again when the server asks (a save, a watched-file event).

A file of a Kustomize tree belongs to every top folder whose kustomization reaches it (the
kustomization, its resources and patches: :func:`hooklint.sources.kustomize.walk_tree`), and to
the folder it is in (without kustomize, ``check`` lints a folder's own files raw); a folder
another one builds on is part of that one's app, as ``check`` reports it.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Callable, Collection, Iterable

from hooklint.config import ConfigResolver
from hooklint.engine import LintOptions, discover_all
from hooklint.sources.detect import HELM, KUSTOMIZATION_NAMES, KUSTOMIZE, SourceInput, enclosing_chart
from hooklint.sources.files import Excludes, InputFile, LoadedFile, Notice, display_path
from hooklint.values import dataclass, field

#: the group of a tree's kustomization files (``kustomize_source.KUSTOMIZATION_GROUP``: that
#: module is imported only to render)
KUSTOMIZATION_GROUP = "#kustomizations"

#: ("file", display) for a plain file, ("source", display) for a rendered folder
Unit = tuple[str, str]


@dataclass(frozen=True)
class Index:
    """The workspace's plain files and rendered folders, by display path (relative to the root)."""

    root: Path
    resolver: ConfigResolver
    excludes: Excludes
    plain: dict[str, InputFile]
    sources: dict[str, SourceInput]
    #: top Kustomize folders -> the display paths their kustomizations reference
    trees: dict[str, frozenset[str]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)

    @classmethod
    def build(cls, root: Path) -> Index:
        """Raises ConfigError for an invalid config, InputError for an unreadable root."""
        resolver = ConfigResolver()
        items, sources, notices, _ = discover_all(LintOptions((str(root),)), resolver, root, None)
        plain = {item.display: item for item in items}
        places = {place.display: place for place in sources}
        trees: dict[str, frozenset[str]] = {}
        kustomize = [place for place in sources if place.type == KUSTOMIZE]
        if kustomize:
            from hooklint.sources.kustomize import walk_tree

            for place in kustomize:
                folder = place.root if place.root.is_absolute() else root / place.root
                tree = walk_tree(folder, root)
                trees[place.display] = frozenset(_display(rel, root) for rel in tree.referenced)
            # a folder another one's kustomization reaches is built as part of that one (when
            # kustomize runs at all: else each folder's files are linted raw, as its own)
            from hooklint.sources.kustomize import find_tool

            used = (
                set()
                if find_tool() is None
                else {
                    other
                    for display, refs in trees.items()
                    for other in trees
                    if other != display and _kustomization_in(other, refs)
                }
            )
            for display in used:
                del trees[display]
        return cls(root, resolver, resolver.excludes(root, ()), plain, places, trees, notices)

    def units_of(self, path: Path) -> list[Unit]:
        """The units an edit of ``path`` changes (none: the workspace's walk does not read it)."""
        display = display_path(path, self.root)
        if display in self.plain:
            return [("file", display)]
        out: list[Unit] = []
        chart = enclosing_chart(path)
        if chart is not None:
            shown = display_path(chart, self.root) or "."
            place = self.sources.get(shown)
            if place is not None and place.type == HELM:
                out.append(("source", shown))
        # the folder's own files too: without kustomize, ``check`` lints them raw
        parent = posixpath.dirname(display) or "."
        out += [("source", shown) for shown, refs in self.trees.items() if display in refs or shown == parent]
        return out

    def owns(self, source: str, display: str) -> bool:
        """Is the file ``display`` part of the rendered folder ``source`` (in it, or reached by
        its kustomization)?"""
        refs = self.trees.get(source)
        return display.startswith(_prefix(source)) or (refs is not None and display in refs)

    def is_rendered(self, path: Path) -> bool:
        """Is ``path`` inside a folder the walk hands to a source (not read as a plain file)?"""
        absolute = os.path.abspath(path)
        for place in self.sources.values():
            folder = os.path.abspath(place.root if place.root.is_absolute() else self.root / place.root)
            if absolute.startswith(folder + os.sep):
                return True
        return False


@dataclass(frozen=True)
class Closure:
    """Which units one run reads, and which it reports (see :func:`closure`)."""

    near: frozenset[Unit]  # the changed units and the other units of their apps
    accepted: frozenset[str]  # the apps (group keys) the run sees whole
    wanted: frozenset[Unit]  # every unit the run reads
    complete: frozenset[Unit]  # the units all of whose apps the run sees whole: reported


def closure(
    start: Iterable[Unit],
    universe: Iterable[Unit],
    keys: Callable[[Unit], list[str]],
    rendered: Collection[str],
) -> Closure:
    """The apps of the changed units ``start`` (``keys``: the apps, i.e. manifest groups, a unit
    is in), their units, and the other apps those units are in when these need no render of
    their own (every source unit of it is among the first ones, or ``rendered`` already).  A
    unit is reported when the run sees all of its apps whole; the others are context."""
    starting = set(start)
    members: dict[str, list[Unit]] = {}
    for unit in universe:
        for key in keys(unit):
            members.setdefault(key, []).append(unit)
    first = {key for unit in starting for key in keys(unit)}
    near = starting | {unit for key in first for unit in members.get(key, ())}
    accepted = set(first)
    for key in {key for unit in near for key in keys(unit)} - first:
        if all(kind == "file" or (kind, d) in near or d in rendered for kind, d in members[key]):
            accepted.add(key)
    wanted = near | {unit for key in accepted for unit in members.get(key, ())}
    complete = {unit for unit in wanted if all(key in accepted for key in keys(unit))}
    return Closure(frozenset(near), frozenset(accepted), frozenset(wanted), frozenset(complete))


def is_kustomization(file: LoadedFile) -> bool:
    """Is this a kustomization file's documents (for HL011), not an app's objects?"""
    return (file.group or "").endswith(KUSTOMIZATION_GROUP)


def _display(rel: str, root: Path) -> str:
    """A repo-relative (or absolute) path of :func:`walk_tree` as a display path."""
    path = Path(rel)
    return display_path(path if path.is_absolute() else root / path, root)


def _prefix(display: str) -> str:
    return "" if display in ("", ".") else display.rstrip("/") + "/"


def _kustomization_in(folder: str, refs: frozenset[str]) -> bool:
    prefix = _prefix(folder)
    return any(f"{prefix}{name}" in refs for name in KUSTOMIZATION_NAMES)
