"""HL006 misplaced-argocd-annotation."""

from __future__ import annotations

import pytest

from tests.conftest import lint_text

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  labels:
    argocd.argoproj.io/instance: my-app
    argocd.argoproj.io/secret-type: repository
    helm.sh/hook-weight: "1"
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    metadata:
      labels:
        argocd.argoproj.io/sync-options: Prune=false
    spec:
      template:
        metadata:
          annotations:
            argocd.argoproj.io/hook: PreSync
            argocd.argoproj.io/compare-options: IgnoreExtraneous
            example.com/other: "x"
        spec:
          restartPolicy: Never
          containers:
            - name: main
              image: example/main:1.0
"""


def findings(text: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, ("HL006",)).findings]


def test_labels_and_templates_of_a_cronjob() -> None:
    found = findings(CRONJOB)
    assert [(line, col) for line, col, _ in found] == [(8, 5), (14, 9), (19, 13), (20, 13)]
    assert "is a label, but Helm (and Argo CD) reads it only from metadata.annotations" in found[0][2]
    assert "in the Job template's metadata (labels)" in found[1][2]
    assert "in the pod template's metadata (annotations)" in found[2][2]


def test_key_also_on_the_object_is_not_reported() -> None:
    text = CRONJOB.replace(
        "  labels:\n    argocd.argoproj.io/instance",
        '  annotations:\n    argocd.argoproj.io/hook: PreSync\n    helm.sh/hook-weight: "1"\n'
        "  labels:\n    argocd.argoproj.io/instance",
    )
    assert [(line, col) for line, col, _ in findings(text)] == [(17, 9), (23, 13)]


@pytest.mark.parametrize(
    "kind_api",
    [
        ("Deployment", "apps/v1"),
        ("StatefulSet", "apps/v1"),
        ("Job", "batch/v1"),
        ("Rollout", "argoproj.io/v1alpha1"),
    ],
)
def test_pod_templates(kind_api: tuple[str, str]) -> None:
    kind, api = kind_api
    text = f"""apiVersion: {api}
kind: {kind}
metadata:
  name: x
spec:
  template:
    metadata:
      labels:
        argocd.argoproj.io/sync-wave: "2"
"""
    assert [(line, col) for line, col, _ in findings(text)] == [(9, 9)]


def test_kinds_without_templates_only_check_labels() -> None:
    text = """apiVersion: v1
kind: ConfigMap
metadata:
  name: x
spec:
  template:
    metadata:
      labels:
        argocd.argoproj.io/sync-wave: "2"
"""
    assert findings(text) == []


def test_never_applied_resource_gets_only_its_own_finding() -> None:
    text = CRONJOB.replace(
        "  labels:\n    argocd.argoproj.io/instance",
        "  annotations:\n    helm.sh/hook: test\n  labels:\n    argocd.argoproj.io/instance",
    )
    assert findings(text) == []
    assert {f.code for f in lint_text(text).findings} == {"HL106"}


def test_deployment_template_annotations_are_reported_at_the_key() -> None:
    text = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    metadata:
      annotations:
        argocd.argoproj.io/hook: PreSync
        prometheus.io/scrape: "true"
"""
    [(line, col, message)] = findings(text)
    assert (line, col) == (9, 9)
    assert message == (
        '"argocd.argoproj.io/hook" on Deployment/api is in the pod template\'s metadata (annotations), '
        "but Argo CD reads it only from the object's own metadata.annotations, so it has no effect; "
        "move it there"
    )


CHART_VALUES = """\
replicaCount: 1
podAnnotations:
  argocd.argoproj.io/hook: PreSync
"""
CHART_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      containers:
        - name: web
          image: nginx
"""


def test_values_driven_pod_annotations_are_reported_in_values_yaml(tmp_path: object) -> None:
    """HL006 on a chart whose podAnnotations come from values.yaml: the finding must point at
    the key in values.yaml, where the user wrote it (needs the Helm source and helm)."""
    import importlib.util
    import shutil
    from pathlib import Path

    if importlib.util.find_spec("hooklint.sources.helm") is None:
        pytest.skip("hooklint cannot render Helm charts yet (the Helm source has not landed)")
    if shutil.which("helm") is None:
        pytest.skip("helm is not installed")
    from hooklint.cli.app import main

    chart = Path(str(tmp_path)) / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text(CHART_VALUES)
    (chart / "templates" / "deployment.yaml").write_text(CHART_DEPLOYMENT)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--isolated", "--select", "HL006", "--quiet", str(chart)])
    assert code == 1
    [line] = out.getvalue().splitlines()
    where = line.split(": HL006 ", 1)[0]
    assert where.endswith("values.yaml:3:3"), line  # the key in values.yaml, not the template
