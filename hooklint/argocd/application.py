"""Argo CD Application manifests as values: what to render, with which parameters, where to.

Field names follow ``pkg/apis/application/v1alpha1/types.go`` (ApplicationSource,
ApplicationSourceHelm, ApplicationSourceKustomize, ApplicationSourceDirectory,
ApplicationDestination, SyncPolicy).  Parsing never raises: a field of the wrong shape reads as
absent, as the Go decoder would refuse the whole object (the cluster's schema rejects it).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hooklint.model import Document, YamlPath
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

APPLICATION_GROUP = "argoproj.io"
#: where Argo CD's controller runs unless told otherwise (``Application.InstanceName`` compares to it)
CONTROL_PLANE_NAMESPACE = "argocd"


@dataclass(frozen=True)
class HelmParameter:
    name: str
    value: str
    force_string: bool = False


@dataclass(frozen=True)
class HelmSource:
    value_files: tuple[str, ...] = ()
    values: str = ""
    values_object: Any = None  # the mapping as written, or None
    parameters: tuple[HelmParameter, ...] = ()
    file_parameters: tuple[tuple[str, str], ...] = ()  # (name, path)
    release_name: str = ""
    namespace: str = ""
    skip_crds: bool = False
    skip_tests: bool = False
    skip_schema_validation: bool = False
    ignore_missing_value_files: bool = False
    pass_credentials: bool = False
    version: str = ""
    kube_version: str = ""
    api_versions: tuple[str, ...] = ()

    def is_zero(self) -> bool:
        return self == HelmSource()


@dataclass(frozen=True)
class KustomizePatch:
    path: str = ""
    patch: str = ""
    target: tuple[tuple[str, str], ...] = ()  # selector fields, as written
    options: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class KustomizeSource:
    name_prefix: str = ""
    name_suffix: str = ""
    images: tuple[str, ...] = ()
    common_labels: tuple[tuple[str, str], ...] = ()
    common_annotations: tuple[tuple[str, str], ...] = ()
    force_common_labels: bool = False
    force_common_annotations: bool = False
    common_annotations_envsubst: bool = False
    label_without_selector: bool = False
    label_include_templates: bool = False
    namespace: str = ""
    replicas: tuple[tuple[str, str], ...] = ()  # (name, count as written)
    patches: tuple[KustomizePatch, ...] = ()
    components: tuple[str, ...] = ()
    ignore_missing_components: bool = False
    version: str = ""
    kube_version: str = ""
    api_versions: tuple[str, ...] = ()

    def is_zero(self) -> bool:
        return self == KustomizeSource()


@dataclass(frozen=True)
class DirectorySource:
    recurse: bool = False
    include: str = ""
    exclude: str = ""
    jsonnet: bool = False  # a non-empty jsonnet block
    disable_extension_filter: bool = False

    def is_zero(self) -> bool:
        """All defaults, as NormalizeSource (util/argo/argo.go) reads it: include/exclude count."""
        return self == DirectorySource()


@dataclass(frozen=True)
class AppSource:
    """One entry of ``spec.source`` / ``spec.sources``; ``at`` is its YAML path in the manifest.

    ``helm``/``kustomize``/``directory`` are None when absent or all defaults (NormalizeSource)."""

    at: YamlPath
    repo_url: str = ""
    path: str = ""
    target_revision: str = ""
    chart: str = ""
    ref: str = ""
    name: str = ""
    helm: HelmSource | None = None
    kustomize: KustomizeSource | None = None
    directory: DirectorySource | None = None
    plugin: bool = False

    @property
    def explicit_types(self) -> tuple[str, ...]:
        """The type blocks set (``ExplicitType``: two or more fail manifest generation)."""
        found = [("Helm", self.helm), ("Kustomize", self.kustomize), ("Directory", self.directory)]
        names = [name for name, block in found if block is not None]
        return (*names, "Plugin") if self.plugin else tuple(names)

    @property
    def renders_nothing(self) -> bool:
        """A ``ref`` source with neither path nor chart only lends its files (``$ref/...``)."""
        return bool(self.ref) and not self.path and not self.chart

    @property
    def path_problem(self) -> str:
        """Why Argo CD refuses ``path`` before looking at the disk (util/app/path ``Path``), or ""."""
        if self.chart or not self.path:
            return ""
        if self.path.startswith("/"):
            return "app path is absolute"
        parts = PurePosixPath(self.path).parts
        depth = 0
        for part in parts:
            depth += -1 if part == ".." else 0 if part == "." else 1
            if depth < 0:
                return "app path is outside the repository"
        return ""


@dataclass(frozen=True)
class Application:
    name: str
    namespace: str
    project: str
    sources: tuple[AppSource, ...]
    multi_source: bool
    destination_server: str = ""
    destination_name: str = ""
    destination_namespace: str = ""
    sync_options: tuple[str, ...] = ()
    sync_options_at: YamlPath = ("spec", "syncPolicy", "syncOptions")
    automated: bool = False
    managed_namespace_metadata: bool = False

    def has_sync_option(self, option: str) -> bool:
        """``SyncOptions.HasOption``: exact, case-sensitive, untrimmed comparison."""
        return option in self.sync_options

    def sync_option_index(self, option: str) -> int:
        return self.sync_options.index(option)

    @property
    def rendered_sources(self) -> tuple[AppSource, ...]:
        return tuple(s for s in self.sources if not s.renders_nothing)

    @property
    def instance_name(self) -> str:
        """``Application.InstanceName``: the name, prefixed ``<namespace>_`` when the Application
        is not in the control plane's namespace (taken to be ``argocd``, Argo CD's default)."""
        if self.namespace in ("", CONTROL_PLANE_NAMESPACE):
            return self.name
        return f"{self.namespace}_{self.name}"

    def env(self, source: AppSource) -> dict[str, str]:
        """``newEnv`` (reposerver): the ``ARGOCD_APP_*`` variables value files may use, except the
        revision ones (the commit is not known here)."""
        return {
            "ARGOCD_APP_NAME": self.instance_name,
            "ARGOCD_APP_NAMESPACE": self.destination_namespace,
            "ARGOCD_APP_PROJECT_NAME": self.project,
            "ARGOCD_APP_SOURCE_REPO_URL": source.repo_url,
            "ARGOCD_APP_SOURCE_PATH": source.path,
            "ARGOCD_APP_SOURCE_TARGET_REVISION": source.target_revision,
        }


def is_application(doc: Document) -> bool:
    return doc.kind == "Application" and doc.group == APPLICATION_GROUP


def parse_application(doc: Document) -> Application | None:
    """The Application in ``doc``, or None for any other kind."""
    if not is_application(doc):
        return None
    spec = _map(doc.root.get("spec"))
    many = [s for s in _list(spec.get("sources"))]
    if many:
        sources = tuple(_source(_map(s), ("spec", "sources", i)) for i, s in enumerate(many))
    elif "source" in spec:
        sources = (_source(_map(spec.get("source")), ("spec", "source")),)
    else:
        sources = ()
    dest = _map(spec.get("destination"))
    policy = _map(spec.get("syncPolicy"))
    options = tuple(o for o in _list(policy.get("syncOptions")) if isinstance(o, str))
    return Application(
        name=doc.name,
        namespace=doc.namespace,
        project=_str(spec.get("project")),
        sources=sources,
        multi_source=bool(many),
        destination_server=_str(dest.get("server")),
        destination_name=_str(dest.get("name")),
        destination_namespace=_str(dest.get("namespace")),
        sync_options=options,
        automated=isinstance(policy.get("automated"), dict),
        managed_namespace_metadata=isinstance(policy.get("managedNamespaceMetadata"), dict),
    )


def source_folder(source: AppSource, repo_root: Path) -> Path:
    """Where ``path`` is in a local checkout (``""`` and ``.`` are the root)."""
    return (repo_root / source.path) if source.path not in ("", ".") else repo_root


def raw_source(doc: Document, source: AppSource) -> dict[str, Any]:
    """The source's mapping as written in the Application (``{}`` if it is not a mapping)."""
    node: Any = doc.root
    for step in source.at:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return {}
    return node if isinstance(node, dict) else {}


