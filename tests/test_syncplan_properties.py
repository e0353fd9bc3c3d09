"""Random manifest sets against invariants read off gitops-engine's code.

- NormalizeTargetObjects (AE controller/state.go): of each (group, kind, namespace, name)
  only the last object is kept, so duplicates never reach the plan;
  groupResources (GE sync_context.go): one generateName-only resource per key;
- syncTasks.Less (GE sync_tasks.go), ported literally below with Go's wrapping int64
  subtraction and a random revision for generateName hooks: no task that the plan puts
  after another may be Less than it, unless the plan says their order is not determined;
  a tie the plan calls determined is a resource before a hook in a sync of <= 12 tasks;
- adjustDeps: every CRD precedes its custom resources, every Namespace precedes the tasks
  in it (but a CRD pulled in front of it), and a pulled-forward task takes the phase and
  wave of the task it is pulled in front of;
- syncPhases / hook.Skip / ignore.Ignore: each object has one task per hook phase.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.argocd.annotations import PHASE_ORDER, hook_info
from hooklint.argocd.syncplan import KIND_ORDER, KIND_RANK, STABLE_SORT_MAX, SyncTask
from hooklint.manifests import ManifestSet
from hooklint.sources.files import load_bytes

KINDS = [*KIND_ORDER[:14], "Deployment", "Job", "Ingress", "ClusterRole", "Widget", "Gadget", "Application"]
API = {
    "Deployment": "apps/v1",
    "Job": "batch/v1",
    "Ingress": "networking.k8s.io/v1",
    "ClusterRole": "rbac.authorization.k8s.io/v1",
    "Widget": "x.io/v1",
    "Gadget": "x.io/v1",
    "Application": "argoproj.io/v1alpha1",
    "CustomResourceDefinition": "apiextensions.k8s.io/v1",
    "StorageClass": "storage.k8s.io/v1",
}
WAVES = st.one_of(
    st.none(),
    st.integers(-2, 3).map(str),
    st.sampled_from([str(2**31), str(-(2**63)), str(2**63 - 1), "1.5", "x", " 2", "", "-0", "+4"]),
)
HOOKS = st.sampled_from(
    [None, None, "PreSync", "Sync", "PostSync", "SyncFail", "Skip", "PreSync,PostSync", " Sync , Skip", "Bogus", ""]
)
HELM_HOOKS = st.sampled_from([None, None, "pre-install", "post-upgrade,pre-install", "crd-install", "test"])
OBJECT = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(KINDS),
        "name": st.sampled_from(["a", "b", "ab", "n1", "gen-", "a-", ""]),
        "generate": st.booleans(),
        "namespace": st.sampled_from([None, None, "n1", "n2"]),
        "wave": WAVES,
        "weight": st.sampled_from([None, "-1", "5", "9223372036854775807"]),
        "hook": HOOKS,
        "helm": HELM_HOOKS,
        "scope": st.sampled_from(["Namespaced", "Cluster"]),
    }
)


def render(spec: dict[str, Any]) -> str:
    kind = spec["kind"]
    lines = [f"apiVersion: {API.get(kind, 'v1')}", f"kind: {kind}", "metadata:"]
    name = spec["name"]
    if kind == "Namespace":
        spec = {**spec, "generate": False, "name": name if name in ("n1", "n2") else "n2", "namespace": None}
    if kind == "CustomResourceDefinition":
        crd_kind = "Widget" if name in ("a", "ab") else "Gadget"
        lines.append(f"  name: {crd_kind.lower()}s.x.io")
    elif spec["generate"] and name:
        lines.append(f"  generateName: {name}")
    else:
        lines.append(f"  name: {spec['name'] or 'z'}")
    if spec["namespace"]:
        lines.append(f"  namespace: {spec['namespace']}")
    annotations = {
        "argocd.argoproj.io/sync-wave": spec["wave"],
        "helm.sh/hook-weight": spec["weight"],
        "argocd.argoproj.io/hook": spec["hook"],
        "helm.sh/hook": spec["helm"],
    }
    written = [f"    {k}: '{v}'" for k, v in annotations.items() if v is not None]
    if written:
        lines += ["  annotations:", *written]
    if kind == "CustomResourceDefinition":
        lines += ["spec:", "  group: x.io", f"  scope: {spec['scope']}", "  names:", f"    kind: {crd_kind}"]
    return "\n".join(lines) + "\n"


def wrap64(value: int) -> int:
    value %= 2**64
    return value - 2**64 if value >= 2**63 else value


def go_name(task: SyncTask, revision: str) -> str:
    if not task.generated:
        return task.name
    return task.name + f"{revision[:7]}-{task.phase}-1700000000".lower()


def less(a: SyncTask, b: SyncTask, revision: str) -> bool:
    """GE sync_tasks.go syncTasks.Less, literally."""
    d = PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase]
    if d != 0:
        return d < 0
    d = wrap64(a.wave - b.wave)
    if d != 0:
        return d < 0
    d = KIND_RANK.get(a.doc.kind, 0) - KIND_RANK.get(b.doc.kind, 0)
    if d != 0:
        return d < 0
    return go_name(a, revision) < go_name(b, revision)


REVISION = st.text("0123456789abcdefxyz-", min_size=1, max_size=9)
#: few kinds, names and phases: ties, generateName prefixes and small (stable) sorts
CLOSE = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["ConfigMap", "Widget", "Gadget"]),
        "name": st.sampled_from(["a", "ab", "a-"]),
        "generate": st.booleans(),
        "namespace": st.sampled_from([None, "n1", "n2"]),
        "wave": st.sampled_from([None, "1"]),
        "weight": st.none(),
        "hook": st.sampled_from([None, "Sync", "PreSync"]),
        "helm": st.none(),
        "scope": st.just("Namespaced"),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(OBJECT, max_size=16), st.sampled_from(["", "n1"]), REVISION)
def test_plan_invariants(objects: list[dict[str, Any]], destination: str, revision: str) -> None:
    check_invariants(objects, destination, revision)


@settings(max_examples=200, deadline=None)
@given(st.lists(CLOSE, max_size=14), REVISION)
def test_plan_invariants_on_close_calls(objects: list[dict[str, Any]], revision: str) -> None:
    check_invariants(objects, "", revision)


def check_invariants(objects: list[dict[str, Any]], destination: str, revision: str) -> None:
    text = "---\n".join(render(o) for o in objects) or "{}\n"
    docs = load_bytes(text.encode(), "app/all.yaml").documents
    manifests = ManifestSet(docs, namespace=destination or None)
    plan = manifests.plan
    tasks = plan.tasks
    planned = {id(t.doc): t.doc for t in tasks}

    # duplicates never reach the plan; the copy kept is the last one
    last: dict[tuple[str, str, str, str], Any] = {}
    for doc in docs:
        if doc.kind and doc.name:
            last[(doc.group, doc.kind, manifests.argocd_namespace(doc), doc.name)] = doc
    seen: set[tuple[str, str, str, str]] = set()
    generated: set[tuple[str, str, str]] = set()
    for doc in planned.values():
        if doc.name:
            key = (doc.group, doc.kind, manifests.argocd_namespace(doc), doc.name)
            assert key not in seen and last[key] is doc
            seen.add(key)
        elif not plan.of(doc).hook.is_hook:
            gkey = (doc.group, doc.kind, manifests.argocd_namespace(doc))
            assert gkey not in generated
            generated.add(gkey)

    # each kept object has a task in each of its sync phases, and no other
    for doc in manifests.documents:
        if id(doc) in plan.collapsed_into:
            continue
        own = plan.of(doc).tasks
        expected = hook_info(doc).sync_phases
        assert len(own) == len(expected)  # a pulled-forward task takes another phase (adjustDeps)
        assert {t.phase for t in own if not t.pulled_forward} <= set(expected)

    # order: Less never holds backwards, except where the plan says the order is open
    pulled = [t.pulled_forward for t in tasks]
    for i, a in enumerate(tasks):
        for j in range(i + 1, len(tasks)):
            b = tasks[j]
            if pulled[i] or pulled[j] or a.phase in plan.wave_order_unknown:
                continue
            run_a, run_b = plan.unordered.get(id(a)), plan.unordered.get(id(b))
            if run_a is not None and run_b is not None and run_a.group == run_b.group:
                continue
            assert not less(b, a, revision), (a, b)
            if not less(a, b, revision) and a.phase == b.phase:  # a tie the plan calls determined
                assert plan.task_count <= STABLE_SORT_MAX and not a.is_hook and b.is_hook

    # adjustDeps: a pulled-forward task runs with the task it was pulled in front of
    for i, task in enumerate(tasks):
        if task.pulled_forward:
            anchor = next(t for t in tasks[i:] if not t.pulled_forward)
            assert (task.phase, task.wave) == (anchor.phase, anchor.wave)

    # CRDs precede their custom resources; Namespaces the tasks in them (but CRDs moved later)
    position = {id(t): i for i, t in enumerate(tasks)}
    for dep in tasks:
        doc = dep.doc
        if doc.kind == "CustomResourceDefinition" and doc.group == "apiextensions.k8s.io":
            gk = f"{doc.get(('spec', 'group'))}/{doc.get(('spec', 'names', 'kind'))}"
            users = [t for t in tasks if f"{t.doc.group}/{t.doc.kind}" == gk]
        elif doc.kind == "Namespace" and doc.group == "":
            users = [
                t
                for t in tasks
                if t.doc.kind != "Namespace"
                and (manifests.argocd_namespace(t.doc) or destination) == doc.name
                and not (t.doc.kind == "CustomResourceDefinition" and t.pulled_forward)
            ]
        else:
            continue
        assert all(position[id(dep)] < position[id(u)] for u in users), (dep, users)

    # multi-step as syncTasks.multiStep says
    assert plan.multi_step == (bool(tasks) and tasks[0].step != tasks[-1].step)
