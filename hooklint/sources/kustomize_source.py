"""The Kustomize source: a folder holding a kustomization -> the objects ``kustomize build`` gives,
each finding pointing at the repository file and line that wrote the value.

:func:`hooklint.sources.kustomize.build` renders the folder through a wrapper kustomization that
stamps each object's origin; :func:`hooklint.sources.kustomize_locate.locate` maps a YAML path of
a rendered object to its source file (the resource, or the kustomization / patch that set the
value).  Here the two meet the provenance model: each rendered Document gets, on first use, a
PosMap whose marks point into those files (bits 48+ index ``Provenance.files``).

Documents are grouped into one ``LoadedFile`` per resource file (so suppression comments are those
of the file a finding lands in), all with ``group`` = the kustomization's folder: one app.  The
kustomization files of the tree are added as documents of their own group, for HL011.  Failures
are findings: a build error is one HL000 on the kustomization kustomize blames; a remote
reference is an HL000 at its line (never downloaded); no kustomize binary is a notice and the
folder's own files are linted raw.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from hooklint.model import Document, PosMap, SourceFile, mark_at
from hooklint.sources.detect import KUSTOMIZATION_GROUP, SourceInput
from hooklint.sources.files import (
    YAML_SUFFIXES,
    InputFile,
    LoadedFile,
    Notice,
    display_path,
    load_file,
    suppressions,
)
from hooklint.sources.kustomize import (
    DEFAULT_TIMEOUT,
    BuildError,
    BuildResult,
    HelmBinary,
    KustomizeBuild,
    KustomizeTool,
    NotAvailable,
    RemoteBlocked,
    RenderedObject,
    build,
    find_tool,
    helm_enabled,
    helm_for_kustomize,
    kustomization_file,
    safe_options,
)
from hooklint.sources.kustomize_edit import AppKustomize
from hooklint.sources.kustomize_locate import (
    Loader,
    ParsedFile,
    file_loader,
    locate,
    rendered_documents,
    virtual_name,
)
from hooklint.sources.provenance import Provenance, in_file
from hooklint.values import dataclass, field
from hooklint.yaml.reader import ParsedDocument, ParseProblem, pack

_NO_KEY = "\x00"  # a key no YAML mapping here has



@dataclass(frozen=True)
class KustomizeRun:
    """How to run kustomize for this run: the tool (None: not found), build options, helm."""

    tool: KustomizeTool | None
    options: tuple[str, ...] = ()
    helm: HelmBinary | None = None
    missing: str = "no kustomize binary: neither kustomize nor kubectl is on PATH"
    #: resolved folder -> the kustomize block of the Application rendering it
    apps: Mapping[Path, AppKustomize] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT
    #: where the build options come from, for the note on refused ones
    options_from: str = "the build options"

    @classmethod
    def of(
        cls,
        binary: str | None = None,
        options: Sequence[str] = (),
        helm: Sequence[str | None] = (),
        timeout: float | None = None,
        options_from: str = "the build options",
    ) -> KustomizeRun:
        """``helm``: candidate helm binaries for ``--enable-helm``, looked at only with that
        option (:func:`hooklint.sources.kustomize.helm_for_kustomize` prefers a Helm 3)."""
        tool = find_tool(binary)
        missing = f"kustomize not found ({binary})" if binary else cls.missing
        chosen = helm_for_kustomize(helm) if helm_enabled(options) else None
        timeout = timeout or DEFAULT_TIMEOUT
        return cls(tool, tuple(options), chosen, missing, timeout=timeout, options_from=options_from)

    def refused_notice(self, where: str) -> Notice | None:
        """A note naming the build options hooklint never passes, if any were given."""
        refused = safe_options(self.options)[1]
        if not refused:
            return None
        return Notice(
            where,
            f"kustomize build options not passed (they let a kustomization run programs): "
            f"{' '.join(refused)} (from {self.options_from})",
        )


@dataclass
class _Files:
    """The SourceFiles findings may land in, each read once (suppression comments included)."""

    root: Path
    cwd: Path
    by_rel: dict[str, SourceFile] = field(default_factory=dict)

    def display(self, rel: str) -> str:
        return display_path((self.root / rel).absolute(), self.cwd)

    def get(self, rel: str) -> SourceFile:
        found = self.by_rel.get(rel)
        if found is None:
            path = self.root / rel
            try:
                comments, ignore_file = suppressions(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                comments, ignore_file = {}, False
            found = self.by_rel[rel] = SourceFile(
                self.display(rel), comments, ignore_file
            )  # never fixed: rendered
        return found


@dataclass(frozen=True)
class _Resolve:
    """Computes a rendered document's positions on first use (most objects get no finding)."""

    obj: RenderedObject
    own: str  # repo-relative path of the document's file (index 0)
    load: Loader
    files: _Files
    fallback: int  # mark used where kustomize gives no origin: the kustomization's start
    first: Mapping[str, str] = field(default_factory=dict)  # see kustomize_locate.locate

    def __call__(self, doc: Any) -> tuple[PosMap, Provenance]:
        index: dict[str, int] = {}
        extra: list[SourceFile] = []
        root: dict[str, Any] = doc.root

        def mark(path: tuple[str | int, ...]) -> int:
            spot = locate(self.obj, root, path, self.load, self.first)
            if spot is None:
                return self.fallback
            packed = pack(max(spot.line - 1, 0), max(spot.column - 1, 0))
            if spot.path == self.own:
                return packed
            number = index.get(spot.path)
            if number is None:
                extra.append(self.files.get(spot.path))
                number = index[spot.path] = len(extra)
            return in_file(packed, number)

        def walk(value: Any, path: tuple[str | int, ...]) -> PosMap | None:
            if isinstance(value, dict):
                entries: dict[Any, tuple[int, int, PosMap | None, int, int]] = {}
                for key, child in value.items():
                    here = (*path, key)
                    # locate() gives a value's spot for a path that exists, and the key of the
                    # deepest existing step for one that does not: one step below is the key
                    entries[key] = (mark((*here, _NO_KEY)), mark(here), walk(child, here), 0, 0)
                return PosMap(mark(path), entries)
            if isinstance(value, list):
                return PosMap(
                    mark(path), [(mark((*path, n)), walk(v, (*path, n)), 0) for n, v in enumerate(value)]
                )
            return None

        positions = walk(root, ())
        assert positions is not None  # the root is a mapping
        return positions, Provenance(files=tuple(extra))