def parse_source(raw: dict[str, Any], at: YamlPath) -> AppSource:
    """One source mapping as an AppSource (see :func:`parse_application`)."""
    return _source(raw, at)


# -- field readers ---------------------------------------------------------------------------------
def _source(raw: dict[str, Any], at: YamlPath) -> AppSource:
    helm = _helm(_map(raw.get("helm"))) if isinstance(raw.get("helm"), dict) else None
    kustomize = _kustomize(_map(raw.get("kustomize"))) if isinstance(raw.get("kustomize"), dict) else None
    directory = _directory(_map(raw.get("directory"))) if isinstance(raw.get("directory"), dict) else None
    return AppSource(
        at=at,
        repo_url=_str(raw.get("repoURL")),
        path=_str(raw.get("path")),
        target_revision=_str(raw.get("targetRevision")),
        chart=_str(raw.get("chart")),
        ref=_str(raw.get("ref")),
        name=_str(raw.get("name")),
        helm=None if helm is None or helm.is_zero() else helm,
        kustomize=None if kustomize is None or kustomize.is_zero() else kustomize,
        directory=None if directory is None or directory.is_zero() else directory,
        plugin=isinstance(raw.get("plugin"), dict),
    )


def _helm(raw: dict[str, Any]) -> HelmSource:
    params = []
    for item in _list(raw.get("parameters")):
        item = _map(item)
        if isinstance(item.get("name"), str):
            params.append(
                HelmParameter(item["name"], _scalar(item.get("value")), item.get("forceString") is True)
            )
    files = []
    for item in _list(raw.get("fileParameters")):
        item = _map(item)
        files.append((_str(item.get("name")), _str(item.get("path"))))
    values_object = raw.get("valuesObject")
    return HelmSource(
        value_files=_strings(raw.get("valueFiles")),
        values=_str(raw.get("values")),
        values_object=values_object if isinstance(values_object, dict) else None,
        parameters=tuple(params),
        file_parameters=tuple(files),
        release_name=_str(raw.get("releaseName")),
        namespace=_str(raw.get("namespace")),
        skip_crds=raw.get("skipCrds") is True,
        skip_tests=raw.get("skipTests") is True,
        skip_schema_validation=raw.get("skipSchemaValidation") is True,
        ignore_missing_value_files=raw.get("ignoreMissingValueFiles") is True,
        pass_credentials=raw.get("passCredentials") is True,
        version=_str(raw.get("version")),
        kube_version=_str(raw.get("kubeVersion")),
        api_versions=_strings(raw.get("apiVersions")),
    )


