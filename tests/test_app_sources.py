"""An Application's sources as Argo CD's repo-server renders them: ``$ref/`` value files of a
multi-source Application, env substitution and globs in ``valueFiles``
(:mod:`hooklint.argocd.value_files`), and ``.argocd-source*.yaml`` overrides
(:mod:`hooklint.argocd.source_overrides`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hooklint.argocd.value_files import RefRoot, envsubst, helm_values, resolve_value_files
from tests.helm_tools import HELMS, check
from tests.test_kustomize import TOOL, needs_kustomize, write
from tests.test_scope_app import WAVE_JOB, git_tree, needs_git

HELM4 = HELMS[0].values[0]
needs_helm = pytest.mark.skipif(not HELM4, reason="helm 4 not installed (.ci/install-k8s-tools)")

MULTI_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: https://github.com/org/apps.git
      path: chart
      helm:
{helm}    - repoURL: {ref_repo}
      targetRevision: main
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: web
"""
LABELLED_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 60
  template:
    metadata:
      {{- with .Values.podLabels }}
      labels:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
"""
PROD_VALUES = '# prod\npodLabels:\n  argocd.argoproj.io/sync-wave: "1"\n'
CONFIG = "https://github.com/org/config.git"


def findings(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Any], str]:
    code, out, err = check([*args, "--no-cache", "--format", "json"], capsys)
    return code, json.loads(out), err


def short(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(f["code"], f["path"], f["line"], f["column"], f["application"]) for f in found]


def site(tmp_path: Path, helm: str, ref_repo: str = CONFIG, **files: str) -> Path:
    """``site``: the Application and its chart (origin org/apps); ``config``: the values repo."""
    root = git_tree(tmp_path / "site", "https://github.com/org/apps")
    write(root, {
        "apps/web.yaml": MULTI_APP.format(helm=helm, ref_repo=ref_repo),
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "podLabels: {}\n",
        "chart/templates/job.yaml": LABELLED_JOB,
    })  # fmt: skip
    write(tmp_path, files)
    return root


# -- $ref/ value files -------------------------------------------------------------------------------
@needs_git
@needs_helm
def test_a_ref_value_file_renders_the_chart_and_findings_land_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``$values/envs/prod.yaml`` is read in the ``ref: values`` source's checkout (``--repo``):
    the label it sets is HL006's, at its line in that file."""
    site(tmp_path, "        valueFiles:\n          - $values/envs/prod.yaml\n", **{"config/envs/prod.yaml": PROD_VALUES})
    monkeypatch.chdir(tmp_path)
    code, found, _ = findings(["site", "--helm", str(HELM4), "--repo", f"{CONFIG}=config"], capsys)
    assert code == 1
    assert short(found) == [("HL006", "config/envs/prod.yaml", 3, 3, "web (site/apps/web.yaml)")]
    assert found[0]["object"] == "batch/v1 Job web-migrate"


@needs_git
@needs_helm
def test_a_ref_in_the_same_repository_needs_no_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site(
        tmp_path,
        "        valueFiles:\n          - $values/envs/prod.yaml\n",
        "git@github.com:org/apps.git",
        **{"site/envs/prod.yaml": PROD_VALUES},
    )
    monkeypatch.chdir(tmp_path / "site")
    code, found, _ = findings([".", "--helm", str(HELM4)], capsys)
    assert (code, short(found)) == (1, [("HL006", "envs/prod.yaml", 3, 3, "web (apps/web.yaml)")])


@needs_git
@needs_helm
def test_a_ref_repository_without_a_checkout_is_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site(tmp_path, "        valueFiles:\n          - $values/envs/prod.yaml\n")
    monkeypatch.chdir(tmp_path)
    code, found, err = findings(["site", "--helm", str(HELM4)], capsys)
    assert (code, found) == (0, [])
    assert (
        "site/apps/web.yaml: note: Application/web: value file $values/envs/prod.yaml not used: "
        "https://github.com/org/config.git has no local checkout (--repo URL=DIR)"
    ) in err


