"""Render a Kustomize folder with the real kustomize, as Argo CD does, keeping each object's origin.

The folder is built through a temporary *wrapper* kustomization (``resources:`` a relative path
to the folder, ``buildMetadata: [originAnnotations, transformerAnnotations]``), so kustomize
stamps every object with the file it came from and the kustomizations that transformed it,
without touching the user's tree.  Both annotations are stripped from the returned text.

Untrusted input: ``--enable-alpha-plugins``, ``--enable-exec`` and ``--enable-star`` are never
passed (KRM exec functions run arbitrary programs); remote ``resources:`` (URLs, also files
loaded over HTTP) are reported, never downloaded: kustomize does not even run then, and it
runs with an empty ``PATH`` (no ``git`` to clone with), a private temporary ``HOME`` and XDG
folders, and a timeout.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, Union

from hooklint.sources.kustomize_edit import AppKustomize, EditError, Mirror, edit, mirror
from hooklint.values import dataclass
from hooklint.yaml.reader import parse_yaml

#: The file names that make a folder a Kustomize app (Argo CD ``KustomizationNames``,
#: util/kustomize/kustomize.go), in kustomize's own lookup order.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
TRANSFORMATIONS_ANNOTATION = "alpha.config.kubernetes.io/transformations"
_STRIPPED = (ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION)
#: The buildMetadata entries the wrapper adds to stamp those two annotations.
_STAMPS = ("originAnnotations", "transformerAnnotations")
_BUILD_METADATA = ("managedByLabel", *_STAMPS)

#: Flags that let a kustomization run programs: refused whatever the configuration says.
REFUSED_FLAGS = ("--enable-alpha-plugins", "--enable-exec", "--enable-star")

DEFAULT_TIMEOUT = 60.0

#: A kustomize remote target: a URL, scp-like git, or a bare ``host.tld/org/repo`` form
#: kustomize would try to clone (api/internal/git/repospec.go).
_REMOTE_RE = re.compile(
    r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://|git@|git::|[\w.-]+@[\w.-]+:"
    r"|(?:github\.com|gitlab\.com|bitbucket\.org|ssh\.dev\.azure\.com|dev\.azure\.com)/)"
)
#: ``resources:``-like fields: local files, local kustomization folders, or remote targets.
_TREE_FIELDS = ("resources", "bases", "components")
#: Fields whose entries are files kustomize loads (its loader fetches http(s) URLs).
_FILE_LIST_FIELDS = (
    "crds",
    "configurations",
    "patchesStrategicMerge",
    "generators",
    "transformers",
    "validators",
)


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KustomizeTool:
    """How to run kustomize: ``argv`` + ``[folder, *options]``."""

    argv: tuple[str, ...]

    @property
    def display(self) -> str:
        return " ".join(self.argv)


@dataclass(frozen=True)
class Transformation:
    """One transformer that ran on an object: the kustomization that configured it, and its kind
    (``AnnotationsTransformer``, ``PatchTransformer``, ``NamespaceTransformer``, ...)."""

    configured_in: str  # repo-relative POSIX path
    kind: str


@dataclass(frozen=True)
class Origin:
    """Where kustomize says a rendered object comes from.

    ``path`` is the resource file (repo-relative, POSIX); for generated objects it is empty and
    ``configured_in`` / ``configured_by`` name the kustomization and generator kind.
    ``transformations`` lists, in the order they ran, the transformers that touched the object.
    """

    path: str = ""
    configured_in: str = ""
    configured_by: str = ""
    transformations: tuple[Transformation, ...] = ()

    @property
    def kustomizations(self) -> tuple[str, ...]:
        """The kustomization files that transformed the object, innermost first, each once."""
        seen: dict[str, None] = {}
        for step in self.transformations:
            seen.setdefault(step.configured_in, None)
        return tuple(seen)


@dataclass(frozen=True)
class RenderedObject:
    """One object of the build: its document index in ``KustomizeBuild.text`` and its origin."""

    index: int
    api_version: str
    kind: str
    name: str
    namespace: str
    origin: Origin


@dataclass(frozen=True)
class KustomizeBuild:
    """A successful build."""

    kustomization: str  # repo-relative path of the folder's kustomization file
    text: str  # the rendered YAML, origin/transformation annotations stripped
    objects: tuple[RenderedObject, ...]
    unreferenced: tuple[str, ...]  # YAML files in the folder no kustomization references
    refused_options: tuple[str, ...] = ()
    note: str = ""  # how the build differs from Argo CD's, if it does


@dataclass(frozen=True)
class BuildError:
    """kustomize failed: ``file`` is the kustomization to blame, ``message`` its first error line."""

    file: str
    message: str
    refused_options: tuple[str, ...] = ()
    #: the YAML path, in the Application's kustomize block, of the value Argo CD cannot apply
    application_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoteResource:
    """A reference kustomize would download. ``line``/``column`` are 1-based, in ``file``."""

    file: str
    field: str
    entry: str
    line: int
    column: int


@dataclass(frozen=True)
class RemoteBlocked:
    """The build was not run: the tree references remote content."""

    remotes: tuple[RemoteResource, ...]


@dataclass(frozen=True)
class NotAvailable:
    """No kustomize binary: the caller lints the folder raw and says so."""

    reason: str


BuildResult = Union[KustomizeBuild, BuildError, RemoteBlocked, NotAvailable]


# -- the helm kustomize runs for helmCharts (--enable-helm) -------------------------------------
@dataclass(frozen=True)
class HelmBinary:
    """A helm binary and its version (``v3.17.3``; empty when ``helm version`` said nothing)."""

    path: str
    version: str

    @property
    def major(self) -> int:
        match = re.match(r"v?(\d+)\.", self.version)
        return int(match.group(1)) if match else 0


@functools.lru_cache(maxsize=16)
def _helm_version(path: str, stamp: tuple[int, int]) -> str:
    """``helm version --short`` of ``path`` (cached by the file's mtime and size)."""
    with tempfile.TemporaryDirectory(prefix="hooklint-helm-version-") as home:
        try:
            proc = subprocess.run(
                [path, "version", "--short"],
                env={"PATH": "", "HOME": home, "HELM_CONFIG_HOME": home, "HELM_CACHE_HOME": home},
                capture_output=True,
                timeout=15,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
    match = re.search(r"v\d+\.\d+\.\d+", proc.stdout.decode("utf-8", "replace"))
    return match.group(0) if match else ""


def helm_binary(path: str) -> HelmBinary | None:
    """``path`` (a name on PATH or a path) as a HelmBinary, None when it is not there."""
    found = shutil.which(path) if os.sep not in path else path
    if not found:
        return None
    try:
        info = os.stat(found)
    except OSError:
        return None
    return HelmBinary(found, _helm_version(found, (info.st_mtime_ns, info.st_size)))


def helm_for_kustomize(candidates: Sequence[str | None]) -> HelmBinary | None:
    """The helm kustomize's ``--enable-helm`` should run: the first Helm 3 among ``candidates``
    (kustomize 5.7 passes Helm-3-only flags: ``helm version -c``), else the first one found."""
    found: list[HelmBinary] = []
    for candidate in dict.fromkeys(c for c in candidates if c):
        helm = helm_binary(candidate)
        if helm is None:
            continue
        if helm.major == 3:
            return helm
        found.append(helm)
    return found[0] if found else None


def helm_enabled(options: Sequence[str]) -> bool:
    """Do the build options turn helmCharts on (``--enable-helm``, also as ``--enable-helm=true``)?"""
    return any(o == "--enable-helm" or o == "--enable-helm=true" for o in options)


def helm_advice(helm: HelmBinary | None) -> str:
    """What to say when a build with ``--enable-helm`` fails about helm."""
    if helm is None:
        return "no helm binary for --enable-helm: install Helm 3, or set HOOKLINT_HELM3 or helm.binary"
    if helm.major >= 4:
        return (
            f"--enable-helm ran Helm {helm.version} ({helm.path}), and this kustomize passes "
            "Helm 3 flags: set HOOKLINT_HELM3 or helm.binary to a Helm 3 binary"
        )
    return ""


# -- finding the tool and the kustomization ---------------------------------------------------------
def kustomization_file(folder: Path) -> Path | None:
    """The folder's kustomization file (exact, case-sensitive names), or None."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return None
    for name in KUSTOMIZATION_NAMES:
        if name in names and (folder / name).is_file():
            return folder / name
    return None


def find_tool(explicit: str | None = None, search_path: str | None = None) -> KustomizeTool | None:
    """``explicit`` (a kustomize or kubectl binary), else ``kustomize`` on PATH, else ``kubectl``."""
    if explicit:
        found = shutil.which(explicit, path=search_path) if os.sep not in explicit else explicit
        if found is None or not os.access(found, os.X_OK) or not Path(found).is_file():
            return None
        return _tool_for(found)
    for name in ("kustomize", "kubectl"):
        found = shutil.which(name, path=search_path)
        if found:
            return _tool_for(found)
    return None


def _tool_for(binary: str) -> KustomizeTool:
    if Path(binary).name.startswith("kubectl"):
        return KustomizeTool((binary, "kustomize"))
    return KustomizeTool((binary, "build"))


def safe_options(options: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split build options into (kept, refused): exec/plugin flags are never passed."""
    kept: list[str] = []
    refused: list[str] = []
    for option in options:
        flag = option.split("=", 1)[0].replace("_", "-")
        (refused if flag in REFUSED_FLAGS else kept).append(option)
    return tuple(kept), tuple(refused)


# -- the build ----------------------------------------------------------------------------------------
def build(
    folder: Path,
    repo_root: Path,
    tool: KustomizeTool | None,
    options: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    helm: HelmBinary | None = None,
    app: AppKustomize | None = None,
) -> BuildResult:
    """Render ``folder`` (which holds a kustomization) with ``tool``; never raises for bad input.

    ``app``: an Application's ``kustomize:`` block.  As Argo CD does, it edits the folder's own
    kustomization (:mod:`hooklint.sources.kustomize_edit`), in a temporary copy of the folder;
    a plain mapping is its kustomization fields with Argo CD's default flags.  A folder too big
    to copy gets the fields in the wrapper instead (``KustomizeBuild.note`` says so).
    ``options`` are Argo CD's ``kustomize.buildOptions`` split on whitespace.  With
    ``--enable-helm`` among them, ``helm`` (a path) is passed as ``--helm-command``, since
    kustomize runs with an empty PATH; a failure about helm then says which helm ran and what
    to do (:func:`helm_advice`)."""
    folder = folder.resolve()
    repo_root = repo_root.resolve()
    kfile = kustomization_file(folder)
    if kfile is None:
        return BuildError(
            _rel(folder, repo_root), "no kustomization.yaml, kustomization.yml or Kustomization"
        )
    tree = walk_tree(folder, repo_root)
    if tree.remotes:
        return RemoteBlocked(tree.remotes)
    if tool is None:
        return NotAvailable("no kustomize binary: neither kustomize nor kubectl is on PATH")
    kept, refused = safe_options(options)
    with_helm = helm_enabled(kept) and not any(o.startswith("--helm-command") for o in kept)
    if with_helm and helm is not None:
        kept = (*kept, f"--helm-command={helm.path}")
    note = ""
    with tempfile.TemporaryDirectory(prefix="hooklint-kustomize-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        wrapper = tmp / "wrapper"
        wrapper.mkdir()
        copy: Mirror | None = None
        extra: dict[str, Any] = {}
        if app is not None and app.fields:
            made = _edited_copy(folder, kfile, tree, repo_root, tmp / "tree", app)
            if isinstance(made, BuildError):
                return BuildError(made.file, made.message, refused, made.application_path)
            copy = made
            if copy is None:
                note = "too big to copy: the Application's kustomize fields were added on top of it"
                extra = wrapper_fields(app.fields, folder, wrapper)
        built = copy.folder if copy is not None else folder
        target = os.path.relpath(built, wrapper)
        # kustomize honours buildMetadata only in the root kustomization: keep the target's own
        metadata = ", ".join(dict.fromkeys((*tree.root_build_metadata, *_STAMPS)))
        fields = "".join(f"{key}: {json.dumps(value)}\n" for key, value in extra.items())
        (wrapper / "kustomization.yaml").write_text(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            f"resources:\n- {_quote(target)}\nbuildMetadata: [{metadata}]\n{fields}",
            encoding="utf-8",
        )
        env = _private_env(tmp)
        try:
            proc = subprocess.run(
                [*tool.argv, str(wrapper), *kept],
                cwd=repo_root,
                env=env,
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return BuildError(_rel(kfile, repo_root), f"kustomize timed out after {timeout:g} s", refused)
        except OSError as exc:
            return NotAvailable(f"cannot run {tool.display}: {exc.strerror or exc}")
        stdout = proc.stdout.decode("utf-8", "replace")
        # the wrapper's own transformers (a copy too big to make) stand for the folder's edits
        real = _real_paths(copy, wrapper / "kustomization.yaml", kfile)
        if proc.returncode != 0:
            stderr = proc.stderr.decode("utf-8", "replace")
            if copy is not None:
                stderr = copy.text(stderr)
            file, message = _explain_error(stderr, wrapper, target, folder, repo_root)
            advice = helm_advice(helm) if with_helm and "helm" in stderr.lower() else ""
            if advice:
                message = f"{message}; {advice}"
            return BuildError(file or _rel(kfile, repo_root), message, refused)
        text, objects = _strip_and_collect(stdout, wrapper, repo_root, real)
    referenced = {o.origin.path for o in objects if o.origin.path} | tree.referenced
    return KustomizeBuild(
        _rel(kfile, repo_root),
        text,
        tuple(objects),
        unreferenced_files(folder, repo_root, referenced),
        refused,
        note,
    )


def _real_paths(copy: Mirror | None, wrapper: Path, kfile: Path) -> Callable[[Path], Path]:
    """Maps a path kustomize names to the file it stands for."""

    def real(path: Path) -> Path:
        if path == wrapper:
            return kfile
        return copy.real(path) if copy is not None else path

    return real


def _edited_copy(
    folder: Path, kfile: Path, tree: KustomizationTree, repo_root: Path, dest: Path, app: AppKustomize
) -> Mirror | BuildError | None:
    """The mirror holding ``folder``'s copy with its kustomization edited as Argo CD edits it;
    a message when the edit fails (as Argo CD's app does); None when too big to copy."""
    where = _rel(kfile, repo_root)
    try:
        data_docs, _ = parse_yaml(kfile.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return BuildError(where, f"cannot read {kfile.name}: {exc}")
    data = data_docs[0].value if data_docs else None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return BuildError(where, f"{kfile.name} is not a mapping")
    try:
        edited = edit(data, app, folder)
    except EditError as exc:
        message = f"the Application's kustomize block cannot be applied (kustomize edit): {exc}"
        return BuildError(where, message, application_path=exc.path)
    reads = [repo_root / rel for rel in (*tree.kustomizations, *tree.referenced)]
    copy = mirror(folder, [p.resolve() for p in reads], dest)
    if copy is None:
        return None
    # JSON is YAML; values kustomize would not read as strings stay as the YAML reader typed them
    (copy.folder / kfile.name).write_text(json.dumps(edited, default=str), encoding="utf-8")
    return copy


def wrapper_fields(app: Mapping[str, Any], folder: Path, wrapper: Path) -> dict[str, Any]:
    """The Application's kustomization fields, with ``components`` (relative to the app folder)
    made relative to the wrapper, and patch files inlined."""
    out = dict(app)
    if "components" in out:
        out["components"] = [os.path.relpath(folder / c, wrapper) for c in out["components"]]
    if "patches" in out:  # kustomize loads patch files only from below the root: inline them
        patches = []
        for patch in out["patches"]:
            if patch.get("path"):
                try:
                    text = (folder / patch["path"]).read_text(encoding="utf-8")[:1_000_000]
                except (OSError, UnicodeDecodeError):
                    text = ""
                patch = {**{k: v for k, v in patch.items() if k != "path"}, "patch": text}
            patches.append(patch)
        out["patches"] = patches
    return out


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _private_env(tmp: Path) -> dict[str, str]:
    """No PATH (so no git to clone with), a private HOME and XDG folders, no plugins."""
    home = tmp / "home"
    for sub in ("", ".config", ".cache", ".local/share", "plugins"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        "PATH": "",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "KUSTOMIZE_PLUGIN_HOME": str(home / "plugins"),
        "KUBECONFIG": str(home / "kubeconfig"),
        "GIT_TERMINAL_PROMPT": "0",
        "LANG": "C",
        "TMPDIR": str(tmp),
    }


def _rel(path: Path | str, repo_root: Path) -> str:
    """``path`` relative to the repo root (POSIX), or as it is when outside it."""
    try:
        return Path(path).relative_to(repo_root).as_posix()
    except ValueError:
        return Path(path).as_posix()


_WRAPPER_PREFIX = re.compile(
    r"^accumulating resources: accumulation err='accumulating resources from '[^']*': "
    r"'[^']*' must resolve to a file': (?:recursed accumulation of path '[^']*': )?"
)
#: kustomize's deprecation notes on stderr ("# Warning: 'bases' is deprecated. ..."): not the error.
_WARNING_RE = re.compile(r"\s*#?\s*warning:", re.IGNORECASE)
_PATH_IN_ERROR = re.compile(r"(?:recursed accumulation of path|couldn't make target for path) '([^']+)'")


def _explain_error(stderr: str, wrapper: Path, target: str, folder: Path, repo_root: Path) -> tuple[str, str]:
    """(kustomization to blame, kustomize's first error line without the wrapper's own prefix)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not _WARNING_RE.match(line)]
    first = lines[0] if lines else "kustomize failed"
    rest = iter(lines[1:])
    while first.count("`") % 2:  # a quoted config spans lines: "config: `\nname: x\n`: must ..."
        more = next(rest, None)
        if more is None:
            break
        first = f"{first} {more}"
    while first.startswith(("Error: ", "error: ")):
        first = first[len("error: ") :]
    first = re.sub(r" with env=\[[^\]]*\]", "", first)
    message = _WRAPPER_PREFIX.sub("", first)
    blamed = ""
    for match in _PATH_IN_ERROR.finditer(first):
        candidate = Path(match.group(1))
        if candidate == wrapper:
            continue
        kfile = kustomization_file(candidate)
        if kfile is not None and kfile.resolve().is_relative_to(repo_root):
            blamed = _rel(kfile.resolve(), repo_root)
    message = message.replace(str(folder) + "/", "").replace(str(repo_root) + "/", "")
    return blamed, message.replace(target, _rel(folder, repo_root))


# -- the output --------------------------------------------------------------------------------------
def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strip_and_collect(
    stdout: str, wrapper: Path, repo_root: Path, real: Callable[[Path], Path]
) -> tuple[str, list[RenderedObject]]:
    """Drop the origin/transformation annotations from kustomize's output and read them
    (``real`` maps a path in a temporary copy to the path it stands for)."""
    parsed, _ = parse_yaml(stdout)
    objects: list[RenderedObject] = []
    for doc in parsed:
        value = _mapping(doc.value)
        meta = _mapping(value.get("metadata"))
        annotations = _mapping(meta.get("annotations"))
        objects.append(
            RenderedObject(
                doc.index,
                _s(value.get("apiVersion")),
                _s(value.get("kind")),
                _s(meta.get("name")),
                _s(meta.get("namespace")),
                _origin(annotations, wrapper, repo_root, real),
            )
        )
    return "".join(_strip_lines(stdout.splitlines(keepends=True))), objects


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _origin(
    annotations: dict[str, Any], wrapper: Path, repo_root: Path, real: Callable[[Path], Path]
) -> Origin:
    def where(path: Any) -> str:
        if not isinstance(path, str) or not path:
            return ""
        return _rel(real(Path(os.path.normpath(wrapper / path))), repo_root)

    origin: dict[str, Any] = {}
    text = annotations.get(ORIGIN_ANNOTATION)
    if isinstance(text, str):
        docs, _ = parse_yaml(text)
        if docs and isinstance(docs[0].value, dict):
            origin = docs[0].value
    steps: list[Transformation] = []
    text = annotations.get(TRANSFORMATIONS_ANNOTATION)
    if isinstance(text, str):
        docs, _ = parse_yaml(text)
        if docs and isinstance(docs[0].value, list):
            for item in docs[0].value:
                if isinstance(item, dict):
                    by = _mapping(item.get("configuredBy"))
                    steps.append(Transformation(where(item.get("configuredIn")), _s(by.get("kind"))))
    by = _mapping(origin.get("configuredBy"))
    return Origin(
        where(origin.get("path")), where(origin.get("configuredIn")), _s(by.get("kind")), tuple(steps)
    )


def _strip_lines(lines: Sequence[str]) -> Iterator[str]:
    """kustomize prints canonical YAML: top-level ``metadata:``, two-space indents.  Remove the
    stamped annotations (key line and its indented block) and an ``annotations:`` left empty."""
    held: list[str] = []  # an "  annotations:" line, until an entry survives
    in_meta = in_annotations = skipping = False
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        blank = not line.strip()
        if skipping and (blank or indent > 4):
            continue
        skipping = False
        if indent == 0 and not blank:
            in_meta, in_annotations = line.rstrip() == "metadata:", False
            held = []  # an annotations: line still held has lost all its entries
            yield line
            continue
        if in_meta and indent == 2 and not blank:
            held = []
            in_annotations = line.rstrip() == "  annotations:"
            if in_annotations:
                held = [line]
                continue
            yield line
            continue
        if in_annotations and indent == 4 and line.lstrip().split(":", 1)[0] in _STRIPPED:
            skipping = True
            continue
        if in_annotations and held:
            yield from held
            held = []
        yield line


# -- what the kustomizations reference ---------------------------------------------------------------
@dataclass(frozen=True)
class KustomizationTree:
    """Every kustomization reachable from a folder, the local files they reference, and remotes."""

    kustomizations: tuple[str, ...]  # repo-relative
    referenced: frozenset[str]  # repo-relative files (kustomization files included)
    remotes: tuple[RemoteResource, ...]
    root_build_metadata: tuple[str, ...] = ()  # the folder's own buildMetadata (known entries only)


def walk_tree(folder: Path, repo_root: Path) -> KustomizationTree:
    """Read the kustomization in ``folder`` and, recursively, in every local folder it uses."""
    kustomizations: list[str] = []
    referenced: set[str] = set()
    remotes: list[RemoteResource] = []
    pending = [folder.resolve()]
    seen: set[Path] = set()
    root_metadata: tuple[str, ...] = ()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        kfile = kustomization_file(current)
        if kfile is None:
            continue
        rel_k = _rel(kfile, repo_root)
        kustomizations.append(rel_k)
        referenced.add(rel_k)
        try:
            text = kfile.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        docs, _ = parse_yaml(text)
        if not docs or not isinstance(docs[0].value, dict) or docs[0].positions is None:
            continue
        data, positions = docs[0].value, docs[0].positions
        if current == folder.resolve() and isinstance(data.get("buildMetadata"), list):
            root_metadata = tuple(m for m in data["buildMetadata"] if m in _BUILD_METADATA)
        for field, entry, mark in _file_entries(data, positions, current):
            if _REMOTE_RE.match(entry):
                remotes.append(RemoteResource(rel_k, field, entry, (mark >> 24) + 1, (mark & 0xFFFFFF) + 1))
                continue
            local = (current / entry).resolve()
            if local.is_dir():
                if field in _TREE_FIELDS:
                    pending.append(local)
            elif local.is_file():
                referenced.add(_rel(local, repo_root))
    return KustomizationTree(tuple(kustomizations), frozenset(referenced), tuple(remotes), root_metadata)


def included(folder: Path, file: Path, root: Path, cache: dict[Path, frozenset[str]] | None = None) -> bool:
    """Does the kustomization in ``folder`` (with every local folder it uses) reference ``file``?
    ``cache``: each folder's referenced files, kept across calls (one tree walk per folder)."""
    root = root.resolve()
    referenced = cache.get(folder) if cache is not None else None
    if referenced is None:
        referenced = walk_tree(folder, root).referenced
        if cache is not None:
            cache[folder] = referenced
    return _rel(file.resolve(), root) in referenced


def _file_entries(data: dict[str, Any], positions: Any, base: Path) -> Iterator[tuple[str, str, int]]:
    """(field, entry, packed mark) for every file or folder reference in a kustomization in ``base``.

    A ``helmCharts`` entry's ``repo`` counts only when the chart is not already in the chart home
    (``helmGlobals.chartHome``, default ``charts``): kustomize then uses the local copy."""

    def items(key: str) -> Iterator[tuple[Any, int, Any]]:
        value = data.get(key)
        entry = positions.entries.get(key)
        if not isinstance(value, list) or entry is None or entry[2] is None:
            return
        for item, (mark, child, _) in zip(value, entry[2].entries, strict=False):
            yield item, mark, child

    for key in (*_TREE_FIELDS, *_FILE_LIST_FIELDS):
        for item, mark, _ in items(key):
            if isinstance(item, str) and "\n" not in item:  # multi-line strings are inline YAML
                yield key, item.strip(), mark
    for key in ("patches", "patchesJson6902", "replacements"):
        for item, mark, child in items(key):
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                sub = child.entries.get("path") if child is not None else None
                yield f"{key}.path", item["path"], sub[1] if sub else mark
    for key in ("configMapGenerator", "secretGenerator"):
        for item, _, child in items(key):
            if not isinstance(item, dict) or child is None:
                continue
            for sub_key in ("files", "envs", "env"):
                values = item.get(sub_key)
                sub = child.entries.get(sub_key)
                if isinstance(values, str) and sub:
                    values, marks = [values], [sub[1]]
                elif isinstance(values, list) and sub and sub[2] is not None:
                    marks = [m for m, _, _ in sub[2].entries]
                else:
                    continue
                for value, mark in zip(values, marks, strict=False):
                    if isinstance(value, str):
                        yield (
                            f"{key}.{sub_key}",
                            value.split("=", 1)[-1] if sub_key == "files" else value,
                            mark,
                        )
    openapi = data.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        yield "openapi.path", openapi["path"], positions.entries["openapi"][1]
    globals_ = data.get("helmGlobals")
    home = globals_.get("chartHome") if isinstance(globals_, dict) else None
    home = home if isinstance(home, str) and home else "charts"
    for item, mark, child in items("helmCharts"):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        local = isinstance(name, str) and name and (base / home / name).is_dir()
        for sub_key in ("repo", "valuesFile"):
            if isinstance(item.get(sub_key), str) and not (sub_key == "repo" and local):
                sub = child.entries.get(sub_key) if child is not None else None
                yield f"helmCharts.{sub_key}", item[sub_key], sub[1] if sub else mark


_YAML_SUFFIXES = (".yaml", ".yml")


def unreferenced_files(
    folder: Path, repo_root: Path, referenced: set[str] | frozenset[str]
) -> tuple[str, ...]:
    """YAML files under ``folder`` (recursively, hidden folders and Helm charts skipped) that no
    kustomization of the build references and no rendered object came from, repo-relative, sorted."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        if "Chart.yaml" in filenames:  # a Helm chart: what helmCharts render, not resources
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(_YAML_SUFFIXES) or name == "Kustomization":
                rel = _rel(Path(dirpath) / name, repo_root)
                if rel not in referenced:
                    out.append(rel)
    return tuple(sorted(out))
