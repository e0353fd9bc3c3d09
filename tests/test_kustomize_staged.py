"""A file named alone inside a Kustomize folder (pre-commit stages ``overlay/job.yaml``) renders the
kustomization that includes it; findings land on that file (and on their related ends).

Needs kubectl (``.ci/install-k8s-tools``) or kustomize on PATH; the rendering tests skip without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hooklint.sources.detect import KUSTOMIZE, SourceInput
from hooklint.sources.files import discover, including_kustomization
from tests.helm_tools import check
from tests.test_kustomize import TOOL, needs_kustomize, write

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: m, image: m}}]
"""
TREE = {
    "base/kustomization.yaml": "resources: [web.yaml]\n",
    "base/web.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: w, image: w}]
""",
    "overlay/kustomization.yaml": """\
resources:
  - ../base
  - job.yaml
  - other.yaml
commonAnnotations:
  argocd.argoproj.io/sync-wave: "1"
patches:
  - target: {kind: Job}
    patch: |
      - op: add
        path: /metadata/annotations/argocd.argoproj.io~1hook
        value: PreSync
""",
    "overlay/job.yaml": JOB.format(name="job"),
    "overlay/other.yaml": JOB.format(name="other"),
    "overlay/stray.yaml": JOB.format(name="stray"),
    "overlay/app.properties": "a=b\n",
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, TREE)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple[str, str, int, int]]]:
    kustomize = ["--kustomize", TOOL.argv[0]] if TOOL is not None else []
    code, out, err = check([*kustomize, "--no-cache", *args, "--format", "json"], capsys)
    assert "Traceback" not in err
    found: list[dict[str, Any]] = json.loads(out)
    return code, [(f["code"], f["path"], f["line"], f["column"]) for f in found]


def test_discovery_renders_the_folder_whose_kustomization_includes_the_file(here: Path) -> None:
    sources: list[SourceInput] = []
    files = list(
        discover(["overlay/job.yaml", "overlay/stray.yaml", "base/web.yaml"], cwd=here, sources=sources)
    )
    assert [f.display for f in files] == ["overlay/stray.yaml"]  # no kustomization includes it
    assert sources == [
        SourceInput(KUSTOMIZE, here / "overlay", "overlay", True, frozenset({"overlay/job.yaml"})),
        SourceInput(KUSTOMIZE, here / "base", "base", True, frozenset({"base/web.yaml"})),
    ]
    sources = []
    list(discover(["overlay/job.yaml", "overlay/other.yaml"], cwd=here, sources=sources))
    assert [s.named for s in sources] == [frozenset({"overlay/job.yaml", "overlay/other.yaml"})]


def test_the_search_stops_at_the_repository_root(here: Path) -> None:
    write(here, {"kustomization.yaml": "resources: [repo/x.yaml]\n", "repo/x.yaml": JOB.format(name="x")})
    assert including_kustomization(here / "repo/x.yaml", here, {}) == here
    (here / "repo/.git").mkdir()
    assert including_kustomization(here / "repo/x.yaml", here, {}) is None
    assert including_kustomization(here / "overlay/kustomization.yaml", here, {}) == here / "overlay"


@needs_kustomize
def test_a_staged_resource_gets_the_findings_of_the_rendered_app(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The overlay's patch makes the Job a hook: linted raw, job.yaml had no finding."""
    code, found = run(["overlay/job.yaml"], capsys)
    assert (code, found) == (1, [("HL201", "overlay/job.yaml", 5, 1), ("HL202", "overlay/job.yaml", 5, 1)])
    whole = run(["overlay"], capsys)[1]
    assert [f for f in whole if f[1] == "overlay/job.yaml"] == found
    assert {f[1] for f in whole} == {"overlay/job.yaml", "overlay/other.yaml", "overlay/kustomization.yaml"}


@needs_kustomize
def test_a_staged_kustomization_or_generator_input_reports_the_whole_app(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = run(["overlay"], capsys)
    assert run(["overlay/kustomization.yaml"], capsys) == whole
    write(here, {"overlay/kustomization.yaml": TREE["overlay/kustomization.yaml"] + (
        "configMapGenerator:\n  - name: props\n    files: [app.properties]\n"
    )})  # fmt: skip
    whole = run(["overlay"], capsys)
    assert run(["--skip-unknown-files", "overlay/app.properties"], capsys) == whole


def test_an_unreferenced_file_stays_raw(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No kustomization includes stray.yaml: a plain file (a plain Job, no hook: no finding)."""
    code, out, err = check(["--no-cache", "overlay/stray.yaml"], capsys)
    assert (code, out, err) == (0, "No findings in 1 file (1 object).\n", "")


@needs_kustomize
def test_plan_of_a_kustomize_folder_names_source_lines_and_no_kustomization(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hooklint.cli.app import main

    assert TOOL is not None
    code = main(["plan", "--isolated", "--kustomize", TOOL.argv[0], "overlay"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == [
        "overlay",
        "  PreSync  (before the Sync phase)",
        "    wave 1  (Argo CD waits for it before going on)",
        "      Job/job  [hook, waited on, delete: BeforeHookCreation (default)]  overlay/job.yaml:1",
        "      Job/other  [hook, waited on, delete: BeforeHookCreation (default)]  overlay/other.yaml:1",
        "  Sync  (the application's resources)",
        "    wave 1  (last step: the sync ends once it is applied)",
        "      Deployment/web  base/web.yaml:1",
    ]