@needs_git
@needs_helm
def test_a_missing_ref_value_file_is_hl312_unless_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site(tmp_path, "        valueFiles:\n          - $values/envs/gone.yaml\n", **{"config/envs/prod.yaml": PROD_VALUES})
    monkeypatch.chdir(tmp_path)
    repo = ["--repo", f"{CONFIG}=config", "--helm", str(HELM4)]
    code, found, _ = findings(["site", *repo, "--select", "HL312,HL000"], capsys)
    assert code == 1
    where = (tmp_path / "config/envs/gone.yaml").resolve()
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in found] == [
        ("HL312", "site/apps/web.yaml", 13,
         f'Application/web: value file "$values/envs/gone.yaml" does not exist ({where}); helm template '
         "fails (no such file); set ignoreMissingValueFiles if it is optional"),
        ("HL000", "site/chart/Chart.yaml", 1,
         "values file config/envs/gone.yaml does not exist: Argo CD fails this render too (set "
         "ignoreMissingValueFiles in the Application, ignore-missing-values-files here)"),
    ]  # fmt: skip
    (tmp_path / "site/apps/web.yaml").write_text(
        MULTI_APP.format(
            helm="        ignoreMissingValueFiles: true\n        valueFiles:\n          - $values/envs/gone.yaml\n",
            ref_repo=CONFIG,
        )
    )
    code, found, _ = findings(["site", *repo], capsys)
    assert (code, found) == (0, [])


@needs_git
@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("$values/../secrets.yaml", "it resolves to outside the repository root"),
        ("$other/envs/prod.yaml", 'source referenced "$other", which is not a ref ($values)'),
        ("$values", "it resolves to the repository root"),
        ("ftp://host/v.yaml", "the URL scheme 'ftp' is not allowed"),
    ],
)
def test_value_files_argo_cd_refuses_are_hl312(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entry: str,
    problem: str,
) -> None:
    site(tmp_path, f"        valueFiles:\n          - {entry}\n", **{"config/envs/prod.yaml": PROD_VALUES,
                                                                   "secrets.yaml": "a: 1\n"})  # fmt: skip
    monkeypatch.chdir(tmp_path)
    args = ["site", "--repo", f"{CONFIG}=config", "--no-render", "--select", "HL312"]
    code, found, _ = findings(args, capsys)
    assert code == 1
    assert [(f["path"], f["line"], f["column"]) for f in found] == [("site/apps/web.yaml", 13, 13)]
    assert found[0]["message"].startswith(f'Application/web: value file "{entry}" fails manifest generation: {problem}')


def test_envsubst_is_go_os_expand() -> None:
    env = {"ARGOCD_APP_NAME": "web", "A": "x"}
    assert envsubst("values-$ARGOCD_APP_NAME.yaml", env)[0] == "values-web.yaml"
    assert envsubst("values-${ARGOCD_APP_NAME}.yaml", env)[0] == "values-web.yaml"
    assert envsubst("$values/prod.yaml", env) == ("/prod.yaml", frozenset({"values"}))  # unknown: ""
    assert envsubst("a$$b", env)[0] == "a$b"  # $$ is a dollar
    assert envsubst("cost$", env)[0] == "cost$"  # trailing: kept
    assert envsubst("a$/b", env)[0] == "a$/b"  # no name: kept
    assert envsubst("a${}b${A", env)[0] == "abA"  # bad syntax: ``${}`` and ``${`` eaten
    assert envsubst("$1x", env)[0] == "x"  # a special one-character name