def load_kustomizations(
    places: Sequence[SourceInput],
    run: KustomizeRun,
    max_size: int,
    cwd: Path,
    root: Path | None = None,
    jobs: int = 1,
) -> list[LoadedFile]:
    """Every Kustomize folder's rendered objects (or its failure), in order; never raises.
    The builds run on up to ``jobs`` threads (kustomize is a separate process)."""
    root = (root or cwd).resolve()
    files = _Files(root, cwd)
    load = file_loader(root)
    seen_kustomizations: set[str] = set()
    builds = _builds(places, run, cwd, root, load, jobs)
    refused = run.refused_notice(places[0].display) if places else None
    done = [
        _one(place, run, max_size, cwd, root, files, load, seen_kustomizations, result)
        for place, result in zip(places, builds, strict=True)
    ]
    # A folder another one builds on (a base of an overlay, a component) is part of that app:
    # built alone too, its objects would be reported twice, once per app.
    used: dict[Path, str] = {}
    for place, (_, folders) in zip(places, done, strict=True):
        for folder in folders:
            used.setdefault(folder, place.display)
    out: list[LoadedFile] = []
    if refused is not None:
        first = places[0]
        out.append(LoadedFile(SourceFile(first.display), notices=[refused], is_target=first.is_target))
    for place, (loaded, _) in zip(places, done, strict=True):
        folder = (place.root if place.root.is_absolute() else cwd / place.root).resolve()
        owner = used.get(folder)
        if owner is not None and owner != place.display:
            kept = [f for f in loaded if f.group is not None and f.group.endswith(KUSTOMIZATION_GROUP)]
            note = Notice(place.display, f"built as part of {owner}, which uses it", verbose=True)
            out += [*kept, LoadedFile(SourceFile(place.display), notices=[note], is_target=place.is_target)]
        else:
            out += loaded
    return out


def _builds(
    places: Sequence[SourceInput], run: KustomizeRun, cwd: Path, root: Path, load: Loader, jobs: int
) -> list[BuildResult | None]:
    """Each place's build (None for a Component, which is not built alone)."""

    def one(place: SourceInput) -> BuildResult | None:
        folder = place.root if place.root.is_absolute() else cwd / place.root
        kfile = kustomization_file(folder)
        if kfile is not None and _is_component(load(files_rel(kfile, root))):
            return None
        return build(
            folder,
            root,
            run.tool,
            run.options,
            timeout=run.timeout,
            helm=run.helm,
            app=run.apps.get(folder.resolve()),
        )

    if jobs > 1 and len(places) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(jobs, len(places))) as pool:
            return list(pool.map(one, places))
    return [one(place) for place in places]


