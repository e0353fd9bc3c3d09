"""``--scope app``: Argo CD Applications define the apps (sources/app_sets.py, engine, plan, output)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hooklint.cli.app import main
from tests.helm_tools import HELMS, check
from tests.test_kustomize import TOOL, needs_kustomize, write

CHARTS = Path(__file__).resolve().parent.parent.parent / "shared" / "charts"
SEED_APP = CHARTS / "CCH0124__argocd-gitops-manifest/developer/team-a/application/sync-wave-app.yaml"
SEED_SOURCE = CHARTS / "CCH0124__K8s-with-quarkus/argocd-sample"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
needs_seed = pytest.mark.skipif(not SEED_APP.is_file(), reason="../shared/charts is not checked out")


def git_tree(root: Path, origin: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", origin], check=True)
    return root


@pytest.fixture
def seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed's app and its Application in one tree whose origin is the Application's repoURL
    (as ../shared/charts/README.md says)."""
    root = git_tree(tmp_path / "repo", "https://github.com/CCH0124/K8s-with-quarkus.git")
    shutil.copytree(SEED_SOURCE, root / "argocd-sample")
    (root / "apps").mkdir()
    shutil.copy(SEED_APP, root / "apps" / "sync-wave-app.yaml")
    monkeypatch.chdir(root)
    return root