def test_resolution_order_globs_and_symlinks(tmp_path: Path) -> None:
    """Explicit entries keep their place (left out of a glob's matches), duplicates go, a missing
    file stays for helm unless ignored, a symlink out of the repository is refused."""
    root = tmp_path / "repo"
    chart = root / "chart"
    write(root, {"chart/a.yaml": "", "chart/b.yaml": "", "chart/c.yaml": "", "env/web.yaml": ""})
    os.symlink(tmp_path / "outside.yaml", chart / "link.yaml")
    (tmp_path / "outside.yaml").write_text("")
    env = {"ARGOCD_APP_NAME": "web"}
    entries = ["*.yaml", "a.yaml", "missing.yaml", "/env/$ARGOCD_APP_NAME.yaml", "b.yaml", "link.yaml"]
    resolved = resolve_value_files(entries, chart, root, {}, env, multi_source=False, ignore_missing=False)
    assert [(v.entry, [p.name for p in v.paths], v.missing, v.problem) for v in resolved] == [
        ("*.yaml", [], False, "a match of the glob resolves to outside the repository root"),
        ("a.yaml", ["a.yaml"], False, ""),
        ("missing.yaml", ["missing.yaml"], True, ""),
        ("/env/$ARGOCD_APP_NAME.yaml", ["web.yaml"], False, ""),
        ("b.yaml", ["b.yaml"], False, ""),
        ("link.yaml", [], False, f"it resolves to outside the repository root ({root})"),
    ]  # fmt: skip
    os.unlink(chart / "link.yaml")
    resolved = resolve_value_files(entries[:5], chart, root, {}, env, multi_source=False, ignore_missing=True)
    assert [Path(p).relative_to(root).as_posix() for p in helm_values(resolved, True)] == [
        "chart/c.yaml", "chart/a.yaml", "env/web.yaml", "chart/b.yaml"
    ]  # fmt: skip


def test_ref_value_files_resolve_from_the_ref_root(tmp_path: Path) -> None:
    root, other = tmp_path / "repo", tmp_path / "other"
    write(other, {"envs/prod.yaml": ""})
    refs = {"$values": RefRoot(CONFIG, other), "$chart": RefRoot(CONFIG, other, chart="x"),
            "$far": RefRoot("https://github.com/org/far", None)}  # fmt: skip
    entries = ["$values/envs/prod.yaml", "$chart/x.yaml", "$far/x.yaml", "$values/envs/$ARGOCD_APP_REVISION.yaml"]
    resolved = resolve_value_files(entries, root, root, refs, {}, multi_source=True, ignore_missing=False)
    assert [(v.paths, v.problem, v.unknown) for v in resolved] == [
        ((other.resolve() / "envs/prod.yaml",), "", ""),
        ((), "ref $chart is a Helm chart: Argo CD reads no value files from it", ""),
        ((), "", "https://github.com/org/far has no local checkout (--repo URL=DIR)"),
        ((), "", "it names the commit ($ARGOCD_APP_REVISION)"),
    ]


# -- .argocd-source*.yaml -------------------------------------------------------------------------------
HELM_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: {namespace}
spec:
  project: default
  source:
    repoURL: https://github.com/org/repo
    path: chart
    helm:
      releaseName: shop
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
"""
HELM_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
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
      containers: [{name: m, image: m}]
"""


def helm_repo(tmp_path: Path, namespace: str = "argocd", **overrides: str) -> Path:
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {
        "apps/shop.yaml": HELM_APP.format(namespace=namespace),
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "backoff: 1\ndeadline: 60\n",
        "chart/templates/job.yaml": HELM_JOB,
        **{f"chart/{name}": text for name, text in overrides.items()},
    })  # fmt: skip
    return root


def codes(found: list[Any]) -> list[tuple[str, str, int]]:
    return [(f["code"], f["path"], f["line"]) for f in found]


