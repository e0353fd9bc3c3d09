"""HL105 delete-policy-on-non-hook, HL109 workload-as-hook, and the hook model they rest on."""

from __future__ import annotations

import pytest

from hooklint.argocd.annotations import HookInfo, hook_info
from hooklint.argocd.version import ArgoVersion
from hooklint.manifests import ManifestSet
from hooklint.sources.files import load_bytes
from tests.conftest import lint_text

HOOK = "argocd.argoproj.io/hook"
POLICY = "argocd.argoproj.io/hook-delete-policy"
HELM = "helm.sh/hook"
HELM_POLICY = "helm.sh/hook-delete-policy"


def obj(kind: str, annotations: dict[str, str], meta: str = "name: thing", api: str = "v1") -> str:
    lines = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  {meta}", "  annotations:"]
    lines += [f'    {k}: "{v}"' for k, v in annotations.items()]
    return "\n".join(lines) + "\n"


def findings(text: str, code: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, (code,)).findings]


# -- HL105 ----------------------------------------------------------------------------------


def test_policy_on_plain_resource_each_annotation() -> None:
    text = obj("ConfigMap", {POLICY: "HookSucceeded", HELM_POLICY: "hook-succeeded"})
    found = findings(text, "HL105")
    assert [(line, col) for line, col, _ in found] == [(6, 44), (7, 33)]
    assert "it is not a hook" in found[0][2]


@pytest.mark.parametrize(
    "annotations",
    [{HOOK: "PreSync"}, {HELM: "pre-install"}, {HOOK: "Skip"}, {HOOK: "PostDelete"}, {HOOK: "Bogus"}],
)
def test_policy_on_hooks_skip_and_dropped(annotations: dict[str, str]) -> None:
    assert findings(obj("ConfigMap", {**annotations, POLICY: "HookFailed"}), "HL105") == []


def test_crd_install_policy_explains_why() -> None:
    [(_, _, msg)] = findings(
        obj("ConfigMap", {HELM: "crd-install", HELM_POLICY: "before-hook-creation"}), "HL105"
    )
    assert 'helm.sh/hook "crd-install" makes it a normal resource' in msg


def test_skip_with_phase_is_a_hook() -> None:
    assert findings(obj("ConfigMap", {HOOK: "Skip,PreSync", POLICY: "HookFailed"}), "HL105") == []


# -- HL109 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "api"),
    [
        ("Deployment", "apps/v1"),
        ("StatefulSet", "apps/v1"),
        ("DaemonSet", "apps/v1"),
        ("ReplicaSet", "apps/v1"),
        ("Service", "v1"),
        ("Ingress", "networking.k8s.io/v1"),
        ("Ingress", "extensions/v1beta1"),
    ],
)
def test_long_running_kinds(kind: str, api: str) -> None:
    [(line, column, msg)] = findings(obj(kind, {HOOK: "PreSync"}, api=api), "HL109")
    assert (line, column) == (6, 30)
    assert "Argo CD deletes and re-creates it on every sync" in msg


@pytest.mark.parametrize(
    ("annotations", "meta", "phrase"),
    [
        ({POLICY: "HookSucceeded"}, "name: api", "deletes it at the end of every successful sync"),
        ({POLICY: "HookFailed"}, "name: api", "deletes it whenever a sync fails"),
        ({}, "generateName: api-", "every sync creates another copy"),
        ({POLICY: "HookSucceeded"}, "generateName: api-", "deletes it once the sync succeeds"),
    ],
)
def test_lifetime_follows_the_policies(annotations: dict[str, str], meta: str, phrase: str) -> None:
    [(_, _, msg)] = findings(obj("Deployment", {HOOK: "PostSync", **annotations}, meta, "apps/v1"), "HL109")
    assert phrase in msg


def test_helm_hook_deployment_points_at_helm_annotation() -> None:
    [(line, column, _)] = findings(obj("Deployment", {HELM: "post-install"}, api="apps/v1"), "HL109")
    assert (line, column) == (6, 19)


@pytest.mark.parametrize(
    ("kind", "api", "annotations"),
    [
        ("Job", "batch/v1", {HOOK: "PreSync"}),
        ("Deployment", "apps/v1", {HOOK: "Skip"}),
        ("Deployment", "apps/v1", {HOOK: "Bogus"}),
        ("Deployment", "apps/v1", {HOOK: "PreDelete"}),
        ("Deployment", "example.com/v1", {HOOK: "PreSync"}),
        ("Deployment", "apps/v1", {}),
    ],
)
def test_not_flagged(kind: str, api: str, annotations: dict[str, str]) -> None:
    assert findings(obj(kind, annotations, api=api), "HL109") == []


# -- hook model ---------------------------------------------------------------------------


def info(annotations: dict[str, str], version: str = "latest") -> HookInfo:
    [doc] = load_bytes(obj("ConfigMap", annotations).encode(), "t.yaml").documents
    return hook_info(doc, ArgoVersion.parse(version))


@pytest.mark.parametrize(
    ("annotations", "version", "phases", "deletes", "dropped"),
    [
        ({HOOK: "Skip"}, "latest", (), (), False),
        ({HOOK: "Skip,PreDelete"}, "latest", (), ("PreDelete",), False),
        ({HOOK: "PostSync,PostDelete"}, "latest", ("PostSync",), ("PostDelete",), False),
        ({HOOK: "PostSync,PostDelete"}, "3.3.4", (), ("PostDelete",), False),
        ({HOOK: "PostSync,PostDelete"}, "3.3.2", ("PostSync",), (), False),
        ({HOOK: "PostDelete"}, "2.9", (), (), True),
        ({HELM: "post-delete "}, "3.2", (), (), True),
        ({HELM: "post-delete "}, "3.3.3", (), ("PostDelete",), False),
        ({HELM: "crd-install"}, "latest", ("Sync",), (), False),
        ({HELM: ""}, "latest", (), (), True),
        ({HOOK: "Bogus", HELM: "pre-upgrade"}, "latest", ("PreSync",), (), False),
        ({HOOK: "Sync", HELM: "pre-upgrade"}, "latest", ("Sync",), (), False),
    ],
)
def test_hook_info(
    annotations: dict[str, str],
    version: str,
    phases: tuple[str, ...],
    deletes: tuple[str, ...],
    dropped: bool,
) -> None:
    hook = info(annotations, version)
    assert (hook.sync_phases, hook.delete_types, hook.dropped) == (phases, deletes, dropped)


def test_skip_gives_no_sync_task() -> None:
    text = obj("ConfigMap", {HOOK: "Skip"}) + "---\n" + obj("ConfigMap", {}, "name: other")
    docs = load_bytes(text.encode(), "t.yaml").documents
    plan = ManifestSet(docs).plan
    assert [t.doc.name for t in plan.tasks] == ["other"]


# -- existing rules respect "never applied" --------------------------------------------------


JOB_SPEC = """spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: example/main:1.0
"""


@pytest.mark.parametrize(
    "annotations", [{HOOK: "Presync", POLICY: "HookFailed"}, {HELM: "test", POLICY: "HookFailed"}]
)
def test_hl101_and_hl201_stay_quiet_on_never_applied(annotations: dict[str, str]) -> None:
    text = obj("Job", annotations, api="batch/v1") + JOB_SPEC
    assert findings(text, "HL101") == [] and findings(text, "HL201") == []
    valid = obj("Job", {HOOK: "PreSync", POLICY: "HookFailed"}, api="batch/v1") + JOB_SPEC
    assert len(findings(valid, "HL101")) == 1 and len(findings(valid, "HL201")) == 1
