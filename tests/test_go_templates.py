"""Helm/Go templates are reported as one note per file; valid YAML placeholders are linted."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from hooklint.model import Severity
from hooklint.sources.files import load_bytes, looks_like_go_template
from tests.conftest import lint_texts

TEMPLATES = {
    "values": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "{{ .Values.a }}"\n',
    "release in quotes": "metadata:\n  namespace: '{{ $.Release.Namespace }}'\n",
    "control line": "{{- if .enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n",
    "comment action": "{{/* a comment */}}\napiVersion: v1\n",
    "include as value": 'metadata:\n  labels: {{- include "x.labels" . | nindent 4 }}\n',
    "variable as value": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ $fullName }}\n",
    "variable then text": "metadata:\n  name: {{ $fullName }}-db\n",
    "list item": "spec:\n  args:\n    - {{ .arg }}\n",
    "toYaml line": "spec:\n  template:\n    spec:\n      {{- toYaml .spec | nindent 6 }}\n",
    "random name": "metadata:\n  name: cm-{{ randAlpha 6 | lower }}\n",
    "tpl in string": 'data:\n  a: "{{ tpl .x . }}"\n',
}

PLACEHOLDERS = {
    "appset quoted": (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n"
        "  template:\n    metadata:\n      name: '{{path.basename}}'\n"
    ),
    "appset go template": (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n"
        '  goTemplate: true\n  template:\n    metadata:\n      name: "nginx-{{ .name }}"\n'
    ),
    "appset templatePatch": (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a\nspec:\n"
        "  goTemplate: true\n  templatePatch: |\n    {{- if .autoSync }}\n    spec:\n"
        "      syncPolicy:\n        automated: {{ toYaml .sync | nindent 10 }}\n    {{- end }}\n"
        "  template:\n    metadata:\n      name: '{{ .name }}'\n"
    ),
    "workflow parameters": (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: hello-\nspec:\n"
        '  templates:\n    - name: main\n      container:\n        args: ["{{inputs.parameters.msg}}"]\n'
        '        command:\n          - "{{=sprig.upper(workflow.name)}}"\n'
    ),
    "go-template in shell": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - command:\n            - /bin/sh\n            - -c\n            - |\n"
        "              oc get route x -o go-template='{{.spec.host}}'\n"
    ),
}


@pytest.mark.parametrize("text", TEMPLATES.values(), ids=TEMPLATES.keys())
def test_templates_are_detected(text: str) -> None:
    assert looks_like_go_template(text)


@pytest.mark.parametrize("text", PLACEHOLDERS.values(), ids=PLACEHOLDERS.keys())
def test_valid_yaml_placeholders_are_linted(text: str) -> None:
    assert not looks_like_go_template(text)
    loaded = load_bytes(text.encode(), "app.yaml")
    assert loaded.notices == []
    assert loaded.problems == []
    assert len(loaded.documents) == 1


def test_a_template_is_one_note_and_no_finding() -> None:
    chart = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n"
        "  annotations:\n    argocd.argoproj.io/hook: PreSync\n"
        '{{- if .Values.x }}\n  labels: {{ include "l" . }}\n{{- end }}\n'
    )
    report = lint_texts({"chart/templates/job.yaml": chart}, select=("ALL",))
    assert report.findings == []
    assert [(n.path, n.message.split(";")[0]) for n in report.notices] == [
        ("chart/templates/job.yaml", "Go/Helm template ('{{ ... }}')")
    ]
    assert not report.failing(Severity.INFO)


def _corpus() -> Path:
    for candidate in (os.environ.get("HOOKLINT_CORPUS"), "/work/shared/corpus"):
        if candidate and (Path(candidate) / "SOURCES.tsv").is_file():
            return Path(candidate)
    pytest.skip("the manifest corpus is not on this machine")


# Files of the corpus whose '{{ }}' are ApplicationSet placeholders or shell text in
# valid YAML (SOURCES.tsv's is_helm_template only says the file contains '{{').
CORPUS_PLACEHOLDERS = {
    "christianh814/gitops-examples:poor-mans-syncwave/appset.yaml",
    "diversario/argocd-sync-waves:apps/stage-1/nginx.yaml",
    "redhat-cop/gitops-catalog:advanced-cluster-security-operator/instance/overlays/"
    "internal-registry-integration/stackrox-image-integration-update-job.yaml",
}


def test_corpus_templates() -> None:
    corpus = _corpus()
    with (corpus / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    detected, expected = set(), set()
    for row in rows:
        key = f"{row['repo']}:{row['path']}"
        path = corpus / row["repo"].replace("/", "__") / row["path"]
        if not path.is_file():
            continue
        if looks_like_go_template(path.read_text(encoding="utf-8")):
            detected.add(key)
        if row["is_helm_template"] == "yes" and key not in CORPUS_PLACEHOLDERS:
            expected.add(key)
    assert len(expected) >= 30
    assert detected == expected
    for key in CORPUS_PLACEHOLDERS:
        repo, rel = key.split(":")
        loaded = load_bytes((corpus / repo.replace("/", "__") / rel).read_bytes(), rel)
        assert loaded.documents and not loaded.problems and not loaded.notices
