"""``hooklint plan``: Argo CD's order, what it waits on, and the three formats."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.argocd.syncplan import KIND_ORDER, KIND_RANK
from hooklint.cli.app import main
from hooklint.manifests import ManifestSet
from hooklint.planview import build
from hooklint.planview.json_format import plan_data
from hooklint.sources.files import load_bytes
from tests.conftest import REPO

CORPUS = next(
    (p for p in (REPO.parent / "shared" / "corpus", REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
    None,
)
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="the shared corpus is not next to this checkout")


def run_plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def order(data: dict[str, Any], index: int = 0) -> list[tuple[str, int | None, str]]:
    """(phase, wave, Kind/name) of every resource of one set, in plan order."""
    return [
        (phase["phase"], wave["wave"], f"{r['kind']}/{r['name']}")
        for phase in data["sets"][index]["phases"]
        for wave in phase["waves"]
        for r in wave["resources"]
    ]


@needs_corpus
def test_corpus_todo_app_order_verified_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    # redhat-scholars/argocd-tutorial todo-yaml: checked against gitops-engine sync_tasks.go
    # (phase, wave, kindOrder, name; Namespace already first, so adjustDeps moves nothing).
    assert CORPUS is not None
    folder = (
        CORPUS / "redhat-scholars__argocd-tutorial/documentation/modules/ROOT/examples/minikube/todo-yaml"
    )
    code, out, _ = run_plan(capsys, str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert order(data) == [
        ("Sync", -1, "Namespace/todo"),
        ("Sync", 0, "Service/postgres"),
        ("Sync", 0, "Deployment/postgresql"),
        ("Sync", 0, "Application/todo-app"),
        ("Sync", 1, "Job/todo-table"),
        ("Sync", 2, "ServiceAccount/todo-gitops"),
        ("Sync", 2, "Service/todo-gitops"),
        ("Sync", 2, "Deployment/todo-gitops"),
        ("Sync", 3, "Ingress/todo"),
        ("PostSync", 0, "Job/todo-insert"),
    ]
    waves = [w for p in data["sets"][0]["phases"] for w in p["waves"]]
    assert all(w["waited"] for w in waves)  # the final step holds a hook: it is waited on too
    ingress = waves[4]["resources"][0]
    assert ingress["canBlock"]["rule"] == "HL301"
    insert = waves[5]["resources"][0]
    assert (insert["hook"], insert["deletePolicy"], insert["deletePolicyDefault"]) == (
        True,
        ["HookSucceeded"],
        False,
    )


@needs_corpus
def test_corpus_example_apps_sync_waves_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert CORPUS is not None
    code, out, _ = run_plan(capsys, str(CORPUS / "argoproj__argocd-example-apps/sync-waves"), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert order(data) == [
        ("PreSync", 0, "Job/upgrade-sql-schema*"),
        ("Sync", 0, "Service/backend"),
        ("Sync", 0, "ReplicaSet/backend"),
        ("Sync", 1, "Job/maint-page-up"),
        ("Sync", 2, "Service/frontend"),
        ("Sync", 2, "ReplicaSet/frontend"),
        ("Sync", 3, "Job/maint-page-down"),
    ]
    first = data["sets"][0]["phases"][0]["waves"][0]["resources"][0]
    assert (first["deletePolicy"], first["deletePolicyDefault"]) == (["BeforeHookCreation"], True)


APP = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      template:
        spec:
          volumes:
            - name: d
              persistentVolumeClaim:
                claimName: data
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: data
      namespace: shop
      annotations:
        argocd.argoproj.io/sync-wave: "-1"
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      annotations:
        argocd.argoproj.io/sync-wave: "7"
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: notify
      annotations:
        argocd.argoproj.io/hook: SyncFail
        argocd.argoproj.io/hook-delete-policy: HookSucceeded
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: cleanup
      annotations:
        argocd.argoproj.io/hook: PostDelete
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: skipped
      annotations:
        argocd.argoproj.io/hook: Skip
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: typo
      annotations:
        argocd.argoproj.io/hook: Presync
    """
)


def plan_of(text: str, namespace: str | None = None) -> dict[str, Any]:
    loaded = load_bytes(text.encode(), "app/all.yaml")
    return plan_data([build("app", ManifestSet(loaded.documents, namespace=namespace))])


