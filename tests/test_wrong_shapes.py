"""Documents of the wrong Kubernetes shape never crash a rule (every rule runs on each)."""

from __future__ import annotations

import pytest

from tests.conftest import lint_text

HEAD = "apiVersion: batch/v1\nkind: Job\n"
SHAPES = [
    "metadata: x\n",
    "metadata: [a, b]\n",
    "metadata: {annotations: [a, b]}\n",
    "metadata: {annotations: x, name: [1]}\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/hook: [PreSync]}}\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/hook: PreSync, helm.sh/hook: {a: 1}}}\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/hook: PreSync}}\nspec: null\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/hook: PreSync}}\nspec: [1, 2]\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/hook: PreSync}}\nspec: {template: x}\n",
    "metadata: {name: j}\nspec: {template: {spec: {containers: {a: 1}}}}\n",
    "metadata: {name: j}\nspec: {template: {metadata: [x], spec: null}}\n",
    "metadata: {name: 5, namespace: [x], generateName: {}}\n",
    "metadata: {name: j, annotations: {argocd.argoproj.io/sync-wave: '1', x: null}}\n",
]


@pytest.mark.parametrize("body", SHAPES)
@pytest.mark.parametrize("kind", ["Job", "Pod", "Deployment", "StatefulSet", "Service", "Ingress", "CronJob"])
def test_no_rule_crashes(body: str, kind: str) -> None:
    api = {"Job": "batch/v1", "CronJob": "batch/v1", "Pod": "v1", "Service": "v1"}.get(kind, "apps/v1")
    text = HEAD.replace("batch/v1", api).replace("Job", kind) + body
    context = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {argocd.argoproj.io/sync-wave: '5'}}\n"
    lint_text(text + "---\n" + context, select=("ALL",))


def test_kind_that_is_a_list_is_not_an_object() -> None:
    report = lint_text("apiVersion: v1\nkind: [Job]\nmetadata: {name: x}\n", select=("ALL",))
    assert report.findings == [] and report.documents == 0