@needs_git
@needs_helm
@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # the repo-wide file alone
        ({".argocd-source.yaml": "helm:\n  valuesObject: {backoff: 0}\n"}, ["HL201"]),
        # both: merged as JSON merge patches, valuesObject key by key
        ({".argocd-source.yaml": "helm:\n  valuesObject: {backoff: 0}\n",
          ".argocd-source-shop.yaml": "helm:\n  valuesObject: {deadline: 0}\n"}, ["HL201", "HL202"]),
        # the app's file comes second: it wins
        ({".argocd-source.yaml": "helm:\n  valuesObject: {deadline: 0}\n",
          ".argocd-source-shop.yaml": "helm:\n  valuesObject: {deadline: 60}\n"}, []),
        # parameters from an override reach --set
        ({".argocd-source-shop.yaml": "helm:\n  parameters: [{name: deadline, value: '0'}]\n"}, ["HL202"]),
        # another app's file is not read
        ({".argocd-source-other.yaml": "helm:\n  valuesObject: {backoff: 0}\n"}, []),
    ],
)  # fmt: skip
def test_argocd_source_files_override_helm_parameters(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    overrides: dict[str, str],
    expected: list[str],
) -> None:
    monkeypatch.chdir(helm_repo(tmp_path, **overrides))
    code, found, _ = findings([".", "--helm", str(HELM4), "--select", "HL201,HL202,HL000"], capsys)
    assert [f["code"] for f in found] == expected
    assert all(f["path"] == "chart/templates/job.yaml" for f in found)
    assert code == (1 if expected else 0)