def _one(
    place: SourceInput,
    run: KustomizeRun,
    max_size: int,
    cwd: Path,
    root: Path,
    files: _Files,
    load: Loader,
    seen: set[str],
    result: BuildResult | None,
) -> tuple[list[LoadedFile], set[Path]]:
    """The place's files, and the other folders its build used (resolved)."""
    folder = place.root if place.root.is_absolute() else cwd / place.root
    kfile = kustomization_file(folder)
    group = place.display
    out: list[LoadedFile] = []
    kustomizations = [kfile] if kfile is not None else []
    is_target = _target_test(place, result, files)
    if result is None:
        # a Component is no app: kustomize refuses to build one alone; what uses it builds it
        # (then these raw files are dropped), else its files are linted raw
        for path in kustomizations:
            out += _kustomization_documents(path, files, load, root, is_target, seen)
        note = "a Component no kustomization of this run uses: linted its files raw"
        return out + _raw(folder, place, cwd, max_size, note, verbose=True, is_target=is_target), set()
    used: set[Path] = set()
    if isinstance(result, KustomizeBuild):
        own = folder.resolve()
        for obj in result.objects:
            for rel in (obj.origin.path, *obj.origin.kustomizations):
                if rel:
                    parent = (root / rel).resolve().parent
                    if parent != own:
                        used.add(parent)
        app = run.apps.get(folder.resolve())
        out += _rendered(result, place, files, load, group, is_target, app, root)
        if result.note:
            out.append(LoadedFile(SourceFile(place.display), notices=[Notice(place.display, result.note)]))
        kustomizations += [root / rel for obj in result.objects for rel in obj.origin.kustomizations if rel]
        if result.unreferenced:
            shown = ", ".join(files.display(rel).rpartition("/")[2] for rel in result.unreferenced)
            out.append(
                LoadedFile(
                    SourceFile(place.display),
                    notices=[
                        Notice(
                            place.display,
                            f"not referenced by the kustomization, not linted: {shown}",
                            verbose=True,
                        )
                    ],
                    is_target=place.is_target and place.named is None,
                    group=group,
                )
            )
    elif isinstance(result, BuildError):
        message, mark = _explain(result.message, load(result.file))
        blamed = result.file
        app = run.apps.get(folder.resolve())
        if result.application_path and isinstance(app, AppKustomize) and app.origin is not None:
            blamed = files_rel(app.origin.path, root)  # the Application's value Argo CD cannot apply
            mark = mark_at(app.origin.positions, result.application_path, key=True)[0]
        out.append(_problem(files, blamed, f"kustomize build failed: {message}", mark, place, group))
    elif isinstance(result, RemoteBlocked):
        for remote in result.remotes:
            message = (
                f'remote {remote.field} entry "{remote.entry}" is not downloaded: the kustomization '
                "was not rendered (lint a local checkout, or map the repository with --repo)"
            )
            mark = pack(max(remote.line - 1, 0), max(remote.column - 1, 0))
            out.append(_problem(files, remote.file, message, mark, place, group))
    elif isinstance(result, NotAvailable):
        reason = run.missing if run.tool is None else result.reason
        note = f"{reason}: linted the folder's files raw"
        out += _raw(folder, place, cwd, max_size, note, is_target=is_target)
    if isinstance(result, (BuildError, RemoteBlocked)):  # Argo CD fails the app; its files still tell
        note = "not rendered: linted the folder's files raw"
        out += _raw(folder, place, cwd, max_size, note, verbose=True, is_target=is_target)
    for path in dict.fromkeys(kustomizations):
        out += _kustomization_documents(path, files, load, root, is_target, seen)
    return out, used


def _target_test(place: SourceInput, result: BuildResult | None, files: _Files) -> Callable[[str], bool]:
    """Which display paths of the place are targets.  Files named inside the folder (pre-commit)
    are its only targets when each is the resource file of a rendered object; a named
    kustomization, patch or generator input changes the whole build: then all of it is."""
    if not place.is_target:
        return lambda display: False
    named = place.named
    if named is None:
        return lambda display: True
    if isinstance(result, KustomizeBuild):
        resources = {files.display(obj.origin.path) for obj in result.objects if obj.origin.path}
        if not named <= resources:
            return lambda display: True
    return lambda display: display in named


def _rendered(
    result: KustomizeBuild,
    place: SourceInput,
    files: _Files,
    load: Loader,
    group: str,
    is_target: Callable[[str], bool],
    app: AppKustomize | None = None,
    root: Path | None = None,
) -> list[LoadedFile]:
    by_file: dict[str, LoadedFile] = {}
    load, first = _with_application(result, load, app, root)
    for doc, obj in rendered_documents(result, place.display, place.is_target):
        own = obj.origin.path or obj.origin.configured_in or result.kustomization
        source = files.get(own)
        loaded = by_file.get(own)
        target = is_target(source.path)
        doc.is_target = target
        if loaded is None:
            loaded = by_file[own] = LoadedFile(source, is_target=target, group=group)
        resolve = _Resolve(obj, own, load, files, 0, first)
        doc.file = source
        doc.provenance = Provenance(resolve=resolve)
        loaded.documents.append(doc)
    return list(by_file.values())


