"""HL302, HL303, HL304, HL306, HL307: whole-set wave rules, on exact lines and columns."""

from __future__ import annotations

import textwrap

from hooklint.argocd.version import ArgoVersion
from hooklint.config import Config, RuleConfig
from tests.conftest import codes_lines, lint_text, lint_texts


def y(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PRESYNC_JOB_WITH_SA = y(
    """
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
      namespace: shop
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          serviceAccountName: migrator
          restartPolicy: Never
          containers: []
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: migrator
      namespace: {ns}
    """
)


def test_presync_hook_needing_a_sync_phase_service_account() -> None:
    report = lint_text(PRESYNC_JOB_WITH_SA.format(ns="shop"), select=("HL302",))
    [finding] = report.findings
    assert (finding.code, finding.line, finding.column) == ("HL302", 11, 27)
    assert finding.message.startswith(
        "Job/migrate in PreSync wave 0 needs ServiceAccount/migrator (serviceAccountName), "
        "which Argo CD applies only later, in Sync wave 0"
    )
    assert "before starting the Sync phase, so the sync hangs" in finding.message
    [related] = finding.related
    assert (related.path, related.position.line) == ("test.yaml", 16)


def test_dependency_in_another_namespace_is_not_the_same_object() -> None:
    assert lint_text(PRESYNC_JOB_WITH_SA.format(ns="other"), select=("HL302",)).findings == []


def test_namespace_less_provider_takes_the_configured_namespace() -> None:
    text = PRESYNC_JOB_WITH_SA.format(ns="shop").replace("  namespace: shop\n", "", 1)
    # the Job now has no namespace either: unknown matches any
    assert codes_lines(lint_text(text, select=("HL302",))) == [("HL302", 10)]
    other = Config(namespace="other")
    assert lint_text(text, select=("HL302",), config=other).findings == []
    shop = Config(namespace="shop")
    assert codes_lines(lint_text(text, select=("HL302",), config=shop)) == [("HL302", 10)]


ALL_REFS = y(
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          imagePullSecrets:
            - name: pull
          volumes:
            - name: a
              configMap:
                name: cm-vol
            - name: b
              secret:
                secretName: s-vol
            - name: c
              persistentVolumeClaim:
                claimName: data
            - name: d
              projected:
                sources:
                  - configMap:
                      name: cm-proj
                  - secret:
                      name: s-opt
                      optional: true
          containers:
            - name: web
              envFrom:
                - secretRef:
                    name: s-env
              env:
                - name: X
                  valueFrom:
                    configMapKeyRef:
                      name: cm-key
    ---
    apiVersion: v1
    kind: List
    items:
    """
)


def _later(kind: str, name: str) -> str:
    return (
        f"  - apiVersion: v1\n    kind: {kind}\n    metadata:\n      name: {name}\n"
        '      annotations: {"argocd.argoproj.io/sync-wave": "1"}\n'
    )


def test_every_kind_of_pod_reference_is_a_dependency_but_optional_ones() -> None:
    providers = [
        ("Secret", "pull"),
        ("ConfigMap", "cm-vol"),
        ("Secret", "s-vol"),
        ("PersistentVolumeClaim", "data"),
        ("ConfigMap", "cm-proj"),
        ("Secret", "s-opt"),
        ("Secret", "s-env"),
        ("ConfigMap", "cm-key"),
    ]
    text = ALL_REFS + "".join(_later(k, n) for k, n in providers)
    report = lint_text(text, select=("HL302",))
    assert codes_lines(report) == [
        ("HL302", 9),
        ("HL302", 13),
        ("HL302", 16),
        ("HL302", 19),
        ("HL302", 24),
        ("HL302", 32),
        ("HL302", 37),
    ]
    assert "(imagePullSecrets)" in report.findings[0].message
    assert "in wave 0 needs Secret/pull" in report.findings[0].message


def test_same_or_earlier_wave_is_fine_and_a_later_namespace_is_pulled_forward() -> None:
    text = PRESYNC_JOB_WITH_SA.format(ns="shop").replace(
        "  namespace: shop\n", "  namespace: shop\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n", 2
    )
    text += y(
        """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          annotations:
            argocd.argoproj.io/sync-wave: "5"
        """
    )
    assert lint_text(text, select=("HL302",)).findings == []


PVC = y(
    """
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
      annotations:
        argocd.argoproj.io/sync-wave: "{pvc_wave}"
    spec:
      {spec}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: db
      annotations:
        argocd.argoproj.io/sync-wave: "1"
    spec:
      template:
        spec:
          volumes:
            - name: data
              persistentVolumeClaim:
                claimName: data
    """
)


def test_gated_pvc_before_its_only_consumer() -> None:
    report = lint_text(PVC.format(pvc_wave=0, spec="accessModes: [ReadWriteOnce]"), select=("HL303",))
    [finding] = report.findings
    assert (finding.code, finding.line, finding.column) == ("HL303", 6, 35)
    assert "with the cluster's default storage class" in finding.message
    assert "(StatefulSet/db in wave 1): Argo CD never gets to starting wave 1" in finding.message
    assert [r.position.line for r in finding.related] == [22]


def test_pvc_with_the_consumer_or_bound_without_one_is_fine() -> None:
    for wave, spec in (
        (1, "accessModes: [ReadWriteOnce]"),
        (0, "volumeName: pv-1"),
        (0, 'storageClassName: ""'),
    ):
        assert lint_text(PVC.format(pvc_wave=wave, spec=spec), select=("HL303",)).findings == []


STORAGE_CLASS = """---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
volumeBindingMode: {mode}
"""


def test_storage_class_in_the_set_decides() -> None:
    text = PVC.format(pvc_wave=0, spec="storageClassName: fast")
    immediate = text + STORAGE_CLASS.format(mode="Immediate")
    assert lint_text(immediate, select=("HL303",)).findings == []
    wffc = text + STORAGE_CLASS.format(mode="WaitForFirstConsumer")
    [finding] = lint_text(wffc, select=("HL303",)).findings
    assert "its storage class fast is WaitForFirstConsumer, so it stays Pending" in finding.message


def test_hl301_leaves_pvcs_to_hl303() -> None:
    config = Config(
        rules={
            "wave-gated-on-unhealthy-prone-resource": RuleConfig(params={"kinds": ["/PersistentVolumeClaim"]})
        }
    )
    text = PVC.format(pvc_wave=0, spec="accessModes: [ReadWriteOnce]")
    report = lint_text(text, select=("HL301", "HL303"), config=config)
    assert codes_lines(report) == [("HL303", 6)]  # HL301 would match the PVC by its kinds param


APPS = y(
    """
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: db
      annotations:
        argocd.argoproj.io/sync-wave: "0"
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: api
      annotations:
        argocd.argoproj.io/sync-wave: "1"
    """
)


def test_app_of_apps_wave() -> None:
    report = lint_text(APPS, select=("HL304",))
    [finding] = report.findings
    assert (finding.line, finding.column) == (6, 35)
    assert finding.message.startswith("Application/db in wave 0 is not the last step of the sync")
    assert finding.related[0].position.line == 13


def test_app_of_apps_param_and_version() -> None:
    healthy = Config(
        rules={"app-of-apps-wave-without-health": RuleConfig(params={"application-health": True})}
    )
    assert lint_text(APPS, select=("HL304",), config=healthy).findings == []
    old = Config(argocd_version=ArgoVersion(1, 7))
    assert lint_text(APPS, select=("HL304",), config=old).findings == []
    no_wave = APPS.replace('    argocd.argoproj.io/sync-wave: "0"\n', "    x: y\n")
    assert lint_text(no_wave, select=("HL304",)).findings == []


def _hook(types: str) -> str:
    return y(
        f"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: h
          annotations:
            argocd.argoproj.io/hook: {types}
            argocd.argoproj.io/sync-wave: "3"
        """
    )


def test_wave_on_ungated_hooks() -> None:
    for types in ("SyncFail", "PreDelete", "PostDelete", "PreDelete,PostDelete"):
        assert codes_lines(lint_text(_hook(types), select=("HL306",))) == [("HL306", 7)], types
    for types in ("PostSync", "SyncFail,PostSync", "Presync"):
        assert lint_text(_hook(types), select=("HL306",)).findings == [], types
    old = Config(argocd_version=ArgoVersion(2, 9))  # no PostDelete hooks: the hook is dropped
    assert lint_text(_hook("PostDelete"), select=("HL306",), config=old).findings == []


def _cm(name: str, namespace: str | None = None, kind: str = "ConfigMap", api: str = "v1") -> str:
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}{ns}\n"