@needs_git
@needs_helm
def test_the_app_file_of_an_application_outside_argocd_is_namespace_underscore_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``Application.InstanceName``: ``team_shop`` for an Application in namespace ``team``."""
    root = helm_repo(
        tmp_path,
        "team",
        **{".argocd-source-shop.yaml": "helm:\n  valuesObject: {backoff: 0}\n",
           ".argocd-source-team_shop.yaml": "helm:\n  valuesObject: {deadline: 0}\n"},
    )  # fmt: skip
    monkeypatch.chdir(root)
    code, found, _ = findings([".", "--helm", str(HELM4), "--select", "HL201,HL202"], capsys)
    assert (code, [f["code"] for f in found]) == (1, ["HL202"])


@needs_git
@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("helm: [1, 2]\n", 1, 7, "helm is a list, not a mapping"),
        ("- helm\n", 1, 1, "is a list, not a mapping of source fields"),
        ("helm:\n  valuesObject: {a: 1\n", 3, 1, "while parsing a flow mapping"),
    ],
)
def test_a_malformed_argocd_source_file_is_hl000_on_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    column: int,
    message: str,
) -> None:
    """Argo CD fails manifest generation ("error while parsing source parameters"): an HL000 at
    the spot, never a traceback; the source is linted without the overrides."""
    monkeypatch.chdir(helm_repo(tmp_path, **{".argocd-source.yaml": text}))
    code, found, err = findings([".", "--no-render", "--select", "HL000"], capsys)
    assert code == 1, err
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in found] == [
        ("HL000", "chart/.argocd-source.yaml", line, column)
    ]
    assert message in found[0]["message"]
    assert found[0]["message"].endswith(
        "Argo CD fails manifest generation (error while parsing source parameters)"
    )
    assert "Traceback" not in err


@needs_git
def test_an_empty_argocd_source_file_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(helm_repo(tmp_path, **{".argocd-source.yaml": "# nothing yet\n"}))
    code, found, _ = findings([".", "--no-render"], capsys)
    assert (code, found) == (0, [])


@needs_git
@needs_kustomize
def test_argocd_source_files_override_kustomize_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``kustomize:`` block in ``.argocd-source.yaml`` reaches the build like the Application's
    own (here a hook annotation on every object, HL202 then judges the Job as a hook); the
    app's file adds a namePrefix on top."""
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    app = HELM_APP.format(namespace="argocd").replace("path: chart", "path: overlay").replace(
        "    helm:\n      releaseName: shop\n", "")  # fmt: skip
    write(root, {
        "apps/shop.yaml": app,
        "overlay/kustomization.yaml": "resources: [job.yaml]\n",
        "overlay/job.yaml": WAVE_JOB.format(name="a", wave=1).replace("  activeDeadlineSeconds: 60\n", ""),
        "overlay/.argocd-source.yaml": "kustomize:\n  commonAnnotations: {argocd.argoproj.io/hook: PreSync}\n",
        "overlay/.argocd-source-shop.yaml": "kustomize:\n  namePrefix: prod-\n",
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, found, _ = findings([".", "--kustomize", TOOL.argv[0], "--select", "HL202"], capsys)
    assert code == 1
    assert [(f["code"], f["object"], f["application"]) for f in found] == [
        ("HL202", "batch/v1 Job prod-a", "shop (apps/shop.yaml)")
    ]
    assert "hook Job/prod-a (PreSync)" in found[0]["message"]


# -- Helm and Kustomize sources outside the linted paths; one folder, several Applications ----------
OPTIONS_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/org/repo
    path: {path}
{extra}  destination:
    server: https://kubernetes.default.svc
    namespace: web
  syncPolicy:
    syncOptions:
      - CreateNamespace=true
      - Replace=true
"""
NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n"
PLAIN_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
"""


HOOK = "  annotations:\n    argocd.argoproj.io/hook: PreSync\n"


def app_findings(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(f["code"], f["path"], f["line"], f["related"][0]["path"] if f["related"] else None) for f in found]


@needs_git
@needs_helm
def test_a_chart_outside_the_linted_paths_is_rendered_as_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Linting only ``apps/``: the chart the Application renders is context, so its whole-set
    rules see the chart's Namespace and Job (HL310, HL311); the chart's own findings are not
    reported (HL201 on its Job: the chart is not linted)."""
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {
        "apps/web.yaml": OPTIONS_APP.format(name="web", path="chart", extra=""),
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/templates/ns.yaml": NAMESPACE,
        "chart/templates/job.yaml": PLAIN_JOB.replace("spec:\n  template", HOOK + "spec:\n  template", 1),
    })  # fmt: skip
    monkeypatch.chdir(root)
    code, found, _ = findings(["apps", "--helm", str(HELM4)], capsys)
    assert code == 1
    assert app_findings(found) == [
        ("HL310", "apps/web.yaml", 16, "chart/templates/ns.yaml"),
        ("HL311", "apps/web.yaml", 17, "chart/templates/job.yaml"),
    ]
    assert {f["application"] for f in found} == {"web (apps/web.yaml)"}
    code, found, _ = findings([".", "--helm", str(HELM4), "--select", "HL201"], capsys)
    assert (code, [(f["code"], f["path"]) for f in found]) == (1, [("HL201", "chart/templates/job.yaml")])


@needs_git
@needs_kustomize
def test_a_kustomization_outside_the_linted_paths_is_rendered_as_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {
        "apps/web.yaml": OPTIONS_APP.format(name="web", path="overlay", extra=""),
        "overlay/kustomization.yaml": "resources: [ns.yaml, job.yaml]\n",
        "overlay/ns.yaml": NAMESPACE,
        "overlay/job.yaml": PLAIN_JOB.replace("{{ .Release.Name }}", "web"),
    })  # fmt: skip
    monkeypatch.chdir(root)
    assert TOOL is not None
    code, found, _ = findings(["apps", "--kustomize", TOOL.argv[0]], capsys)
    assert code == 1
    assert app_findings(found) == [
        ("HL310", "apps/web.yaml", 16, "overlay/ns.yaml"),
        ("HL311", "apps/web.yaml", 17, "overlay/job.yaml"),
    ]


DEADLINE_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 0
{{- if not .Values.fast }}
  activeDeadlineSeconds: 60
{{- end }}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
"""


def two_apps(tmp_path: Path, path: str, extra_a: str, extra_b: str, files: dict[str, str]) -> Path:
    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    plain = OPTIONS_APP.replace("      - CreateNamespace=true\n      - Replace=true\n", "      - Validate=false\n")
    write(root, {
        "apps/a.yaml": plain.format(name="a", path=path, extra=extra_a),
        "apps/b.yaml": plain.format(name="b", path=path, extra=extra_b),
        **files,
    })  # fmt: skip
    return root


def plans(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    """``app <label>`` heading -> the object names of its plan, in order (text output)."""
    from hooklint.cli.app import main

    assert main(["plan", "--isolated", *args]) == 0
    out = capsys.readouterr().out
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        if line.startswith("app "):
            current = found.setdefault(line, [])
        elif not line.startswith(" "):
            current = None
        elif current is not None and line.startswith("      "):
            current.append(line.split()[0])
    return found


@needs_git
@needs_helm
def test_a_chart_two_applications_render_is_rendered_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each Application renders the chart with its own parameters: b's valuesObject drops the
    deadline (HL202 for b only), each plan holds its own release's Job."""
    chart = {
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "fast: false\n",
        "chart/templates/job.yaml": DEADLINE_JOB,
    }
    root = two_apps(tmp_path, "chart", "", "    helm:\n      valuesObject: {fast: true}\n", chart)
    monkeypatch.chdir(root)
    helm = ["--helm", str(HELM4)]
    code, found, _ = findings([".", *helm, "--select", "HL202"], capsys)
    assert code == 1
    assert [(f["code"], f["path"], f["object"], f["application"]) for f in found] == [
        ("HL202", "chart/templates/job.yaml", "batch/v1 Job b-migrate", "b (apps/b.yaml)")
    ]
    monkeypatch.setenv("PATH", f"{Path(str(HELM4)).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    assert plans(["."], capsys) == {
        "app a (apps/a.yaml)": ["Job/a-migrate", "Application/a"],
        "app b (apps/b.yaml)": ["Job/b-migrate", "Application/b"],
    }
    # --scope dir: one render, with the first Application's parameters, and a note
    code, found, err = findings([".", *helm, "--scope", "dir", "--select", "HL202"], capsys)
    assert (code, found) == (0, [])
    assert (
        "chart: note: Application/b also renders this folder; linted with Application/a's "
        "parameters (--scope app renders it for each)"
    ) in err


@needs_git
@needs_kustomize
def test_a_kustomization_two_applications_render_is_built_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = {
        "overlay/kustomization.yaml": "resources: [job.yaml]\n",
        "overlay/job.yaml": PLAIN_JOB.replace("{{ .Release.Name }}", "web"),
    }
    root = two_apps(tmp_path, "overlay", "    kustomize: {namePrefix: a-}\n", "", folder)
    monkeypatch.chdir(root)
    assert TOOL is not None
    assert plans(["apps", "--kustomize", TOOL.argv[0]], capsys) == {
        "app a (apps/a.yaml)": ["Job/a-web-migrate", "Application/a"],
        "app b (apps/b.yaml)": ["Job/web-migrate", "Application/b"],
    }


@needs_git
@needs_kustomize
def test_a_later_application_s_kustomize_block_replaces_the_folder_s_prefix_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each Application's build is edited as ``kustomize edit`` edits it, the second one's too
    (``namePrefix`` replaces the folder's own; a wrapper would add to it: b-own-web-migrate)."""
    folder = {
        "overlay/kustomization.yaml": "namePrefix: own-\nresources: [job.yaml]\n",
        "overlay/job.yaml": PLAIN_JOB.replace("{{ .Release.Name }}", "web"),
    }
    root = two_apps(tmp_path, "overlay", "", "    kustomize: {namePrefix: b-}\n", folder)
    monkeypatch.chdir(root)
    assert TOOL is not None
    assert plans(["apps", "--kustomize", TOOL.argv[0]], capsys) == {
        "app a (apps/a.yaml)": ["Job/own-web-migrate", "Application/a"],
        "app b (apps/b.yaml)": ["Job/b-web-migrate", "Application/b"],
    }


@needs_git
def test_the_app_layer_imports_no_renderer_unless_an_application_needs_one(tmp_path: Path) -> None:
    """A raw-YAML run loads none of the Application modules; a Directory Application loads them
    but neither the Helm nor the Kustomize source."""
    import subprocess
    import sys

    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {"web/job.yaml": WAVE_JOB.format(name="a", wave=1), "plain/cm.yaml": NAMESPACE})
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', sys.argv[1]]); "
        "mods = ('hooklint.sources.helm', 'hooklint.sources.kustomize', 'hooklint.sources.app_local', "
        "'hooklint.argocd.value_files', 'hooklint.argocd.source_overrides'); "
        "print(rc, sorted(m for m in sys.modules if m in mods or m.startswith(tuple(x + '.' for x in mods))))"
    )
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(tmp_path / "cache")}

    def loaded(path: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code, path], cwd=root, capture_output=True, text=True, check=True, env=env
        )
        return result.stdout.splitlines()[-1]

    assert loaded("plain") == "0 []"
    write(root, {"apps/web.yaml": OPTIONS_APP.format(name="web", path="web", extra="")})
    assert loaded(".") == (
        "1 ['hooklint.argocd.source_overrides', 'hooklint.argocd.value_files', 'hooklint.sources.app_local']"
    )