def plan_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code = main(["plan", "--isolated", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def names_in_order(plan: Any) -> list[str]:
    """Every object name of one plan, in sync order (phases, then waves, then apply order)."""
    text = json.dumps(plan)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and isinstance(node.get("kind"), str):
                found.append(f"{node['kind']}/{node['name']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(plan)
    assert text
    return found


@needs_git
@needs_seed
def test_seed_plan_of_the_application_in_the_published_order(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["plan", "--isolated", "."])
    out, _ = capsys.readouterr()
    assert code == 0
    heading = "app sync-wave-app (apps/sync-wave-app.yaml)"
    assert heading in out.splitlines()
    body = out.split(heading, 1)[1]
    order = [
        line.split()[0] for line in body.splitlines() if line.startswith("      ") and "/" in line.split()[0]
    ]
    deployments_jobs = [o for o in order if o.startswith(("Deployment/", "Job/"))]
    assert [o.split("/")[1] for o in deployments_jobs] == [
        "webhook-app", "postgresql", "upgrade-schema", "backend", "frontend", "restore-data", "slack-info",
    ]  # fmt: skip
    assert "-n team-a" in body  # destination.namespace


@needs_git
@needs_seed
def test_seed_findings_name_the_application(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(["."], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "app sync-wave-app (apps/sync-wave-app.yaml)"
    assert lines[1].startswith("  argocd-sample/sync-hook-wave/database.yaml:44:1: HL201 [warning] Job/upgrade-schema")
    code, out, _ = check([".", "--format", "json"], capsys)
    found = json.loads(out)
    assert code == 1
    assert {f["application"] for f in found} == {"sync-wave-app (apps/sync-wave-app.yaml)"}
    code, out, _ = check([".", "--format", "sarif"], capsys)
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert {r["properties"]["application"] for r in results} == {"sync-wave-app (apps/sync-wave-app.yaml)"}


@needs_git
@needs_seed
def test_scope_dir_keeps_folders_and_names_no_app(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check([".", "--scope", "dir", "--format", "json"], capsys)
    assert code == 1
    found = json.loads(out)
    assert found and all(f["application"] is None for f in found)


APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: git@github.com:org/repo.git
    path: {path}
{extra}  destination:
    server: https://kubernetes.default.svc
    namespace: {namespace}
"""

WAVE_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: m, image: m}}]
"""

DUP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  namespace: x\n"


@needs_git
def test_directory_include_exclude_choose_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the files Argo CD syncs are one app: an excluded duplicate is no HL307 duplicate,
    a file outside include is not part of it."""
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    extra = "    directory:\n      recurse: true\n      include: '{*.yaml,sub/*.yaml}'\n      exclude: 'old-*'\n"
    write(root, {
        "apps/web.yaml": APP.format(name="web", path="web", extra=extra, namespace="web"),
        "web/cm.yaml": DUP,
        "web/old-cm.yaml": DUP,  # excluded: not a duplicate of cm.yaml
        "web/sub/cm.yaml": DUP.replace("same", "other"),
    })  # fmt: skip
    monkeypatch.chdir(root)
    code, out, _ = check([".", "--format", "json", "--select", "HL307"], capsys)
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = check([".", "--scope", "dir", "--format", "json", "--select", "HL307"], capsys)
    assert code == 1
    assert [(f["code"], f["path"]) for f in json.loads(out)] == [("HL307", "web/old-cm.yaml")]


@needs_git
def test_an_application_whose_repo_is_mapped_with_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--repo URL=DIR``: an app-of-apps repo pointing at a second repository checked out beside it;
    its two folders form one app, so waves order across them."""
    apps = git_tree(tmp_path / "apps", "https://github.com/org/apps")
    write(apps, {"web.yaml": APP.format(name="web", path="web", extra="    directory: {recurse: true}\n",
                                        namespace="web")})  # fmt: skip
    other = tmp_path / "code"
    write(other, {"web/a/job.yaml": WAVE_JOB.format(name="a", wave=1), "web/b/job.yaml": WAVE_JOB.format(name="b", wave=2)})
    monkeypatch.chdir(tmp_path)
    main(["plan", "--isolated", "apps", "code", "--repo", "git@github.com:org/repo.git=code"])
    out = capsys.readouterr().out
    assert "app web (apps/web.yaml)" in out
    body = out.split("app web (apps/web.yaml)", 1)[1]
    assert body.index("Job/a -n web") < body.index("Job/b -n web")


@needs_git
def test_a_bad_repo_mapping_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {"apps/web.yaml": APP.format(name="web", path="web", extra="", namespace="web"),
                 "web/job.yaml": WAVE_JOB.format(name="a", wave=1)})  # fmt: skip
    monkeypatch.chdir(root)
    code, _, err = check([".", "--repo", "not-a-mapping"], capsys)
    assert code == 2
    assert "--repo: repo mapping 'not-a-mapping' is not URL=DIR" in err


@needs_git
@needs_kustomize
def test_a_kustomize_application_is_its_rendered_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {
        "apps/web.yaml": APP.format(name="web", path="overlay", extra="", namespace="web"),
        "overlay/kustomization.yaml": "resources: [job.yaml]\n",
        "overlay/job.yaml": WAVE_JOB.format(name="a", wave=1).replace("  backoffLimit: 0\n", "").replace(
            "sync-wave: \"1\"", "hook: PreSync"),
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, out, _ = check([".", "--kustomize", TOOL.argv[0], "--format", "json", "--select", "HL201"], capsys)
    found = json.loads(out)
    assert code == 1
    assert [(f["code"], f["path"], f["line"], f["application"]) for f in found] == [
        ("HL201", "overlay/job.yaml", 7, "web (apps/web.yaml)")  # spec: of the source file
    ]


HELM_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  namespace: {{ .Release.Namespace }}
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
{{- if .Values.backoff }}
  backoffLimit: {{ .Values.backoff }}
{{- end }}
{{- if .Values.deadline }}
  activeDeadlineSeconds: {{ .Values.deadline }}
{{- end }}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "{{ .Values.image }}"}]
"""


@needs_git
@pytest.mark.skipif(not HELMS[0].values[0], reason="helm 4 not installed (.ci/install-k8s-tools)")
def test_a_helm_application_renders_with_its_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """releaseName, destination namespace, valueFiles, valuesObject and parameters reach helm as
    Argo CD passes them: the Job's HL201 depends on the values they set."""
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    extra = (
        "    helm:\n      releaseName: shop\n      valueFiles: [values-prod.yaml]\n"
        "      valuesObject: {deadline: 0}\n"
        "      parameters:\n        - {name: image, value: 'a,b', forceString: true}\n"
    )
    write(root, {
        "apps/shop.yaml": APP.format(name="shop-app", path="chart", extra=extra, namespace="shop"),
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "backoff: 1\ndeadline: 60\nimage: x\n",
        "chart/values-prod.yaml": "backoff: 0\n",
        "chart/templates/job.yaml": HELM_JOB,
    })  # fmt: skip
    monkeypatch.chdir(root)
    helm = str(HELMS[0].values[0])
    code, out, _ = check([".", "--helm", helm, "--no-cache", "--format", "json", "--select", "HL201,HL202"], capsys)
    found = json.loads(out)
    assert code == 1
    # no backoffLimit: values-prod.yaml unsets it; no deadline: valuesObject unsets it
    app = "shop-app (apps/shop.yaml)"
    assert [(f["code"], f["path"], f["line"], f["object"], f["application"]) for f in found] == [
        ("HL201", "chart/templates/job.yaml", 8, "batch/v1 Job shop/shop-migrate", app),
        ("HL202", "chart/templates/job.yaml", 8, "batch/v1 Job shop/shop-migrate", app),
    ]
    # linted without the Application, the chart's own values set both
    code, out, _ = check(["chart", "--helm", helm, "--no-cache", "--format", "json"], capsys)
    assert (code, json.loads(out)) == (0, [])


@needs_git
@needs_kustomize
def test_a_kustomize_applications_parameters_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """namePrefix, namespace, commonAnnotations (a hook: HL011's case, made by the Application)
    and a patch file of the Application's kustomize block reach the build."""
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    extra = (
        "    kustomize:\n      namePrefix: prod-\n      namespace: prod\n"
        "      commonAnnotations: {argocd.argoproj.io/hook: PreSync}\n"
        "      images: ['m=registry/m:2']\n"
        "      patches:\n        - path: drop-deadline.yaml\n          target: {kind: Job}\n"
    )
    write(root, {
        "apps/web.yaml": APP.format(name="web", path="overlay", extra=extra, namespace="web"),
        "overlay/kustomization.yaml": "resources: [job.yaml]\n",
        "overlay/job.yaml": WAVE_JOB.format(name="a", wave=1),
        "overlay/drop-deadline.yaml": '[{"op": "remove", "path": "/spec/activeDeadlineSeconds"}]\n',
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, out, _ = check([".", "--kustomize", TOOL.argv[0], "--format", "json", "--select", "HL202"], capsys)
    found = json.loads(out)
    assert code == 1
    # a hook now (the Application's commonAnnotations), renamed and moved, without its deadline (the patch)
    assert [(f["code"], f["object"], f["application"]) for f in found] == [
        ("HL202", "batch/v1 Job prod/prod-a", "web (apps/web.yaml)")
    ]
    assert "hook Job/prod-a (PreSync)" in found[0]["message"]
    # the folder alone, without the Application: no hook, a deadline
    code, out, _ = check(["overlay", "--kustomize", TOOL.argv[0], "--format", "json", "--select", "HL202"], capsys)
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    ("spec", "entry"),
    [
        ("nginx=registry/nginx:1.27", {"name": "nginx", "newName": "registry/nginx", "newTag": "1.27"}),
        ("nginx:1.27", {"name": "nginx", "newTag": "1.27"}),
        ("localhost:5000/app", {"name": "localhost:5000/app"}),  # a registry port is no tag
        ("app=app@sha256:abc", {"name": "app", "digest": "sha256:abc"}),
    ],
)
def test_application_images_as_kustomize_edit_set_image_reads_them(spec: str, entry: dict[str, str]) -> None:
    from hooklint.argocd.application import KustomizeSource
    from hooklint.sources.app_params import kustomization_fields

    assert kustomization_fields(KustomizeSource(images=(spec,))) == {"images": [entry]}