def _kustomize(raw: dict[str, Any]) -> KustomizeSource:
    patches = []
    for item in _list(raw.get("patches")):
        item = _map(item)
        target = tuple((str(k), _scalar(v)) for k, v in _map(item.get("target")).items())
        options = tuple((str(k), v is True) for k, v in _map(item.get("options")).items())
        patches.append(KustomizePatch(_str(item.get("path")), _str(item.get("patch")), target, options))
    replicas = []
    for item in _list(raw.get("replicas")):
        item = _map(item)
        replicas.append((_str(item.get("name")), _scalar(item.get("count"))))
    return KustomizeSource(
        name_prefix=_str(raw.get("namePrefix")),
        name_suffix=_str(raw.get("nameSuffix")),
        images=_strings(raw.get("images")),
        common_labels=_pairs(raw.get("commonLabels")),
        common_annotations=_pairs(raw.get("commonAnnotations")),
        force_common_labels=raw.get("forceCommonLabels") is True,
        force_common_annotations=raw.get("forceCommonAnnotations") is True,
        common_annotations_envsubst=raw.get("commonAnnotationsEnvsubst") is True,
        label_without_selector=raw.get("labelWithoutSelector") is True,
        label_include_templates=raw.get("labelIncludeTemplates") is True,
        namespace=_str(raw.get("namespace")),
        replicas=tuple(replicas),
        patches=tuple(patches),
        components=_strings(raw.get("components")),
        ignore_missing_components=raw.get("ignoreMissingComponents") is True,
        version=_str(raw.get("version")),
        kube_version=_str(raw.get("kubeVersion")),
        api_versions=_strings(raw.get("apiVersions")),
    )


def _directory(raw: dict[str, Any]) -> DirectorySource:
    jsonnet = _map(raw.get("jsonnet"))
    return DirectorySource(
        recurse=raw.get("recurse") is True,
        include=_str(raw.get("include")),
        exclude=_str(raw.get("exclude")),
        jsonnet=any(bool(v) for v in jsonnet.values()),
        disable_extension_filter=raw.get("disableExtensionFilter") is True,
    )


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _scalar(value: Any) -> str:
    """A scalar as the JSON decoder into a Go string would need it (non-strings: as written)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _list(value) if isinstance(v, str))


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), _scalar(v)) for k, v in _map(value).items())
