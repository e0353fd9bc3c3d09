"""The one-pass adjustDeps gives exactly the order of gitops-engine's shifting loop.

``reference_bubble`` is a literal port of GE pkg/sync/sync_tasks.go
``syncTasks.adjustDeps`` (shift the slice, bump every recorded index), which is
quadratic; hooklint's ``_bubble`` must agree with it on every task list.
"""

from __future__ import annotations

from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.argocd import syncplan
from hooklint.argocd.syncplan import SyncPlan, SyncTask
from hooklint.sources.files import load_bytes
from hooklint.values import replace


def reference_bubble(
    tasks: list[SyncTask],
    is_dep: Callable[[SyncTask], str | None],
    refers_to: Callable[[SyncTask], str | None],
) -> list[SyncTask]:
    out = list(tasks)
    first_index: dict[str, int] = {}
    for i in range(len(out)):
        task = out[i]
        key = is_dep(task)
        if key is not None:
            index = first_index.get(key)
            if index is not None:
                anchor = out[index]
                moved = replace(
                    task, phase=anchor.phase, wave=anchor.wave, wave_rank=anchor.wave_rank, pulled_forward=True
                )
                del out[i]
                out.insert(index, moved)
                for dep, position in first_index.items():
                    if position >= index:
                        first_index[dep] = position + 1
            continue
        ref = refers_to(task)
        if ref is not None and ref not in first_index:
            first_index[ref] = i
    return out


def manifest(kind: str, n: int, ns: int, wave: int, hook: str, i: int) -> str:
    annotations = f"  annotations:\n    argocd.argoproj.io/sync-wave: '{wave}'\n"
    if hook:
        annotations += f"    argocd.argoproj.io/hook: {hook}\n"
    if kind == "ns":
        return f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n{n}\n{annotations}"
    if kind == "crd":
        return (
            f"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c{n}\n"
            f"{annotations}spec:\n  group: g{n}\n  names:\n    kind: K{n}\n"
        )
    if kind == "cr":
        return f"apiVersion: g{n}/v1\nkind: K{n}\nmetadata:\n  name: r{i}\n  namespace: n{ns}\n{annotations}"
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m{i}\n  namespace: n{ns}\n{annotations}"


resource = st.tuples(
    st.sampled_from(["ns", "crd", "cr", "cm"]),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(-1, 2),
    st.sampled_from(["", "", "PreSync", "PostSync", "Sync", "PreSync,PostSync"]),
)


def plan_order(text: str, namespace: str | None) -> list[tuple[str, str, str, int, bool]]:
    docs = load_bytes(text.encode(), "app.yaml").documents
    return [
        (t.doc.kind, t.doc.name, t.phase, t.wave, t.pulled_forward)
        for t in SyncPlan(docs, namespace=namespace).tasks
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(resource, max_size=25), st.sampled_from([None, "n1"]))
def test_one_pass_matches_gitops_engine(
    resources: list[tuple[str, int, int, int, str]], namespace: str | None
) -> None:
    text = "---\n".join(manifest(*r, i) for i, r in enumerate(resources))
    fast = plan_order(text, namespace)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(syncplan, "_bubble", reference_bubble)
        slow = plan_order(text, namespace)
    assert fast == slow


def test_a_namespace_is_pulled_in_front_of_its_first_resource() -> None:
    text = "---\n".join(
        [manifest("cm", 0, 1, 0, "", 0), manifest("cm", 0, 1, 0, "", 1), manifest("ns", 1, 0, 2, "", 2)]
    )
    assert plan_order(text, None) == [
        ("Namespace", "n1", "Sync", 0, True),
        ("ConfigMap", "m0", "Sync", 0, False),
        ("ConfigMap", "m1", "Sync", 0, False),
    ]
