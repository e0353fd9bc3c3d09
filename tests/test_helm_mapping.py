"""Findings on rendered charts land on the template line that wrote the offending part.

Each chart is rendered by the real helm (4 and 3, skipped without them), and the same
chart is linted without rendering; the expected lines were checked against
``helm template`` output by hand (the same findings, piped in, land on rendered lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helm_tools import HELMS, findings, report, write_chart

HELPERS = """\
{{- define "demo.waveAnnotations" -}}
argocd.argoproj.io/sync-wave: "1.5"
{{- end }}
"""
# a range over two Jobs, a `with` block printing values with toYaml
JOBS = """\
{{- range .Values.jobs }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-{{ . }}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  activeDeadlineSeconds: 600
  template:
    metadata:
      {{- with $.Values.podLabels }}
      labels:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
{{- end }}
"""
# `{{- ... -}}` trimming, a multi-line action, an include, three documents in one file
MULTI = """\
{{- if .Values.enabled -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: {{
      .Values.deletePolicy
      | default "HookFailed" }}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 300
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    {{- include "demo.waveAnnotations" . | nindent 4 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: tuned
  annotations:
    argocd.argoproj.io/sync-wave: {{ .Values.wave | quote }}
{{- end }}
"""
VALUES = """\
jobs: [alpha, beta]
enabled: true
wave: "2.5"
podLabels:
  argocd.argoproj.io/sync-wave: "1"
"""
JOBS_PATH = "demo/templates/jobs.yaml"
MULTI_PATH = "demo/templates/multi.yaml"


@pytest.fixture
def chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return write_chart(
        tmp_path / "demo", {"_helpers.tpl": HELPERS, "jobs.yaml": JOBS, "multi.yaml": MULTI}, VALUES
    )


@pytest.mark.parametrize("helm", HELMS)
def test_rendered_findings_land_on_template_lines(
    chart: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got = findings(["demo", "--helm", helm, "--select", "ALL"], capsys)
    assert sorted(got) == sorted(
        [
            # range: both Jobs miss backoffLimit, which lands on their template's `spec:`
            ("HL201", JOBS_PATH, 10, 1),
            ("HL201", JOBS_PATH, 10, 1),
            # `toYaml .` inside `with $.Values.podLabels`: the label's key in values.yaml
            ("HL006", "demo/values.yaml", 5, 3),
            ("HL006", "demo/values.yaml", 5, 3),
            ("HL101", MULTI_PATH, 8, 44),  # the multi-line action that prints the policy
            ("HL002", MULTI_PATH, 26, 5),  # the include line: the key comes from the helper
            ("HL002", MULTI_PATH, 33, 35),  # a values-driven value: on its action
        ]
    )


@pytest.mark.parametrize("helm", HELMS)
def test_each_object_of_a_range_is_named(chart: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    found, _ = report(["demo", "--helm", helm, "--select", "HL201"], capsys)
    assert [(f["object"], f["line"]) for f in found] == [
        ("batch/v1 Job migrate-alpha", 10),
        ("batch/v1 Job migrate-beta", 10),
    ]


@pytest.mark.parametrize("helm", HELMS)
def test_a_values_driven_value_names_its_values_key(
    chart: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found, _ = report(["demo", "--helm", helm, "--select", "HL002"], capsys)
    by_line = {f["line"]: f["message"] for f in found}
    assert by_line[33].endswith("(set by values key wave)")
    assert "values key" not in by_line[26]


@pytest.mark.parametrize("helm", HELMS)
def test_values_and_set_change_what_is_rendered(
    chart: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (chart / "prod.yaml").write_text("enabled: false\n")
    got = findings(["demo", "--helm", helm, "--select", "HL002,HL101", "--values", "demo/prod.yaml"], capsys)
    assert got == []
    got = findings(["demo", "--helm", helm, "--select", "HL002", "--set", "wave=3"], capsys)
    assert got == [("HL002", MULTI_PATH, 26, 5)]


def test_without_rendering_only_literal_parts_are_judged(
    chart: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found, err = report(["demo", "--no-render", "--select", "ALL"], capsys)
    # the range body is linted once; the templated delete policy, the included and the
    # values-driven waves and the toYaml labels cannot be judged, so they give nothing
    assert [(f["code"], f["path"], f["line"], f["column"], f["object"]) for f in found] == [
        ("HL201", JOBS_PATH, 10, 1, "batch/v1 Job migrate-{{…}}"),
    ]
    assert (
        "demo: note: --no-render: linted templates without rendering; values-dependent parts unchecked" in err
    )


def test_without_helm_on_path_templates_are_linted_with_a_note(
    chart: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(chart / "nowhere"))
    found, err = report(["demo", "--select", "ALL"], capsys)
    assert [(f["code"], f["line"]) for f in found] == [("HL201", 10)]
    assert (
        "demo: note: helm not found: linted templates without rendering; values-dependent parts unchecked"
        in err
    )
