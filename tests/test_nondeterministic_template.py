"""HL010 nondeterministic-template on charts: direct calls, $variables, helpers through include."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helm_tools import HELMS, report, write_chart

HELPERS = """\
{{- define "demo.password" -}}
{{ randAlphaNum 16 }}
{{- end }}
{{- define "demo.token" -}}
{{ include "demo.password" . | b64enc }}
{{- end }}
{{- define "demo.name" -}}
demo
{{- end }}
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "demo.name" . }}-creds
data:
  password: {{ include "demo.password" . | b64enc }}
  token: {{ include "demo.token" . }}
  stamp: {{ now | date "2006" | b64enc }}
  fixed: {{ "c2VjcmV0" }}
---
{{- $suffix := randAlphaNum 5 | lower }}
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-{{ $suffix }}
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
"""
EXPECTED = [
    (6, 13, 'randAlphaNum (through include "demo.password")'),
    (7, 10, 'randAlphaNum (through include "demo.token")'),  # a helper that includes one
    (8, 10, "now"),
    (15, 9, "randAlphaNum (through $suffix)"),  # assigned on line 11, printed in the name
]


@pytest.fixture
def chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return write_chart(tmp_path / "demo", {"_helpers.tpl": HELPERS, "secret.yaml": SECRET})


def _check(found: list[dict[str, object]]) -> None:
    assert [(f["line"], f["column"], str(f["message"]).split(" makes ")[0]) for f in found] == EXPECTED
    assert {f["path"] for f in found} == {"demo/templates/secret.yaml"}
    job = found[-1]["message"]
    assert isinstance(job, str) and "a hook named with it never matches its previous run" in job


@pytest.mark.parametrize("helm", HELMS)
def test_rendered(chart: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    found, _ = report(["demo", "--helm", helm, "--select", "HL010"], capsys)
    _check(found)


def test_without_rendering(chart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found, _ = report(["demo", "--no-render", "--select", "HL010"], capsys)
    _check(found)


def test_a_chart_without_such_calls_has_none(chart: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (chart / "templates" / "secret.yaml").write_text(
        SECRET.replace("randAlphaNum 5", '"x"').replace("now", "1")
    )
    (chart / "templates" / "_helpers.tpl").write_text(HELPERS.replace("randAlphaNum 16", '"p"'))
    found, _ = report(["demo", "--no-render", "--select", "HL010"], capsys)
    assert found == []