@needs_git
def test_a_directory_application_run_imports_no_typing_nor_contextlib(tmp_path: Path) -> None:
    """The Application layer's modules import typing's names for the type checker only (typing
    took 5 ms to import), and glob only for a valueFiles pattern (it brings in contextlib)."""
    import subprocess
    import sys

    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {"web/job.yaml": WAVE_JOB.format(name="a", wave=1)})
    write(root, {"apps/web.yaml": OPTIONS_APP.format(name="web", path="web", extra="")})
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', '--no-cache', '.']); "
        "print(rc, 'hooklint.sources.app_local' in sys.modules, "
        "sorted(m for m in ('typing', 'contextlib', 'glob') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "1 True []"


@needs_git
def test_config_repos_reach_the_application_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``repos:`` in .hooklint.yaml (relative to it) maps the ``ref`` repository for HL312 as
    ``--repo`` does: the missing ``$values/`` file is found missing there."""
    from hooklint.cli.app import main

    root = site(tmp_path, "        valueFiles:\n          - $values/envs/gone.yaml\n", **{"config/envs/prod.yaml": ""})
    (root / ".hooklint.yaml").write_text(f"repos:\n  {CONFIG}: ../config\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "site", "--no-render", "--no-cache", "--select", "HL312", "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["path"], f["line"]) for f in found] == [("site/apps/web.yaml", 13)]
    assert f"({(tmp_path / 'config/envs/gone.yaml').resolve()})" in found[0]["message"]


@needs_git
def test_argocd_source_files_override_directory_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``directory:`` block in ``.argocd-source.yaml`` changes which files the app syncs: the
    excluded copy is no HL307 duplicate any more."""
    from tests.test_scope_app import APP, DUP

    root = git_tree(tmp_path / "repo", "https://github.com/org/repo")
    write(root, {
        "apps/web.yaml": APP.format(name="web", path="web", extra="    directory: {recurse: true}\n", namespace="web"),
        "web/cm.yaml": DUP,
        "web/old/cm.yaml": DUP,
    })  # fmt: skip
    monkeypatch.chdir(root)
    code, found, _ = findings([".", "--select", "HL307"], capsys)
    assert (code, [f["path"] for f in found]) == (1, ["web/old/cm.yaml"])
    (root / "web/.argocd-source.yaml").write_text("directory:\n  exclude: 'old/*'\n")
    code, found, _ = findings([".", "--select", "HL307"], capsys)
    assert (code, found) == (0, [])