def test_duplicates_across_files_of_one_folder() -> None:
    report = lint_texts(
        {"app/a.yaml": _cm("x"), "app/b.yaml": _cm("x"), "other/c.yaml": _cm("x")}, select=("HL307",)
    )
    [finding] = report.findings
    assert (finding.path, finding.line, finding.column) == ("app/b.yaml", 4, 9)
    assert (finding.related[0].path, finding.related[0].position.line) == ("app/a.yaml", 4)


def test_duplicate_identity_uses_group_namespace_and_scope() -> None:
    rbac = "rbac.authorization.k8s.io/v1"
    cases = [
        (_cm("x", "a") + "---\n" + _cm("x", "b"), None, []),
        (_cm("x", "a") + "---\n" + _cm("x"), None, []),
        (_cm("x", "a") + "---\n" + _cm("x"), "a", [("HL307", 10)]),
        (
            _cm("x", "a", "ClusterRole", rbac) + "---\n" + _cm("x", None, "ClusterRole", rbac),
            None,
            [("HL307", 10)],
        ),
        (
            _cm("x", kind="Thing", api="a.example/v1") + "---\n" + _cm("x", kind="Thing", api="b.example/v1"),
            None,
            [],
        ),
    ]
    for text, namespace, want in cases:
        assert codes_lines(lint_text(text, select=("HL307",), config=Config(namespace=namespace))) == want, (
            text
        )


