"""Health checks an Argo CD instance adds in ``argocd-cm``, read from whatever form holds them.

Argo CD reads ``resource.customizations.health.<group>_<kind>`` keys and the older
``resource.customizations`` block (a YAML string: ``<group>/<Kind>: {health.lua: ...}``)
from the ``argocd-cm`` ConfigMap (AE ``util/settings/settings.go``
``GetResourceOverrides``, ``appendResourceOverridesFromSplitKeys``, ``convertToOverrideKey``).
Repositories that manage Argo CD keep them in that ConfigMap, in a kustomize patch of it (often just
``data:`` with no ``kind``), or in the argo-cd Helm chart's values (``configs.cm``; ``server.config``
before chart 5.0).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

KEY_PREFIX = "resource.customizations.health."
BLOCK_KEY = "resource.customizations"
#: A cheap test on a file's text before its documents are looked at.
MARKER = "resource.customizations"


def _from_data(data: Any) -> set[str]:
    """``group/Kind`` patterns from an argocd-cm ``data`` mapping."""
    found: set[str] = set()
    if not isinstance(data, dict):
        return found
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        if key.startswith(KEY_PREFIX):
            parts = key[len(KEY_PREFIX) :].split("_")  # convertToOverrideKey
            if len(parts) == 2:
                found.add(f"{parts[0]}/{parts[1]}")
            elif len(parts) == 1 and parts[0]:
                found.add("*/*" if parts[0] == "all" else f"/{parts[0]}")
        elif key == BLOCK_KEY and isinstance(value, str):
            found |= _from_block(value)
    return found


def _from_block(text: str) -> set[str]:
    from hooklint.yaml.reader import parse_yaml

    docs, _ = parse_yaml(text)
    found: set[str] = set()
    for doc in docs:
        if isinstance(doc.value, dict):
            found.update(
                key
                for key, value in doc.value.items()
                if isinstance(key, str) and "/" in key and isinstance(value, dict) and value.get("health.lua")
            )
    return found


def health_customizations(value: Any) -> frozenset[str]:
    """The health checks one YAML document adds to Argo CD, as ``group/Kind`` patterns."""
    if not isinstance(value, dict):
        return frozenset()
    found: set[str] = set()
    kind = value.get("kind")
    meta = value.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if kind is None or (kind == "ConfigMap" and name in (None, "argocd-cm")):
        found |= _from_data(value.get("data"))  # the ConfigMap, or a kustomize patch of it
    if kind is None:  # the argo-cd chart's values
        configs = value.get("configs")
        if isinstance(configs, dict):
            found |= _from_data(configs.get("cm"))
        server = value.get("server")
        if isinstance(server, dict):
            found |= _from_data(server.get("config"))
    return frozenset(found)


#: argocd-cm's key for the options of every ``kustomize build`` (AE util/settings/settings.go
#: ``kustomizeBuildOptionsKey``; ``GetKustomizeSettings`` reads it).
BUILD_OPTIONS_KEY = "kustomize.buildOptions"


def kustomize_build_options(value: Any) -> str | None:
    """The ``kustomize.buildOptions`` an ``argocd-cm`` ConfigMap sets (or the argo-cd Helm
    chart's values, ``configs.cm``), or None.

    Only the default key: ``kustomize.buildOptions.<version>`` is read by ``GetKustomizeSettings``
    into ``KustomizeOptions.Versions`` but ``kustomize.Build`` (util/kustomize/kustomize.go) uses
    only ``KustomizeOptions.BuildOptions``."""
    if not isinstance(value, dict):
        return None
    data: Any = None
    if value.get("kind") == "ConfigMap":
        meta = value.get("metadata")
        if isinstance(meta, dict) and meta.get("name") == "argocd-cm":
            data = value.get("data")
    elif value.get("kind") is None and isinstance(value.get("configs"), dict):
        data = value["configs"].get("cm")
    options = data.get(BUILD_OPTIONS_KEY) if isinstance(data, dict) else None
    return options if isinstance(options, str) else None