@needs_git
def test_ref_value_files_of_a_chart_from_a_helm_repository_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The common pattern: a chart from a Helm repository, its values from git (``ref``). The
    chart is not rendered (no download), but its ``$values/`` entries are checked."""
    app = MULTI_APP.replace(
        "    - repoURL: https://github.com/org/apps.git\n      path: chart\n",
        "    - repoURL: https://charts.example.com\n      chart: web\n      targetRevision: 1.0.0\n",
    )
    helm = "        valueFiles:\n          - $values/envs/prod.yaml\n          - $values/envs/gone.yaml\n          - values-extra.yaml\n"
    root = git_tree(tmp_path / "site", "https://github.com/org/apps")
    write(root, {"apps/web.yaml": app.format(helm=helm, ref_repo="https://github.com/org/apps")})
    write(root, {"envs/prod.yaml": PROD_VALUES})
    monkeypatch.chdir(root)
    code, found, _ = findings([".", "--select", "HL312"], capsys)
    assert code == 1
    assert [(f["line"], f["message"].split(";")[0]) for f in found] == [
        (15, f'Application/web: value file "$values/envs/gone.yaml" does not exist ({root.resolve()}/envs/gone.yaml)')
    ]


VALUES_OBJECT_APP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: before
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/org/apps.git
    path: chart
    helm:
      valuesObject:
        podLabels:
          team: a
          argocd.argoproj.io/sync-wave: "1"
  destination:
    server: https://kubernetes.default.svc
    namespace: web
"""