def test_phases_namespace_pull_forward_blockers_and_never_applied() -> None:
    data = plan_of(APP)
    assert order(data) == [
        ("Sync", -1, "Namespace/shop"),
        ("Sync", -1, "PersistentVolumeClaim/data"),
        ("Sync", 0, "Deployment/web"),
        ("SyncFail", 0, "Job/notify"),
        ("PostDelete", None, "Job/cleanup"),
    ]
    plan = data["sets"][0]
    namespace, pvc = plan["phases"][0]["waves"][0]["resources"]
    assert namespace["pulledForwardFrom"] == 7
    assert pvc["waited"] is True
    assert pvc["canBlock"]["rule"] == "HL303"
    web = plan["phases"][0]["waves"][1]["resources"][0]
    assert (web["waited"], web["canBlock"]) == (False, None)  # last step, no hooks: not waited on
    cleanup = plan["phases"][2]["waves"][0]["resources"][0]
    assert cleanup["deletePolicy"] == ["BeforeHookCreation"]
    never = [(r["name"], r["reason"]) for r in plan["neverApplied"]]
    assert never == [
        ("skipped", "hook type Skip: Argo CD never applies it"),
        (
            "typo",
            'argocd.argoproj.io/hook "Presync" names no hook type Argo CD knows: '
            "it silently drops the resource",
        ),
    ]


def test_configured_namespace_pulls_the_namespace_before_namespace_less_objects() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
        '  annotations:\n    argocd.argoproj.io/sync-wave: "3"\n'
    )
    assert order(plan_of(text)) == [("Sync", 0, "ConfigMap/a"), ("Sync", 3, "Namespace/shop")]
    assert order(plan_of(text, namespace="shop")) == [
        ("Sync", 0, "Namespace/shop"),
        ("Sync", 0, "ConfigMap/a"),
    ]


def test_text_and_mermaid_one_plan_per_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.yaml").write_text(APP)
    (tmp_path / "b" / "y.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only\n")
    code, out, _ = run_plan(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert [Path(h).name for h in headings] == ["a", "b"]
    assert "        ! can block (HL303): with the cluster's default storage class" in out
    assert "      Namespace/shop  [waited on, pulled forward from Sync wave 7]" in out
    assert "  Never applied\n" in out
    code, out, _ = run_plan(capsys, str(tmp_path / "a"), str(tmp_path / "b"), "-f", "mermaid")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart TD"
    assert sum(1 for line in lines if line.startswith("  subgraph p")) == 2  # one box per folder
    assert "    p0_s0_0 ==>|waits for health| p0_s0_1" in lines
    assert any("class p0_s0_0_1 canBlock" in line for line in lines)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_plan(capsys, str(tmp_path), "-f", "dot")
    assert (code, out) == (2, "")
    assert err == "hooklint: error: unknown format 'dot': use one of text, mermaid, json\n"
    code, _, err = run_plan(capsys, str(tmp_path / "missing"))
    assert code == 2
    assert err.startswith("hooklint: error: ") and "missing" in err


def test_check_accepts_namespace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
    )
    assert main(["check", "--isolated", "--select", "HL307", "-q", str(path)]) == 0
    assert main(["check", "--isolated", "--select", "HL307", "-q", "--namespace", "shop", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("HL307") == 1 and ":10:9: HL307 [error]" in out


KINDS = [*KIND_ORDER[:12], "Deployment", "Job", "Ingress", "Widget", "Application"]
RESOURCE = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(["a", "b", "c", "d"]),
    st.integers(-2, 2),
    st.sampled_from(["", "PreSync", "PostSync", "Sync", "SyncFail"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(RESOURCE, max_size=12))
def test_plan_order_is_argo_cds_sort(resources: list[tuple[str, str, int, str]]) -> None:
    docs = []
    for kind, name, wave, hook in resources:
        hook_line = f"    argocd.argoproj.io/hook: {hook}\n" if hook else ""
        docs.append(
            f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n"
            f'    argocd.argoproj.io/sync-wave: "{wave}"\n{hook_line}'
        )
    data = plan_of("---\n".join(docs) or "{}\n")
    got = order(data)
    phases = {"PreSync": -1, "Sync": 0, "PostSync": 1, "SyncFail": 2}
    keys = [(phases[p], w, KIND_RANK.get(ref.split("/")[0], 0), ref.split("/")[1]) for p, w, ref in got]
    assert keys == sorted(keys)  # no object has a namespace, so adjustDeps moves nothing
    # one task per resource (no hook here has two phases), of each (kind, name) the last copy only
    assert len(got) == len({(kind, name) for kind, name, _, _ in resources})
