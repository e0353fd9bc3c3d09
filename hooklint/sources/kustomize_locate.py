"""Map a YAML path in a kustomize-rendered object back to the line a user edits.

kustomize's origin annotation names the resource file; its transformation annotation names, in
the order they ran, the transformers (and their kustomization) that touched the object.  A value
set by a transformer is found in that kustomization (a ``commonAnnotations`` entry, a patch,
``namespace:``, ``namePrefix``, ...); walking the transformers from the last one back, the first
that sets the path wins, since later transformers overwrite earlier ones.  Otherwise the value is
in the resource file, located with the positions hooklint's reader keeps.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from hooklint.model import Document, PosMap, YamlPath, mark_at, position_steps
from hooklint.sources.files import load_bytes
from hooklint.sources.kustomize import KustomizeBuild, Origin, RenderedObject
from hooklint.values import dataclass
from hooklint.yaml.reader import ParsedDocument, parse_yaml


@dataclass(frozen=True)
class ParsedFile:
    """A file's text and its YAML documents (values and positions).  ``base``: the folder the
    file's relative paths are relative to, when not its own (an Application's kustomize block)."""

    text: str
    documents: tuple[ParsedDocument, ...]
    base: str | None = None


#: Joins a file's path and the name of a virtual file in it (see :func:`virtual_name`).
_VIRTUAL = "\0"


def virtual_name(rel: str, what: str) -> str:
    """A loader name for a part of the file ``rel`` read as a file of its own (an Application's
    ``kustomize:`` block read as kustomization fields); spots in it are reported in ``rel``."""
    return f"{rel}{_VIRTUAL}{what}"


#: repo-relative POSIX path -> the parsed file, or None when it cannot be read.
Loader = Callable[[str], "ParsedFile | None"]


@dataclass(frozen=True)
class SourceSpot:
    """A 1-based line and column in ``path`` (repo-relative); ``via`` says what put the value there:
    ``resource``, ``commonAnnotations``, ``commonLabels``, ``labels``, ``namespace``, ``namePrefix``,
    ``nameSuffix``, ``patch``, ``replicas``, ``images``, ``generator``."""

    path: str
    line: int
    column: int
    via: str


def file_loader(repo_root: Path) -> Loader:
    """A caching loader reading files under ``repo_root`` (each file read and parsed once)."""

    @functools.cache
    def load(rel: str) -> ParsedFile | None:
        try:
            text = (repo_root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        docs, _ = parse_yaml(text)
        return ParsedFile(text, tuple(docs))

    return load


def locate(
    obj: RenderedObject,
    rendered: dict[str, Any],
    path: YamlPath,
    load: Loader,
    first: Mapping[str, str] | None = None,
) -> SourceSpot | None:
    """Where the value at ``path`` of the rendered object ``rendered`` comes from, or None when
    kustomize gave no origin (the caller then points at the kustomization).

    ``first``: kustomization -> a (virtual) file whose fields were edited into it, looked at
    before it (an Application's ``kustomize:`` block: what it sets wins)."""
    origin = obj.origin
    done: set[tuple[str, str]] = set()
    for step in reversed(origin.transformations):
        group = _GROUPS.get(step.kind)
        if group is None or (step.configured_in, group) in done:
            continue
        done.add((step.configured_in, group))
        edited = first.get(step.configured_in) if first else None
        for rel in (edited, step.configured_in) if edited else (step.configured_in,):
            parsed = load(rel)
            if parsed is None or not parsed.documents:
                continue
            spot = _BY_GROUP[group](rel, parsed, rendered, path, load)
            if spot is not None:
                return _real(spot)
    if origin.path:
        return _in_resource(origin.path, obj, rendered, path, load)
    if origin.configured_in:
        return _in_generator(origin, rendered, load)
    return None


# -- the resource file -------------------------------------------------------------------------------
def _real(spot: SourceSpot) -> SourceSpot:
    path = spot.path.partition(_VIRTUAL)[0]
    return spot if path == spot.path else SourceSpot(path, spot.line, spot.column, spot.via)


def _in_resource(
    rel: str, obj: RenderedObject, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    parsed = load(rel)
    if parsed is None:
        return None
    candidates = [d for d in parsed.documents if isinstance(d.value, dict) and d.positions is not None]
    same_kind = [d for d in candidates if d.value.get("kind") == obj.kind]
    doc = _best_named(same_kind, obj.name) or (same_kind[0] if len(same_kind) == 1 else None)
    if doc is None or doc.positions is None:
        return None
    mark = deepest_mark(doc.positions, path)
    return _spot(rel, mark, "resource")


def _best_named(docs: Sequence[ParsedDocument], rendered_name: str) -> ParsedDocument | None:
    """The document whose name the rendered name came from: equal, else the longest one that a
    prefix/suffix could have turned into the rendered name."""
    best: ParsedDocument | None = None
    best_len = -1
    for doc in docs:
        meta = doc.value.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        if not isinstance(name, str):
            continue
        if name == rendered_name:
            return doc
        if name in rendered_name and len(name) > best_len:
            best, best_len = doc, len(name)
    return best


def deepest_mark(positions: PosMap, path: YamlPath) -> int:
    """The packed mark of the value at ``path``, else of the key of the deepest existing step
    (where the user types the fix), else the document start: :meth:`Document.locate`'s rule."""
    return mark_at(positions, path)[0]


def _exact_mark(positions: PosMap | None, path: YamlPath, *, key: bool = True) -> int | None:
    """The mark of the key (or the item) at ``path`` when the whole path exists, else None."""
    steps = position_steps(positions, path)
    if not path or len(steps) != len(path):
        return None
    kmark, vmark = steps[-1][:2]
    return kmark if key else vmark


def _spot(rel: str, mark: int, via: str) -> SourceSpot:
    return SourceSpot(rel, (mark >> 24) + 1, (mark & 0xFFFFFF) + 1, via)


# -- what a kustomization sets ---------------------------------------------------------------------
def _root(parsed: ParsedFile) -> tuple[dict[str, Any], PosMap] | None:
    doc = parsed.documents[0]
    if isinstance(doc.value, dict) and doc.positions is not None:
        return doc.value, doc.positions
    return None


def _annotations(
    rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    root = _root(parsed)
    if root is None or len(path) != 3 or path[:2] != ("metadata", "annotations"):
        return None
    mark = _exact_mark(root[1], ("commonAnnotations", path[2]))
    return None if mark is None else _spot(rel, mark, "commonAnnotations")


def _labels(
    rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    root = _root(parsed)
    if root is None or len(path) != 3 or path[:2] != ("metadata", "labels"):
        return None
    data, positions = root
    mark = _exact_mark(positions, ("commonLabels", path[2]))
    if mark is not None:
        return _spot(rel, mark, "commonLabels")
    labels = data.get("labels")
    if isinstance(labels, list):
        for number in range(len(labels)):
            mark = _exact_mark(positions, ("labels", number, "pairs", path[2]))
            if mark is not None:
                return _spot(rel, mark, "labels")
    return None


def _field(field: str, wanted: YamlPath) -> Callable[..., SourceSpot | None]:
    def find(
        rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
    ) -> SourceSpot | None:
        root = _root(parsed)
        if root is None or tuple(path) != wanted:
            return None
        mark = _exact_mark(root[1], (field,))
        return None if mark is None else _spot(rel, mark, field)

    return find


def _replicas(
    rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    root = _root(parsed)
    if root is None or tuple(path) != ("spec", "replicas"):
        return None
    data, positions = root
    name = _name(rendered)
    for number, item in enumerate(data.get("replicas") or ()):
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"] in name:
            mark = _exact_mark(positions, ("replicas", number))
            if mark is not None:
                return _spot(rel, mark, "replicas")
    return None


def _images(
    rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    root = _root(parsed)
    if root is None or not path or path[-1] != "image":
        return None
    value = _get(rendered, path)
    if not isinstance(value, str):
        return None
    data, positions = root
    for number, item in enumerate(data.get("images") or ()):
        if not isinstance(item, dict):
            continue
        image = item.get("newName") or item.get("name")
        tag = item.get("newTag") or item.get("digest")
        if (
            isinstance(image, str)
            and value.startswith(image)
            and (not isinstance(tag, str) or value.endswith(tag))
        ):
            mark = _exact_mark(positions, ("images", number))
            if mark is not None:
                return _spot(rel, mark, "images")
    return None


def _patches(
    rel: str, parsed: ParsedFile, rendered: dict[str, Any], path: YamlPath, load: Loader
) -> SourceSpot | None:
    """The last patch of this kustomization that targets the object and sets ``path``."""
    root = _root(parsed)
    if root is None:
        return None
    data, positions = root
    base = parsed.base if parsed.base is not None else rel.rpartition("/")[0]
    found: SourceSpot | None = None
    for patch in _patch_entries(data, positions):
        target, inline, file_ref, entry_path = patch
        if target is not None and not _targets(target, rendered):
            continue
        if inline is not None:
            spot = _in_inline_patch(rel, parsed, entry_path, inline, rendered, path, target is not None)
        elif file_ref is not None:
            patch_rel = f"{base}/{file_ref}" if base else file_ref
            spot = _in_patch_file(_normalise(patch_rel), rendered, path, target is not None, load)
        else:
            spot = None
        if spot is not None:
            found = spot
    return found


def _patch_entries(
    data: dict[str, Any], positions: PosMap
) -> Iterator[tuple[Any, str | None, str | None, YamlPath]]:
    """(target or None, inline text, file path, YAML path of the inline text) for every patch."""
    for number, item in enumerate(data.get("patchesStrategicMerge") or ()):
        if isinstance(item, str):
            if "\n" in item:
                yield None, item, None, ("patchesStrategicMerge", number)
            else:
                yield None, None, item.strip(), ()
    for key in ("patches", "patchesJson6902"):
        for number, item in enumerate(data.get(key) or ()):
            if not isinstance(item, dict):
                continue
            target = item.get("target") if isinstance(item.get("target"), dict) else None
            if key == "patchesJson6902":
                target = target or {}
            if isinstance(item.get("patch"), str):
                yield target, item["patch"], None, (key, number, "patch")
            elif isinstance(item.get("path"), str):
                yield target, None, item["path"], ()


def _targets(target: dict[str, Any], rendered: dict[str, Any]) -> bool:
    kind = target.get("kind")
    name = target.get("name")
    if isinstance(kind, str) and kind and kind != rendered.get("kind"):
        return False
    return not (isinstance(name, str) and name and name not in _name(rendered))


def _in_inline_patch(
    rel: str,
    parsed: ParsedFile,
    entry: YamlPath,
    text: str,
    rendered: dict[str, Any],
    path: YamlPath,
    has_target: bool,
) -> SourceSpot | None:
    root = _root(parsed)
    if root is None:
        return None
    value_mark = _exact_mark(root[1], entry, key=False)
    if value_mark is None:
        return None
    found = _mark_in_patch(text, rendered, path, has_target)
    if found is None:
        return None
    line, column = found
    lines = parsed.text.splitlines()
    start = value_mark >> 24
    raw = lines[start] if start < len(lines) else ""
    if raw[(value_mark & 0xFFFFFF) :].lstrip().startswith(("|", ">")):
        start += 1  # a block scalar: its text starts on the next line
        while start < len(lines) and not lines[start].strip():
            start += 1
        indent = len(lines[start]) - len(lines[start].lstrip()) if start < len(lines) else 0
        return SourceSpot(rel, start + line + 1, indent + column + 1, "patch")
    return SourceSpot(rel, start + 1, (value_mark & 0xFFFFFF) + 1, "patch")


def _in_patch_file(
    rel: str, rendered: dict[str, Any], path: YamlPath, has_target: bool, load: Loader
) -> SourceSpot | None:
    parsed = load(rel)
    if parsed is None:
        return None
    for doc in parsed.documents:
        if doc.positions is None:
            continue
        if isinstance(doc.value, list):  # JSON 6902 operations
            mark = _op_mark(doc.value, doc.positions, path)
        elif isinstance(doc.value, dict) and _same_object(doc.value, rendered, has_target):
            mark = _exact_mark(doc.positions, path)
        else:
            mark = None
        if mark is not None:
            return _spot(rel, mark, "patch")
    return None


def _mark_in_patch(
    text: str, rendered: dict[str, Any], path: YamlPath, has_target: bool
) -> tuple[int, int] | None:
    """0-based (line, column) inside an inline patch's text, or None."""
    docs, _ = parse_yaml(text)
    for doc in docs:
        if doc.positions is None:
            continue
        if isinstance(doc.value, list):
            mark = _op_mark(doc.value, doc.positions, path)
        elif isinstance(doc.value, dict) and _same_object(doc.value, rendered, has_target):
            mark = _exact_mark(doc.positions, path)
        else:
            mark = None
        if mark is not None:
            return mark >> 24, mark & 0xFFFFFF
    return None


def _same_object(patch: dict[str, Any], rendered: dict[str, Any], has_target: bool) -> bool:
    """A strategic-merge patch applies to the objects of its kind and name (unless a target says)."""
    if has_target:
        return True
    name = _name(patch)
    return patch.get("kind") == rendered.get("kind") and bool(name) and name in _name(rendered)


def _op_mark(ops: list[Any], positions: PosMap, path: YamlPath) -> int | None:
    """The mark of the last JSON-6902 operation writing ``path`` or a parent of it."""
    pointer = "/" + "/".join(str(s).replace("~", "~0").replace("/", "~1") for s in path)
    found: int | None = None
    for number, op in enumerate(ops):
        if not isinstance(op, dict) or op.get("op") not in ("add", "replace", "copy", "move"):
            continue
        target = op.get("path")
        if isinstance(target, str) and (pointer == target or pointer.startswith(target.rstrip("/") + "/")):
            found = _exact_mark(positions, (number, "path"))
    return found


def _in_generator(origin: Origin, rendered: dict[str, Any], load: Loader) -> SourceSpot | None:
    parsed = load(origin.configured_in)
    if parsed is None or not parsed.documents:
        return None
    root = _root(parsed)
    if root is None:
        return None
    data, positions = root
    name = _name(rendered)
    for key in ("configMapGenerator", "secretGenerator"):
        for number, item in enumerate(data.get(key) or ()):
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"] in name:
                mark = _exact_mark(positions, (key, number))
                if mark is not None:
                    return _spot(origin.configured_in, mark, "generator")
    charts = data.get("helmCharts")
    if origin.configured_by == "HelmChartInflationGenerator" and isinstance(charts, list) and charts:
        number = next((i for i, c in enumerate(charts) if isinstance(c, dict) and _chart_named(c, name)), 0)
        mark = _exact_mark(positions, ("helmCharts", number))
        if mark is not None:
            return _spot(origin.configured_in, mark, "generator")
    return _spot(origin.configured_in, positions.start, "generator")


def _chart_named(chart: dict[str, Any], rendered_name: str) -> bool:
    release = chart.get("releaseName") or chart.get("name")
    return isinstance(release, str) and bool(release) and release in rendered_name


# -- helpers ------------------------------------------------------------------------------------------
def _name(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return name if isinstance(name, str) else ""


def _get(obj: Any, path: YamlPath) -> Any:
    for step in path:
        if isinstance(obj, dict) and isinstance(step, str):
            obj = obj.get(step)
        elif isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj):
            obj = obj[step]
        else:
            return None
    return obj


def _normalise(rel: str) -> str:
    parts: list[str] = []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


_Finder = Callable[[str, ParsedFile, dict[str, Any], YamlPath, Loader], "SourceSpot | None"]

#: Transformer kinds (as kustomize names them in the transformation annotation) -> what to read.
_GROUPS = {
    "AnnotationsTransformer": "annotations",
    "LabelTransformer": "labels",
    "NamespaceTransformer": "namespace",
    "PrefixTransformer": "prefix",
    "SuffixTransformer": "suffix",
    "PrefixSuffixTransformer": "prefix",
    "PatchTransformer": "patches",
    "PatchStrategicMergeTransformer": "patches",
    "PatchJson6902Transformer": "patches",
    "ReplicaCountTransformer": "replicas",
    "ImageTagTransformer": "images",
}
_BY_GROUP: dict[str, _Finder] = {
    "annotations": _annotations,
    "labels": _labels,
    "namespace": _field("namespace", ("metadata", "namespace")),
    "prefix": _field("namePrefix", ("metadata", "name")),
    "suffix": _field("nameSuffix", ("metadata", "name")),
    "patches": _patches,
    "replicas": _replicas,
    "images": _images,
}


def rendered_documents(
    build: KustomizeBuild, display: str, is_target: bool = True
) -> list[tuple[Document, RenderedObject]]:
    """The build's objects as hooklint Documents (read from ``build.text`` under the name
    ``display``), each with its RenderedObject, for :func:`locate`.  kustomize prints one object
    per YAML document, in ``build.objects`` order, so document indexes pair them."""
    loaded = load_bytes(build.text.encode("utf-8"), display, is_target)
    by_index = {obj.index: obj for obj in build.objects}
    return [(doc, by_index[doc.index]) for doc in loaded.documents if doc.index in by_index]