@needs_git
@needs_helm
def test_findings_from_values_object_land_on_the_application_or_override_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key the chart prints with ``toYaml`` from ``valuesObject`` is reported where it is
    written: in the Application (its second document here), or in the ``.argocd-source*.yaml``
    that sets it (the later layer wins)."""
    root = git_tree(tmp_path / "site", "https://github.com/org/apps")
    write(root, {
        "apps/web.yaml": VALUES_OBJECT_APP,
        "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
        "chart/values.yaml": "podLabels: {}\n",
        "chart/templates/job.yaml": LABELLED_JOB,
    })  # fmt: skip
    monkeypatch.chdir(root)
    helm = ["--helm", str(HELM4), "--select", "HL006"]
    code, found, _ = findings([".", *helm], capsys)
    assert (code, short(found)) == (1, [("HL006", "apps/web.yaml", 20, 11, "web (apps/web.yaml)")])
    (root / "chart/.argocd-source-web.yaml").write_text(
        "helm:\n  valuesObject:\n    podLabels:\n      argocd.argoproj.io/sync-wave: '2'\n"
    )
    code, found, _ = findings([".", *helm], capsys)
    assert (code, short(found)) == (1, [("HL006", "chart/.argocd-source-web.yaml", 4, 7, "web (apps/web.yaml)")])


FILE_PARAM_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate{{ .Values.suffix }}
  annotations:
    argocd.argoproj.io/hook: {{ .Values.hook | trim }}
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
"""
CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
"""


@needs_git
@needs_helm
def test_file_parameters_env_substitution_and_skip_crds_reach_helm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fileParameters`` (``--set-file``, a ``$ref/`` path from the ref's checkout), parameter
    values env-substituted (``$ARGOCD_APP_NAME``) and ``skipCrds`` (no ``--include-crds``), as
    ``helmTemplate`` and ``Cmd.template`` pass them."""
    helm = (
        "        parameters: [{name: suffix, value: '-$ARGOCD_APP_NAME'}]\n"
        "        fileParameters: [{name: hook, path: $values/hooks/phase.txt}]\n"
    )
    root = site(tmp_path, helm, "https://github.com/org/apps", **{"site/hooks/phase.txt": "PostSync\n"})
    write(root, {"chart/templates/job.yaml": FILE_PARAM_JOB, "chart/crds/crd.yaml": CRD})
    monkeypatch.chdir(root)
    monkeypatch.setenv("PATH", f"{Path(str(HELM4)).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    from hooklint.cli.app import main

    assert main(["plan", "--isolated", "."]) == 0
    out = capsys.readouterr().out.split("app web (apps/web.yaml)", 1)[1]
    assert "CustomResourceDefinition/widgets.example.com" in out
    assert out.index("PostSync") < out.index("Job/migrate-web")
    (root / "apps/web.yaml").write_text(
        MULTI_APP.format(helm=helm + "        skipCrds: true\n", ref_repo="https://github.com/org/apps")
    )
    assert main(["plan", "--isolated", "."]) == 0
    out = capsys.readouterr().out.split("app web (apps/web.yaml)", 1)[1]
    assert "CustomResourceDefinition" not in out
    assert "Job/migrate-web" in out
