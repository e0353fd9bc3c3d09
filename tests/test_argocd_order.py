"""The six inputs where the plan differed from gitops-engine, and the ties, by hand from its code.

Each expected order is derived from the Argo CD 3.6.0 source (argo-cd 37ee0097, gitops-engine
vendored under gitops-engine/): controller/state.go NormalizeTargetObjects, pkg/sync
sync_context.go getSyncTasks / groupResources, sync_tasks.go Less / Sort / adjustDeps.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from hooklint.argocd.syncplan import REVISION_REASON, TIE_REASON, UNSTABLE_REASON, WAVE_WRAP_REASON
from hooklint.argocd.version import ArgoVersion
from hooklint.cli.app import main
from hooklint.manifests import ManifestSet
from hooklint.planview import build
from hooklint.planview.json_format import plan_data
from hooklint.sources.files import load_bytes
from tests.conftest import lint_text


def plan_of(text: str, namespace: str | None = None, version: ArgoVersion | None = None) -> dict[str, Any]:
    docs = load_bytes(text.encode(), "app/all.yaml").documents
    manifests = ManifestSet(docs, version, namespace) if version else ManifestSet(docs, namespace=namespace)
    return plan_data([build("app", manifests)])["sets"][0]


def order(data: dict[str, Any]) -> list[tuple[str, int | None, str, str | None]]:
    return [
        (phase["phase"], wave["wave"], f"{r['kind']}/{r['name']}", r["namespace"])
        for phase in data["phases"]
        for wave in phase["waves"]
        for r in wave["resources"]
    ]


def obj(kind: str, name: str, *annotations: str, api: str = "v1", ns: str = "", extra: str = "") -> str:
    meta = f"  name: {name}\n" if not name.endswith("-*") else f"  generateName: {name[:-1]}\n"
    if ns:
        meta += f"  namespace: {ns}\n"
    if annotations:
        meta += "  annotations:\n" + "".join(f"    {a}\n" for a in annotations)
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}{extra}---\n"


def wave(n: int | str) -> str:
    return f'argocd.argoproj.io/sync-wave: "{n}"'


HOOK = "argocd.argoproj.io/hook: "


# 1. duplicates: state.go NormalizeTargetObjects keeps targets[len(targets)-1] per key


def test_duplicate_keeps_the_last_copy_so_the_sync_is_one_step() -> None:
    text = obj("ConfigMap", "settings", wave(1)) + obj("ConfigMap", "settings", wave(2))
    data = plan_of(text)
    assert order(data) == [("Sync", 2, "ConfigMap/settings", None)]
    assert data["multiStep"] is False
    assert data["phases"][0]["waves"][0]["resources"][0]["line"] == 8
    assert data["phases"][0]["waves"][0]["resources"][0]["waited"] is False
    [replaced] = data["replaced"]
    assert (replaced["line"], replaced["reason"]) == (
        1,
        "defined again at app/all.yaml:8: Argo CD keeps only the last copy (HL307)",
    )
    report = lint_text(text, select=("HL307",))
    assert [(f.code, f.line, f.column) for f in report.findings] == [("HL307", 11, 9)]


def test_duplicate_key_uses_the_namespace_argo_cd_sets() -> None:
    # no namespace + destination "shop" is the same object as namespace: shop
    text = obj("ConfigMap", "a", wave(1), ns="shop") + obj("ConfigMap", "a", wave(2))
    assert order(plan_of(text)) == [("Sync", 1, "ConfigMap/a", "shop"), ("Sync", 2, "ConfigMap/a", None)]
    assert order(plan_of(text, namespace="shop")) == [("Sync", 2, "ConfigMap/a", "shop")]
    # a cluster-scoped kind's namespace is cleared first: these two are one ClusterRole
    api = "rbac.authorization.k8s.io/v1"
    text = obj("ClusterRole", "r", wave(1), api=api, ns="a") + obj("ClusterRole", "r", wave(3), api=api, ns="b")
    assert [o[:3] for o in order(plan_of(text))] == [("Sync", 3, "ClusterRole/r")]


#: Pod/p in wave 1, taking env from ConfigMap/cfg (HL302 compares the two waves)
POD_USING_CFG = obj(
    "Pod",
    "p",
    wave(1),
    extra="spec:\n  containers:\n    - name: c\n      image: x\n      envFrom:\n"
    "        - configMapRef:\n            name: cfg\n",
)


def test_other_rules_see_the_kept_copy_only() -> None:
    # HL302 would fire on the first copy (wave 5 after its consumer); Argo CD keeps the wave-0 one
    cm_late = obj("ConfigMap", "cfg", wave(5))
    cm_early = obj("ConfigMap", "cfg", wave(0))
    pod = POD_USING_CFG
    assert [f.code for f in lint_text(cm_late + pod, select=("HL302",)).findings] == ["HL302"]
    assert lint_text(cm_late + cm_early + pod, select=("HL302",)).findings == []


# 2. null annotations: apimachinery GetAnnotations -> NestedNullCoercingStringMap


NULL_POLICY = obj("Job", "smoke", HOOK + "PostSync", wave(3), "argocd.argoproj.io/hook-delete-policy:", api="batch/v1")


def test_null_annotation_reads_as_empty_and_the_others_still_count() -> None:
    data = plan_of(obj("ConfigMap", "c") + NULL_POLICY)
    assert order(data) == [("Sync", 0, "ConfigMap/c", None), ("PostSync", 3, "Job/smoke", None)]
    job = data["phases"][1]["waves"][0]["resources"][0]
    assert job["hook"] is True
    assert job["deletePolicy"] == ["BeforeHookCreation"] and job["deletePolicyDefault"] is True
    assert job["warnings"] == [
        'annotation "argocd.argoproj.io/hook-delete-policy" has no value: Argo CD reads it as "" '
        "(HL001); with annotation-based tracking (the default) the repo-server refuses the object"
    ]


def test_null_annotation_before_3_1_hides_every_annotation() -> None:
    # apimachinery < 0.33 (Argo CD < 3.1): a null value made GetAnnotations return nil
    data = plan_of(obj("ConfigMap", "c") + NULL_POLICY, version=ArgoVersion(3, 0, 0))
    assert order(data) == [("Sync", 0, "ConfigMap/c", None), ("Sync", 0, "Job/smoke", None)]


def test_null_hook_is_a_hook_of_no_type_never_applied() -> None:
    data = plan_of(obj("ConfigMap", "c", "argocd.argoproj.io/hook:", wave(2)))
    assert order(data) == []
    [never] = data["neverApplied"]
    assert never["reason"] == (
        'argocd.argoproj.io/hook "" names no hook type Argo CD knows: it silently drops the resource'
    )


def test_hl001_on_null_says_what_argo_cd_reads_and_that_the_repo_server_refuses_it() -> None:
    text = obj("Job", "j", "argocd.argoproj.io/hook:", api="batch/v1")
    [finding] = lint_text(text, select=("HL001",)).findings
    assert (finding.line, finding.column) == (6, 29)
    assert finding.message == (
        'annotation "argocd.argoproj.io/hook" on Job/j has no value (null): Argo CD reads it as "" '
        "(a hook of no type: Argo CD never applies it), and with annotation-based tracking (the "
        "default) the repo-server refuses the object (failed to set app instance tracking info), "
        "so nothing syncs; write a value"
    )
    crd = obj("CustomResourceDefinition", "w.x.io", "a/b:", api="apiextensions.k8s.io/v1")
    [finding] = lint_text(crd, select=("HL001",)).findings
    assert finding.message == 'annotation "a/b" on CustomResourceDefinition/w.x.io has no value (null): Argo CD reads it as ""; write a value'


# 3. cluster-scoped objects with a namespace: cleared by state.go; sync_context.go sets the destination


CLUSTER = (
    obj("Namespace", "team-a", wave(5))
    + obj("ClusterRole", "reader", api="rbac.authorization.k8s.io/v1", ns="team-a")
)


def test_cluster_scoped_namespace_does_not_pull_the_namespace_forward() -> None:
    assert order(plan_of(CLUSTER)) == [
        ("Sync", 0, "ClusterRole/reader", None),
        ("Sync", 5, "Namespace/team-a", None),
    ]


def test_destination_namespace_is_set_on_cluster_scoped_objects_too() -> None:
    # getSyncTasks: "We do this even though it might be a cluster-scoped resource"
    data = plan_of(CLUSTER, namespace="team-a")
    assert [o[:3] for o in order(data)] == [("Sync", 0, "Namespace/team-a"), ("Sync", 0, "ClusterRole/reader")]
    assert data["phases"][0]["waves"][0]["resources"][0]["pulledForwardFrom"] == 5


def test_cluster_scoped_custom_kind_from_its_crd() -> None:
    crd = obj(
        "CustomResourceDefinition",
        "widgets.x.io",
        api="apiextensions.k8s.io/v1",
        extra="spec:\n  group: x.io\n  scope: Cluster\n  names:\n    kind: Widget\n",
    )
    text = obj("Namespace", "team-a", wave(5)) + crd + obj("Widget", "w", wave(1), api="x.io/v1", ns="team-a")
    assert [o[:3] for o in order(plan_of(text))] == [
        ("Sync", 0, "CustomResourceDefinition/widgets.x.io"),
        ("Sync", 1, "Widget/w"),
        ("Sync", 5, "Namespace/team-a"),
    ]


# 4. generateName on a plain resource: Less sorts on GetName() == ""


def test_generate_name_resource_sorts_on_the_empty_name() -> None:
    text = obj("ConfigMap", "a") + obj("ConfigMap", "zzz-*")
    assert [o[2] for o in order(plan_of(text))] == ["ConfigMap/zzz-*", "ConfigMap/a"]


def test_two_generate_name_resources_of_one_key_collapse_to_one() -> None:
    # groupResources keys sc.resources by GetResourceKey: both have name "" in namespace ""
    data = plan_of(obj("ConfigMap", "a-*") + obj("ConfigMap", "b-*") + obj("ConfigMap", "c-*", ns="other"))
    assert [o[2:] for o in order(data)] == [("ConfigMap/b-*", None), ("ConfigMap/c-*", "other")]
    assert data["phases"][0]["waves"][0]["resources"][0]["warnings"] == [
        'Argo CD keeps only one of the generateName-only ConfigMaps: they share one resource key '
        '(name ""), and which one is kept depends on Go map order (2 here): the plan shows this one'
    ]
    [never] = data["neverApplied"]
    assert never["name"] == "a-*"
    assert never["reason"] == (
        'Argo CD keeps only one of the generateName-only ConfigMaps: they share one resource key '
        '(name ""), and which one is kept depends on Go map order; the plan shows app/all.yaml:6'
    )


# 5. generateName hooks: named <generateName><revision>-<phase>-<time> before sorting


def test_generate_name_hook_order_depends_on_the_revision_only_where_a_name_extends_it() -> None:
    job = "batch/v1"
    text = (
        obj("Job", "migrate-*", HOOK + "PreSync", api=job)  # migrate-<rev>... vs migrate-db: open
        + obj("Job", "migrate-db", HOOK + "PreSync", api=job)
        + obj("Job", "a-*", HOOK + "PreSync", api=job)  # "a-" < "m": always first
        + obj("Job", "zz", HOOK + "PreSync", api=job)  # always last
    )
    data = plan_of(text)
    assert [o[2] for o in order(data)] == ["Job/a-*", "Job/migrate-*", "Job/migrate-db", "Job/zz"]
    [step] = data["phases"][0]["waves"]
    assert step["orderNotDetermined"] == [{"first": 1, "last": 2, "reason": REVISION_REASON}]


def test_a_generate_name_span_covers_names_that_are_not_neighbours() -> None:
    # "a<rev>..." vs "ab<rev>...": revision "c" puts the ab hook first, "0" the a hook; the
    # fixed "ab" between them in the sorted list must not hide that (hypothesis found it).
    job = "batch/v1"
    text = (
        obj("Job", "a-*", HOOK + "Sync", api=job).replace("a-\n", "a\n")
        + obj("Job", "ab", HOOK + "Sync", api=job)
        + obj("Job", "ab-*", HOOK + "Sync", api=job).replace("ab-\n", "ab\n")
    )
    data = plan_of(text)
    [step] = data["phases"][0]["waves"]
    assert step["orderNotDetermined"] == [{"first": 0, "last": 2, "reason": REVISION_REASON}]


def test_generate_name_equal_to_a_name_is_ordered() -> None:
    # "job-" < "job-<anything>": determined
    text = obj("Job", "job-*", HOOK + "Sync", api="batch/v1") + obj("Job", "job-", HOOK + "Sync", api="batch/v1")
    data = plan_of(text)
    assert [o[2] for o in order(data)] == ["Job/job-", "Job/job-*"]
    assert data["phases"][0]["waves"][0]["orderNotDetermined"] == []


# 6. waves about 2^63 apart: d := tA.wave() - tB.wave() wraps in int64


MIN = -(2**63)


def test_wave_wrap_puts_wave_1_before_the_minimum() -> None:
    text = obj("ConfigMap", "low", wave(MIN)) + obj("ConfigMap", "one", wave(1))
    data = plan_of(text)
    assert [o[:3] for o in order(data)] == [("Sync", 1, "ConfigMap/one"), ("Sync", MIN, "ConfigMap/low")]
    assert data["multiStep"] is True
    first, last = data["phases"][0]["waves"]
    assert (first["waited"], last["waited"]) == (True, False)
    assert data["phases"][0]["waveOrderNotDetermined"] is None


def test_waves_2_63_apart_every_way_round_have_no_order() -> None:
    text = obj("ConfigMap", "a", wave(MIN)) + obj("ConfigMap", "b", wave(0)) + obj("ConfigMap", "c", wave(1))
    data = plan_of(text)
    assert data["phases"][0]["waveOrderNotDetermined"] == WAVE_WRAP_REASON


def test_hl012_reports_extreme_waves_and_the_wrap() -> None:
    text = obj("ConfigMap", "low", wave(MIN)) + obj("ConfigMap", "one", wave(1)) + obj("ConfigMap", "big", wave(2**31))
    report = lint_text(text, select=("HL012",))
    assert [(f.code, f.line, f.column) for f in report.findings] == [("HL012", 6, 35), ("HL012", 20, 35)]
    assert report.findings[0].message == (
        f"wave {MIN} on ConfigMap/low is outside +-2^31, almost surely a mistake: it is 2^63 or more "
        "from wave 2147483648 of ConfigMap/big, so Argo CD's int64 wave subtraction wraps and its sort "
        "gives ConfigMap/big (wave 2147483648) first"
    )
    assert report.findings[1].message == "wave 2147483648 on ConfigMap/big is outside +-2^31, almost surely a mistake: it is 2^63 or more from wave -9223372036854775808 of ConfigMap/low, so Argo CD's int64 wave subtraction wraps and its sort gives ConfigMap/big (wave 2147483648) first"
    assert lint_text(obj("ConfigMap", "ok", wave(2**31 - 1)), select=("HL012",)).findings == []
    assert [f.line for f in lint_text(obj("ConfigMap", "n", wave(-(2**31) - 1)), select=("HL012",)).findings] == [6]


# ties on phase, wave, kind and name


def test_a_resource_tied_with_a_hook_comes_first_in_small_syncs() -> None:
    # insertion sort (<= 12 tasks) is stable; resourceTasks are appended before hookTasks
    text = obj("ConfigMap", "x", HOOK + "Sync", ns="a") + obj("ConfigMap", "x", ns="b")
    data = plan_of(text)
    assert [o[2:] for o in order(data)] == [("ConfigMap/x", "b"), ("ConfigMap/x", "a")]
    assert data["phases"][0]["waves"][0]["orderNotDetermined"] == []


def test_ties_among_resources_are_not_determined() -> None:
    text = obj("ConfigMap", "x", ns="a") + obj("ConfigMap", "x", ns="b") + obj("ConfigMap", "z")
    data = plan_of(text)
    assert data["phases"][0]["waves"][0]["orderNotDetermined"] == [{"first": 0, "last": 1, "reason": TIE_REASON}]


def test_above_12_tasks_no_tie_is_determined() -> None:
    filler = "".join(obj("Secret", f"s{i}") for i in range(11))
    text = obj("ConfigMap", "x", HOOK + "Sync", ns="a") + obj("ConfigMap", "x", ns="b") + filler
    data = plan_of(text)
    assert data["phases"][0]["waves"][0]["orderNotDetermined"] == [{"first": 11, "last": 12, "reason": UNSTABLE_REASON}]


# plan text


def test_text_syncfail_is_not_waited_and_stdin_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    text = obj("ConfigMap", "c", wave(1)) + obj("Job", "undo", HOOK + "SyncFail", api="batch/v1")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["plan", "--isolated", "-"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "<stdin>"
    assert "    wave 0  (started together with the other SyncFail hooks)\n" in out
    assert "      Job/undo  [hook, delete: BeforeHookCreation (default)]  <stdin>:8\n" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["plan", "--isolated", "-", "--stdin-filename", "charts/shop.yaml", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["sets"][0]["folder"] == "charts/shop.yaml"


def test_text_marks_runs_in_no_fixed_order(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    (tmp_path / "a.yaml").write_text(obj("ConfigMap", "x", ns="a") + obj("ConfigMap", "x", ns="b"))
    assert main(["plan", "--isolated", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"      ~ the next 2 in no fixed order: {TIE_REASON}\n" in out


def test_whole_set_rules_follow_the_wrapped_wave_order() -> None:
    # the ConfigMap's wave -2^63 runs after wave 1 (int64 wrap): HL302 sees the Pod first
    pod = POD_USING_CFG
    text = obj("ConfigMap", "cfg", wave(MIN)) + pod
    assert [(f.code, f.line) for f in lint_text(text, select=("HL302",)).findings] == [("HL302", 20)]
    assert lint_text(obj("ConfigMap", "cfg", wave(-5)) + pod, select=("HL302",)).findings == []


def test_text_and_mermaid_list_replaced_copies(
    capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(obj("ConfigMap", "a", wave(1)) + obj("ConfigMap", "a", wave(2)))
    assert main(["plan", "--isolated", "a.yaml"]) == 0
    out = capsys.readouterr().out
    where = "a.yaml"
    assert out.endswith(
        f"  Replaced by a later copy\n      ConfigMap/a  {where}:1\n"
        f"        ! defined again at {where}:8: Argo CD keeps only the last copy (HL307)\n"
    )
    assert main(["plan", "--isolated", "--format", "mermaid", "a.yaml"]) == 0
    out = capsys.readouterr().out
    assert '  subgraph replaced["Replaced by a later copy"]\n' in out
    assert "  class replaced_0 neverApplied\n" in out
