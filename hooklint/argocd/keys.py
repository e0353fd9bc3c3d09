"""Annotation and label keys Argo CD knows, with the first release that had each.

Under ``argocd.argoproj.io/``: every key argo-cd's Go code names (``common/common.go``,
gitops-engine ``pkg/sync/common/types.go``, the controllers and the ApplicationSet
controller) or its docs document (``docs/user-guide/annotations-and-labels.md``).
Under ``helm.sh/hook``: the keys gitops-engine reads (``pkg/sync/hook/helm/``) and
the ones Helm itself reads.  Versions: the first ``vX.Y.0`` tag of argo-cd whose Go
code or docs contain the key (``git grep`` over the tags); ``None`` for keys only on
argo-cd's main branch after 3.5.
"""

from __future__ import annotations

from hooklint.argocd.version import ArgoVersion

ARGOCD_PREFIX = "argocd.argoproj.io/"
HELM_HOOK_PREFIX = "helm.sh/hook"


def _v(text: str) -> ArgoVersion:
    major, minor = text.split(".")
    return ArgoVersion(int(major), int(minor), 0)


#: argocd.argoproj.io/<name> -> first Argo CD release that knows it.
ARGOCD_KEYS: dict[str, ArgoVersion | None] = {
    "hook": _v("0.7"),
    "hook-delete-policy": _v("0.7"),
    "refresh": _v("0.11"),
    "secret-type": _v("0.11"),  # label
    "sync-wave": _v("1.1"),
    "sync-options": _v("1.1"),
    "compare-options": _v("1.1"),
    "instance": _v("1.2"),  # label: the documented application.instanceLabelKey
    "manifest-generate-paths": _v("1.8"),
    "tracking-id": _v("2.2"),
    "application-set-refresh": _v("2.4"),
    "skip-reconcile": _v("2.7"),
    "application-set-name": _v("2.8"),  # label
    "auto-label-cluster-info": _v("2.11"),  # label
    "kubernetes-version": _v("2.11"),  # label
    "deletion-approved": _v("2.13"),
    "ignore-resource-updates": _v("2.13"),
    "installation-id": _v("2.13"),
    "hydrate": _v("2.14"),
    "ignore-healthcheck": _v("2.14"),
    "client-side-apply-migration-manager": _v("3.1"),
    "ignore-default-links": _v("3.3"),
    "managed-by-url": _v("3.3"),
    "hook-finalizer": _v("3.3"),  # a finalizer, named like a key
    "hydrate-timestamp": None,
    "refresh-timestamp": None,
    "ignore-restart-policy": None,
    "auth-token": _v("0.3"),  # old releases only
}

#: Keys of the Argo CD operator (argoproj-labs/argocd-operator ``common/keys.go``; OpenShift
#: GitOps), which reads them from Namespaces and its own objects: not Argo CD versions.
OPERATOR_KEYS = frozenset(
    {
        "managed-by",
        "managed-by-cluster-argocd",
        "applicationset-managed-by-cluster-argocd",
        "notifications-managed-by-cluster-argocd",
        "image-updater-managed-namespace",
        "ca-trust-checksum",
    }
)

#: helm.sh/hook* keys: gitops-engine reads the first three; Helm reads all of them.
HELM_HOOK_KEYS = ("helm.sh/hook", "helm.sh/hook-weight", "helm.sh/hook-delete-policy")
HELM_ONLY_HOOK_KEYS = ("helm.sh/hook-delete-timeout", "helm.sh/hook-output-log-policy")