def _with_application(
    result: KustomizeBuild, load: Loader, app: AppKustomize | None, root: Path | None
) -> tuple[Loader, dict[str, str]]:
    """The loader, and :func:`locate`'s ``first``: with an Application's kustomize block, its
    fields as a virtual kustomization in the Application's file, tried before the folder's."""
    if app is None or app.origin is None or root is None:
        return load, {}
    rel = files_rel(app.origin.path, root)
    parsed = load(rel)
    if parsed is None:
        return load, {}
    name = virtual_name(rel, "kustomize")
    folder = result.kustomization.rpartition("/")[0]
    document = ParsedDocument(0, dict(app.fields), app.origin.positions, app.origin.positions.start)
    virtual = ParsedFile(parsed.text, (document,), base=folder)

    def with_virtual(wanted: str) -> ParsedFile | None:
        return virtual if wanted == name else load(wanted)

    return with_virtual, {result.kustomization: name}


def _raw(
    folder: Path,
    place: SourceInput,
    cwd: Path,
    max_size: int,
    note: str,
    verbose: bool = False,
    is_target: Callable[[str], bool] | None = None,
) -> list[LoadedFile]:
    """The folder's own YAML files as plain files, as before Kustomize rendering, with a note."""
    out = [
        LoadedFile(
            SourceFile(place.display),
            notices=[Notice(place.display, note, verbose=verbose)],
            is_target=place.is_target,
        )
    ]
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return out
    for path in entries:
        if path.is_file() and path.name.endswith(YAML_SUFFIXES) and not path.name.startswith("."):
            shown = display_path(path.absolute(), cwd)
            target = is_target(shown) if is_target is not None else place.is_target
            out.append(load_file(InputFile(path, shown, target), max_size))
    return out


def files_rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (POSIX), or absolute when outside it."""
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


def _is_component(parsed: ParsedFile | None) -> bool:
    docs = parsed.documents if parsed is not None else ()
    return bool(docs) and isinstance(docs[0].value, dict) and docs[0].value.get("kind") == "Component"


#: kustomize's error for a ``resources:`` entry that is not there (wrapped in its accumulation text)
_MISSING = re.compile(
    r"accumulating resources from '(?P<entry>[^']+)': evalsymlink failure on '[^']*' : "
    r"lstat [^:]*: no such file or directory"
)


def _explain(message: str, parsed: ParsedFile | None) -> tuple[str, int]:
    """A shorter message for the common failures, and the mark of the entry it is about."""
    missing = _MISSING.search(message)
    if missing is None:
        return message, _field_mark(parsed, _FIELD_OF_ERROR) if "helm" in message.lower() else 0
    entry = missing.group("entry")
    short = f'resources entry "{entry}" does not exist'
    if parsed is not None:
        for number, line in enumerate(parsed.text.splitlines()):
            column = line.find(entry)
            if column >= 0 and line.lstrip().startswith(("-", "resources:", "bases:", "components:")):
                return short, pack(number, column)
    return short, 0


#: the kustomization field a failure about helm is about
_FIELD_OF_ERROR = "helmCharts"


def _field_mark(parsed: ParsedFile | None, key: str) -> int:
    """The mark of ``key`` in the kustomization, else 0 (its start)."""
    if parsed is None or not parsed.documents or parsed.documents[0].positions is None:
        return 0
    entries = parsed.documents[0].positions.entries
    entry = entries.get(key) if isinstance(entries, dict) else None
    return entry[0] if entry is not None else 0


def _problem(files: _Files, rel: str, message: str, mark: int, place: SourceInput, group: str) -> LoadedFile:
    return LoadedFile(
        files.get(rel),
        problems=[ParseProblem(message, mark, 0, False)],
        is_target=place.is_target,
        group=group,
    )


def _kustomization_documents(
    path: Path, files: _Files, load: Loader, root: Path, targets: Callable[[str], bool], seen: set[str]
) -> list[LoadedFile]:
    """A kustomization file as documents (the loader drops ``kind: Kustomization``), for HL011."""
    rel = files_rel(path, root)
    if rel in seen:
        return []
    seen.add(rel)
    parsed = load(rel)
    source = files.get(rel)
    if parsed is None:
        return []
    is_target = targets(source.path)
    documents = [
        Document(source, doc.index, doc.value, doc.positions, is_target)
        for doc in parsed.documents
        if isinstance(doc.value, dict) and doc.positions is not None
    ]
    return [LoadedFile(source, documents, is_target=is_target, group=source.path + KUSTOMIZATION_GROUP)]
