"""Which resources Argo CD waits on, and in what order it applies them."""

from __future__ import annotations

from hooklint.argocd.syncplan import SyncPlan
from hooklint.sources.files import load_bytes


def plan(text: str) -> tuple[SyncPlan, dict[str, bool]]:
    docs = load_bytes(text.encode(), "f.yaml").documents
    sync_plan = SyncPlan(docs)
    return sync_plan, {d.ref: sync_plan.of(d).gated for d in docs}


def obj(kind: str, name: str, annotations: str = "{}", extra: str = "") -> str:
    api = {"Job": "batch/v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1"}.get(kind, "v1")
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations: {annotations}\n{extra}---\n"


WAVE = "{{argocd.argoproj.io/sync-wave: '{}'}}"


def test_single_step_waits_on_nothing() -> None:
    sync_plan, gated = plan(obj("Deployment", "a") + obj("Service", "b"))
    assert not sync_plan.multi_step
    assert gated == {"Deployment/a": False, "Service/b": False}


def test_earlier_waves_are_gated_the_last_is_not() -> None:
    text = obj("StatefulSet", "db", WAVE.format(0)) + obj("Deployment", "api", WAVE.format(1))
    sync_plan, gated = plan(text)
    assert sync_plan.multi_step
    assert gated == {"StatefulSet/db": True, "Deployment/api": False}
    db = sync_plan.tasks[0]
    assert sync_plan.blocked_by(db) == "starting wave 1"


def test_post_sync_hooks_gate_the_whole_sync_phase() -> None:
    text = obj("Deployment", "api") + obj("Job", "smoke", "{argocd.argoproj.io/hook: PostSync}")
    sync_plan, gated = plan(text)
    assert gated == {"Deployment/api": True, "Job/smoke": True}
    assert sync_plan.blocked_by(sync_plan.tasks[0]) == "running the PostSync hooks"


def test_a_syncfail_hook_makes_the_sync_multi_step_but_not_the_final_wave_gated() -> None:
    text = obj("Deployment", "api") + obj("Job", "alert", "{argocd.argoproj.io/hook: SyncFail}")
    sync_plan, gated = plan(text)
    assert sync_plan.multi_step
    assert gated == {"Deployment/api": False, "Job/alert": True}


def test_final_wave_with_hooks_is_waited_on_when_multi_step() -> None:
    text = (
        obj("Job", "migrate", "{argocd.argoproj.io/hook: PreSync}")
        + obj("Deployment", "api")
        + obj("Job", "seed", "{argocd.argoproj.io/hook: Sync}")
    )
    _, gated = plan(text)
    assert gated["Deployment/api"] is True


def test_order_is_phase_wave_kind_name() -> None:
    text = (
        obj("Deployment", "b")
        + obj("Deployment", "a")
        + obj("Service", "z")
        + obj("ConfigMap", "cfg", WAVE.format(1))
        + obj("Job", "pre", "{argocd.argoproj.io/hook: PreSync}")
        + "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    )
    sync_plan, _ = plan(text)
    order = [(t.phase, t.wave, t.doc.ref) for t in sync_plan.tasks]
    assert order == [
        ("PreSync", 0, "Job/pre"),
        ("Sync", 0, "Service/z"),
        ("Sync", 0, "Deployment/a"),
        ("Sync", 0, "Deployment/b"),
        ("Sync", 0, "Widget/w"),
        ("Sync", 1, "ConfigMap/cfg"),
    ]


def test_namespace_is_pulled_in_front_of_its_first_resource() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
        "  annotations: {argocd.argoproj.io/sync-wave: '5'}\n"
    )
    sync_plan, _ = plan(text)
    order = [(t.wave, t.doc.ref, t.pulled_forward) for t in sync_plan.tasks]
    assert order == [(0, "Namespace/shop", True), (0, "ConfigMap/c", False)]
    assert not sync_plan.multi_step