def _generated(phase: str, prefix: str = "smoke-") -> str:
    return (
        f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: {prefix}\n"
        f"  annotations:\n    argocd.argoproj.io/hook: {phase}\n"
    )


def test_generate_name_hooks_collide_only_in_the_same_phase() -> None:
    same = _generated("PostSync") + "---\n" + _generated("PostSync,PreSync")
    report = lint_text(same, select=("HL307",))
    assert codes_lines(report) == [("HL307", 11)]
    assert '"smoke-<revision>-postsync-<time>"' in report.findings[0].message
    assert (
        lint_text(_generated("PostSync") + "---\n" + _generated("PreSync"), select=("HL307",)).findings == []
    )
    other = _generated("PostSync") + "---\n" + _generated("PostSync", "smoke2-")
    assert lint_text(other, select=("HL307",)).findings == []


CLUSTER_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: dummies.example.com
spec:
  group: example.com
  names: {kind: Dummy, plural: dummies}
  scope: Cluster
---
"""


def test_crd_scope_cluster_makes_namespaces_irrelevant() -> None:
    # as in argo-cd's e2e testdata/duplicated-resources: Argo CD clears the namespace of
    # cluster-scoped objects before it looks for duplicates
    dummies = (
        _cm("d", kind="Dummy", api="example.com/v1")
        + "---\n"
        + _cm("d", "default", "Dummy", "example.com/v1")
    )
    assert codes_lines(lint_text(CLUSTER_CRD + dummies, select=("HL307",))) == [("HL307", 18)]
    namespaced = CLUSTER_CRD.replace("scope: Cluster", "scope: Namespaced")
    assert lint_text(namespaced + dummies, select=("HL307",)).findings == []
