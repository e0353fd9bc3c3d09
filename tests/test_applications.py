"""argocd/application, argocd/repos and the Application rules HL310, HL311, HL312 (and HL011)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hooklint.argocd.application import (
    DirectorySource,
    HelmParameter,
    KustomizePatch,
    parse_application,
)
from hooklint.argocd.repos import (
    RepoMap,
    RepoMappingError,
    argocd_normalize,
    local_repos,
    parse_mappings,
    remote_urls,
    repo_key,
)
from hooklint.check import CheckContext
from hooklint.checks.kustomizations import HookAnnotationInCommonAnnotations
from hooklint.config import Config, RuleConfig
from hooklint.manifests import ManifestSet
from hooklint.model import Document, Severity, SourceFile
from hooklint.registry import load_registry
from hooklint.sources.directory_globs import select_files
from hooklint.sources.files import load_bytes
from hooklint.yaml.reader import parse_yaml
from tests.conftest import lint_text, lint_texts

CHARTS = Path(__file__).resolve().parent.parent.parent / "shared" / "charts"
needs_charts = pytest.mark.skipif(not CHARTS.is_dir(), reason="../shared/charts is not checked out")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="no git binary to make a test repository")


def app_of(text: str):  # type: ignore[no-untyped-def]
    (doc,) = load_bytes(text.encode(), "app.yaml").documents
    return parse_application(doc)


HELM_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: team
  source:
    repoURL: https://github.com/org/repo.git
    path: charts/web
    targetRevision: v1
    helm:
      releaseName: web-prod
      namespace: web-ns
      skipCrds: true
      ignoreMissingValueFiles: true
      valueFiles: [values.yaml, /env/prod.yaml]
      values: |
        replicas: 2
      valuesObject:
        image: {tag: "1.2"}
      parameters:
        - {name: image.tag, value: "1.3"}
        - {name: flag, value: true, forceString: true}
  destination:
    server: https://kubernetes.default.svc
    namespace: web
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true, "Replace=true "]
"""


def test_parse_helm_application() -> None:
    app = app_of(HELM_APP)
    assert app is not None
    assert (app.name, app.namespace, app.project, app.multi_source) == ("web", "argocd", "team", False)
    (source,) = app.sources
    assert (source.at, source.repo_url, source.path, source.target_revision) == (
        ("spec", "source"),
        "https://github.com/org/repo.git",
        "charts/web",
        "v1",
    )
    helm = source.helm
    assert helm is not None
    assert helm.value_files == ("values.yaml", "/env/prod.yaml")
    assert helm.values == "replicas: 2\n"
    assert helm.values_object == {"image": {"tag": "1.2"}}
    assert helm.parameters == (HelmParameter("image.tag", "1.3"), HelmParameter("flag", "true", True))
    assert (helm.release_name, helm.namespace, helm.skip_crds, helm.ignore_missing_value_files) == (
        "web-prod",
        "web-ns",
        True,
        True,
    )
    assert source.explicit_types == ("Helm",)
    assert app.destination_namespace == "web" and app.automated
    assert app.has_sync_option("CreateNamespace=true")
    assert not app.has_sync_option("Replace=true")  # HasOption compares exactly: no trimming


KUSTOMIZE_MULTI = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: multi
spec:
  sources:
    - repoURL: git@github.com:org/repo.git
      path: overlays/prod
      kustomize:
        namePrefix: prod-
        nameSuffix: -v2
        images: ["nginx=nginx:1.27"]
        commonLabels: {team: a}
        commonAnnotations: {argocd.argoproj.io/sync-wave: "1"}
        namespace: prod
        components: [../../components/debug]
        patches:
          - target: {kind: Deployment, name: web}
            patch: |-
              - op: replace
                path: /spec/replicas
                value: 3
    - repoURL: https://github.com/org/values
      ref: values
    - repoURL: https://github.com/org/repo
      path: charts/web
      helm:
        valueFiles: [$values/web/prod.yaml]
      directory: {recurse: true}
  source:
    repoURL: https://ignored.example.com/x
    path: ignored
  destination:
    namespace: prod
"""


def test_parse_multi_source_kustomize_application() -> None:
    app = app_of(KUSTOMIZE_MULTI)
    assert app is not None and app.multi_source
    assert [s.at for s in app.sources] == [
        ("spec", "sources", 0),
        ("spec", "sources", 1),
        ("spec", "sources", 2),
    ]
    kustomize = app.sources[0].kustomize
    assert kustomize is not None
    assert (kustomize.name_prefix, kustomize.name_suffix, kustomize.namespace) == ("prod-", "-v2", "prod")
    assert kustomize.images == ("nginx=nginx:1.27",)
    assert kustomize.common_labels == (("team", "a"),)
    assert kustomize.common_annotations == (("argocd.argoproj.io/sync-wave", "1"),)
    assert kustomize.components == ("../../components/debug",)
    assert kustomize.patches == (
        KustomizePatch(
            "", "- op: replace\n  path: /spec/replicas\n  value: 3", (("kind", "Deployment"), ("name", "web"))
        ),
    )
    ref = app.sources[1]
    assert ref.ref == "values" and ref.renders_nothing
    assert [s.path for s in app.rendered_sources] == ["overlays/prod", "charts/web"]
    # a non-default directory block forces a second type: Argo CD's ExplicitType fails on it
    assert app.sources[2].explicit_types == ("Helm", "Directory")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("{}", None),
        ("{recurse: false}", None),
        ("{include: '*.yaml'}", DirectorySource(include="*.yaml")),
        ("{recurse: true, exclude: 'x/*'}", DirectorySource(recurse=True, exclude="x/*")),
    ],
)
def test_all_default_blocks_are_dropped_as_normalize_source_does(
    block: str, expected: DirectorySource | None
) -> None:
    text = f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: a}}\nspec:\n  source:\n    directory: {block}\n    helm: {{}}\n    kustomize: {{}}\n"
    app = app_of(text)
    assert app is not None
    assert app.sources[0].directory == expected
    assert app.sources[0].helm is None and app.sources[0].kustomize is None


def test_wrong_shapes_never_raise() -> None:
    app = app_of(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source: [1]\n  destination: x\n  syncPolicy: {syncOptions: [1, CreateNamespace=true]}\n"
    )
    assert app is not None
    assert app.sources[0].repo_url == "" and app.destination_namespace == ""
    assert app.sync_options == ("CreateNamespace=true",)
    assert app_of("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n") is None
    assert app_of("apiVersion: example.com/v1\nkind: Application\nmetadata: {name: a}\n") is None


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/abs", "app path is absolute"),
        ("../x", "app path is outside the repository"),
        ("a/../../x", "app path is outside the repository"),
        ("a/../b", ""),
        (".", ""),
        ("", ""),
    ],
)
def test_path_problems(path: str, problem: str) -> None:
    app = app_of(
        f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: a}}\nspec:\n  source: {{repoURL: 'https://x/y', path: '{path}'}}\n"
    )
    assert app is not None and app.sources[0].path_problem == problem


# -- repository URLs -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/Org/Repo.git",
        "https://github.com/org/repo",
        "https://github.com/org/repo/",
        "http://user@github.com/org/repo.git",
        "git@github.com:org/repo.git",
        "ssh://git@github.com/org/repo",
        "ssh://git@github.com:22/org/repo.git",
        "  git@github.com:org/repo  ",
    ],
)
def test_repo_key_is_one_for_every_form(url: str) -> None:
    assert repo_key(url) == "github.com/org/repo"


@pytest.mark.parametrize("url", ["", "oci://registry/charts", "not a url", "https://github.com"])
def test_repo_key_of_non_repositories(url: str) -> None:
    assert repo_key(url) == ""


def test_argocd_normalize_keeps_https_and_ssh_apart() -> None:
    """util/git/git.go NormalizeGitURL: Argo CD itself does not equate https and SSH URLs."""
    assert argocd_normalize("git@github.com:Org/Repo.git") == "git@github.com/org/repo"
    assert argocd_normalize("ssh://git@github.com/org/repo") == "git@github.com/org/repo"
    assert argocd_normalize(" https://github.com/Org/Repo.git ") == "https://github.com/org/repo"


def test_parse_mappings(tmp_path: Path) -> None:
    repos = parse_mappings(["https://github.com/org/apps.git=../apps", "git@host:a/b=b"], tmp_path)
    assert repos.folder_for("git@github.com:org/apps") == (tmp_path / "../apps").resolve()
    assert repos.folder_for("https://host/a/b.git") == (tmp_path / "b").resolve()
    assert repos.folder_for("https://github.com/org/other") is None
    assert (
        parse_mappings({"https://x.org/a/b": "c"}, tmp_path).folder_for("https://x.org/a/b")
        == (tmp_path / "c").resolve()
    )
    with pytest.raises(RepoMappingError, match="repo mapping 'nodir' is not URL=DIR"):
        parse_mappings(["nodir"], tmp_path)
    with pytest.raises(RepoMappingError, match="repo mapping 'foo': not a git repository URL"):
        parse_mappings(["foo=bar"], tmp_path)


def git_repo(root: Path, *remotes: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for number, url in enumerate(remotes):
        subprocess.run(["git", "-C", str(root), "remote", "add", f"r{number}", url], check=True)
    return root


@needs_git
def test_local_repos_reads_the_remotes(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "git@github.com:org/repo.git", "https://gitlab.com/org/mirror")
    (repo / "apps/web").mkdir(parents=True)
    assert remote_urls(repo) == ("git@github.com:org/repo.git", "https://gitlab.com/org/mirror")
    repos = local_repos(repo / "apps/web")
    assert repos == RepoMap(
        (("github.com/org/repo", repo.resolve()), ("gitlab.com/org/mirror", repo.resolve()))
    )
    assert repos.folder_for("https://github.com/org/repo") == repo.resolve()


@needs_git
def test_local_repos_in_a_linked_worktree(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.email=t@t",
            "-c",
            "user.name=t",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        check=True,
    )
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "-q", str(tmp_path / "wt")], check=True)
    assert (
        local_repos(tmp_path / "wt").folder_for("https://github.com/org/repo") == (tmp_path / "wt").resolve()
    )


def test_no_git_no_repos(tmp_path: Path) -> None:
    assert remote_urls(tmp_path) == ()
    (tmp_path / ".git").write_text("not a gitdir line\n")
    assert remote_urls(tmp_path) == ()
    assert local_repos(tmp_path) == RepoMap()


# -- the rules ------------------------------------------------------------------------------------------
def app_yaml(
    path: str,
    *,
    options: str = "",
    extra_source: str = "",
    dest_ns: str = "web",
    repo: str = "https://github.com/org/repo.git",
) -> str:
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: {repo}
    path: {path}
{extra_source}  destination:
    server: https://kubernetes.default.svc
    namespace: {dest_ns}
  syncPolicy:
    syncOptions:
{options}"""


NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n"
HOOK_NAMESPACE = NAMESPACE + "  annotations:\n    argocd.argoproj.io/hook: PreSync\n"
JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
"""


def lint_repo(files: dict[Path, str], select: tuple[str, ...]) -> list[tuple[str, str, int, int, str]]:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    # scope "all": the Application and its app's files are in different folders (--scope app will group them)
    report = lint_texts({str(p): t for p, t in files.items()}, select=select, config=Config(scope="all"))
    return [(f.code, Path(f.path).name, f.line, f.column, f.message) for f in report.findings]


@needs_git
def test_hl310_namespace_under_the_source_path(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "git@github.com:org/repo.git")
    got = lint_repo(
        {
            repo / "apps/web.yaml": app_yaml("web", options="      - CreateNamespace=true\n"),
            repo / "web/namespace.yaml": NAMESPACE,
            repo / "other/namespace.yaml": NAMESPACE,  # not in the app's path
        },
        ("HL310",),
    )
    assert got == [
        (
            "HL310",
            "web.yaml",
            16,
            9,
            'Application/web sets CreateNamespace=true for namespace "web", but the app also ships '
            "Namespace/web, so the option does nothing: two owners; drop the option or the Namespace manifest",
        )
    ]


@needs_git
def test_hl310_hook_namespace_and_managed_metadata(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    got = lint_repo(
        {
            repo / "apps/web.yaml": app_yaml("web", options="      - CreateNamespace=true\n"),
            repo / "web/ns.yaml": HOOK_NAMESPACE,
        },
        ("HL310",),
    )
    assert [m for *_, m in got] == [
        'Application/web sets CreateNamespace=true for namespace "web", but Namespace/web is a hook, so Argo CD '
        "still creates the namespace too (a hook Namespace does not turn auto-creation off): two owners; "
        "drop the option or the Namespace manifest"
    ]


@needs_git
def test_hl310_quiet_without_the_option_or_another_namespace(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    files = {
        repo / "apps/a.yaml": app_yaml("web", options="      - createNamespace=true\n"),  # case-sensitive
        repo / "apps/b.yaml": app_yaml("web", options="      - CreateNamespace=true\n", dest_ns="other"),
        repo / "web/ns.yaml": NAMESPACE,
    }
    assert lint_repo(files, ("HL310",)) == []


@needs_git
def test_hl311_replace_with_jobs(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    hook_job = JOB.replace(
        "  name: migrate\n", "  name: migrate\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n"
    )
    got = lint_repo(
        {
            repo / "apps/web.yaml": app_yaml("web", options="      - Replace=true\n"),
            repo / "web/job.yaml": hook_job,
        },
        ("HL311",),
    )
    assert got == [
        (
            "HL311",
            "web.yaml",
            16,
            9,
            "Application/web sets Replace=true, so every resource is replaced, including 1 Job (1 of them hooks, "
            'which Argo CD creates with kubectl create and which fail with "already exists" while the old one is '
            "still there (argo-cd#13100)); set Replace=true only on the resources that need it "
            "(argocd.argoproj.io/sync-options annotation)",
        )
    ]
    plain = lint_repo(
        {
            repo / "web/job.yaml": JOB,
            repo / "apps/web.yaml": app_yaml("web", options="      - Replace=true\n"),
        },
        ("HL311",),
    )
    assert "without its generated spec.selector" in plain[0][4]
    assert (
        lint_repo(
            {
                repo / "web/job.yaml": JOB,
                repo / "apps/web.yaml": app_yaml("web", options="      - PruneLast=true\n"),
            },
            ("HL311",),
        )
        == []
    )


@needs_git
def test_hl312_missing_path_and_value_files(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    (repo / "charts/web").mkdir(parents=True)
    (repo / "charts/web/values.yaml").write_text("a: 1\n")
    (repo / "notadir").write_text("x")
    helm = "    helm:\n      valueFiles:\n        - values.yaml\n        - values-prod.yaml\n        - /env/prod.yaml\n        - https://x/v.yaml\n        - 'glob-*.yaml'\n"
    got = lint_repo(
        {
            repo / "apps/a.yaml": app_yaml(
                "charts/web", extra_source=helm, options="      - Validate=false\n"
            ),
            repo / "apps/b.yaml": app_yaml("charts/gone", options="      - Validate=false\n"),
            repo / "apps/c.yaml": app_yaml("notadir", options="      - Validate=false\n"),
            repo / "apps/d.yaml": app_yaml(
                "elsewhere", options="      - Validate=false\n", repo="https://github.com/org/other"
            ),
        },
        ("HL312",),
    )
    root = repo.resolve()
    assert got == [
        (
            "HL312",
            "a.yaml",
            14,
            11,
            f'Application/web: value file "values-prod.yaml" does not exist ({root}/charts/web/values-prod.yaml); helm template fails (no such file); set ignoreMissingValueFiles if it is optional',
        ),
        (
            "HL312",
            "a.yaml",
            15,
            11,
            f'Application/web: value file "/env/prod.yaml" does not exist ({root}/env/prod.yaml); helm template fails (no such file); set ignoreMissingValueFiles if it is optional',
        ),
        (  # a glob matching nothing: GlobNoMatchError (getResolvedValueFiles)
            "HL312",
            "a.yaml",
            17,
            11,
            'Application/web: value file "glob-*.yaml" matches no file; Argo CD fails (values file glob matched no files); set ignoreMissingValueFiles if it is optional',
        ),
        (
            "HL312",
            "b.yaml",
            10,
            11,
            f'Application/web: path "charts/gone" does not exist in {root} (https://github.com/org/repo.git); Argo CD fails with "app path does not exist"',
        ),
        (
            "HL312",
            "c.yaml",
            10,
            11,
            f'Application/web: path "notadir" is not a directory in {root} (https://github.com/org/repo.git); Argo CD fails with "app path is not a directory"',
        ),
    ]
    ignore = helm.replace("    helm:\n", "    helm:\n      ignoreMissingValueFiles: true\n")
    assert (
        lint_repo(
            {
                repo / "apps/a.yaml": app_yaml(
                    "charts/web", extra_source=ignore, options="      - Validate=false\n"
                )
            },
            ("HL312",),
        )
        == []
    )


@needs_git
def test_hl312_ref_value_files_resolve_in_the_ref_repository(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    values = git_repo(tmp_path / "values", "https://github.com/org/values")
    (repo / "charts/web").mkdir(parents=True)
    (values / "web").mkdir()
    (values / "web/prod.yaml").write_text("a: 1\n")
    app = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web}
spec:
  sources:
    - repoURL: https://github.com/org/values
      ref: values
    - repoURL: https://github.com/org/repo
      path: charts/web
      helm:
        valueFiles: [$values/web/prod.yaml, $values/web/dev.yaml]
"""
    path = repo / "apps/web.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(app)
    mapping = [f"https://github.com/org/values={values}"]
    config = Config(rules={"application-source-not-found": RuleConfig(params={"repos": mapping})})
    report = lint_texts({str(path): app}, select=("HL312",), config=config)
    assert [(f.line, f.column) for f in report.findings] == [(11, 45)]
    assert '"$values/web/dev.yaml" does not exist' in report.findings[0].message


def test_hl312_absolute_path_needs_no_checkout() -> None:
    report = lint_text(app_yaml("/apps/web", options="      - Validate=false\n"), select=("HL312",))
    assert [(f.line, f.column, f.message) for f in report.findings] == [
        (10, 11, 'Application/web: path "/apps/web" fails manifest generation: app path is absolute')
    ]


# -- HL011: severity per case ----------------------------------------------------------------------------
def test_hl011_hook_is_an_error_and_wave_is_info() -> None:
    text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonAnnotations:\n  helm.sh/hook: pre-install\n  argocd.argoproj.io/sync-wave: '1'\n"
    # the loader drops kustomization documents (kind: Kustomization) today: build the Document directly
    (parsed,), _ = parse_yaml(text)
    doc = Document(SourceFile("overlay/kustomization.yaml"), 0, parsed.value, parsed.positions)
    spec = next(s for s in load_registry(plugins=False).specs if s.code == "HL011")
    got = list(HookAnnotationInCommonAnnotations().run(CheckContext(ManifestSet([doc]), spec)))
    assert [(v.path, v.severity, doc.locate(v.path, key=v.key)) for v in got] == [
        (
            ("commonAnnotations", "helm.sh/hook"),
            None,
            doc.locate(("commonAnnotations", "helm.sh/hook"), key=True),
        ),
        (
            ("commonAnnotations", "argocd.argoproj.io/sync-wave"),
            Severity.INFO,
            doc.locate(("commonAnnotations", "argocd.argoproj.io/sync-wave"), key=True),
        ),
    ]
    assert spec.severity is Severity.ERROR
    assert got[0].message.startswith(
        'helm.sh/hook: "pre-install" in the kustomization\'s commonAnnotations makes every resource'
    )
    # a kind-less kustomization file is read as a Kustomization too
    bare = Document(
        SourceFile("k/kustomization.yml"),
        0,
        {"commonAnnotations": {"argocd.argoproj.io/hook": "Sync"}},
        parsed.positions,
    )
    assert len(list(HookAnnotationInCommonAnnotations().run(CheckContext(ManifestSet([bare]), spec)))) == 1
    other = Document(
        SourceFile("k/values.yaml"),
        0,
        {"commonAnnotations": {"argocd.argoproj.io/hook": "Sync"}},
        parsed.positions,
    )
    assert list(HookAnnotationInCommonAnnotations().run(CheckContext(ManifestSet([other]), spec))) == []


# -- the shared trees ----------------------------------------------------------------------------------------
@needs_charts
def test_shared_cch0124_application_selects_what_argocd_syncs() -> None:
    """The seed's Application: directory recurse + include '{*.yaml,*.yml}' over sync-hook-wave."""
    path = CHARTS / "CCH0124__argocd-gitops-manifest/developer/team-a/application/sync-wave-app.yaml"
    (doc,) = load_bytes(path.read_bytes(), str(path)).documents
    app = parse_application(doc)
    assert app is not None
    (source,) = app.sources
    assert (source.repo_url, source.path, source.target_revision) == (
        "https://github.com/CCH0124/K8s-with-quarkus.git",
        "argocd-sample/sync-hook-wave",
        "v0.0.3",
    )
    assert source.directory == DirectorySource(recurse=True, include="{*.yaml,*.yml}")
    assert app.destination_namespace == "team-a" and app.destination_name == "k3d-dev-cluster"
    assert app.sync_options == ("Validate=true", "CreateNamespace=true", "ApplyOutOfSyncOnly=true")
    assert app.managed_namespace_metadata
    repo = CHARTS / "CCH0124__K8s-with-quarkus"
    selection = select_files(repo / source.path, repo, source.directory.recurse, source.directory.include)
    assert selection.files == ("database.yaml", "system.yaml", "webhook.yaml")


@needs_charts
def test_shared_diversario_main_includes_only_stage_1() -> None:
    path = CHARTS / "diversario__argocd-sync-waves/main.yaml"
    (doc,) = load_bytes(path.read_bytes(), str(path)).documents
    app = parse_application(doc)
    assert app is not None
    (source,) = app.sources
    assert source.directory == DirectorySource(include="stage-1.yaml")
    repo = CHARTS / "diversario__argocd-sync-waves"
    assert select_files(repo / source.path, repo, include=source.directory.include).files == ("stage-1.yaml",)


@needs_charts
@needs_git
def test_shared_kenshin579_bootstrap_sources_exist(tmp_path: Path) -> None:
    """Copied into a checkout whose origin is the Applications' repoURL, every path and value file resolves;
    deleting a values.yaml gives one HL312 at its valueFiles line."""
    repo = tmp_path / "repo"
    shutil.copytree(CHARTS / "kenshin579__argocd-charts-sample", repo)
    git_repo(repo, "https://github.com/kenshin579/argocd-charts-sample")
    apps = sorted((repo / "bootstrap/app-of-apps/applications").glob("*.yaml"))
    files = {str(p): p.read_text() for p in apps}
    assert lint_texts(files, select=("HL312",)).findings == []
    (repo / "chart/hello-world-server-hook/values.yaml").unlink()
    findings = lint_texts(files, select=("HL312",)).findings
    assert [(Path(f.path).name, f.line, f.column) for f in findings] == [
        ("hello-world-server-hook.yaml", 14, 11)
    ]


@needs_git
def test_values_object_sources_do_not_break_the_rules(tmp_path: Path) -> None:
    """An AppSource holding a valuesObject mapping is not hashable: the checks must not need it to be."""
    repo = git_repo(tmp_path / "repo", "https://github.com/org/repo")
    (repo / "charts/web").mkdir(parents=True)
    helm = "    helm:\n      valuesObject:\n        a: {b: 1}\n      valueFiles: [missing.yaml]\n"
    got = lint_repo(
        {repo / "apps/a.yaml": app_yaml("charts/web", extra_source=helm, options="      - Replace=true\n")},
        ("HL310", "HL311", "HL312"),
    )
    assert [(code, line) for code, _, line, _, _ in got] == [("HL312", 14)]


def test_hl310_namespace_next_to_an_external_application() -> None:
    """No local checkout: the Namespace in the Application's own folder is the parent app's."""
    app = app_yaml("web", options="      - CreateNamespace=true\n", repo="https://charts.example.com/x")
    report = lint_texts(
        {"apps/web.yaml": app, "apps/ns.yaml": NAMESPACE, "other/ns.yaml": NAMESPACE},
        select=("HL310",),
        config=Config(scope="all"),
    )
    assert [(f.path, f.line, f.related[0].path) for f in report.findings] == [
        ("apps/web.yaml", 16, "apps/ns.yaml")
    ]
    assert "is shipped next to it, by the app that syncs this Application" in report.findings[0].message


@needs_charts
def test_shared_cch0124_plan_matches_the_published_run_log() -> None:
    """The files the Application selects, planned with its destination namespace, sync in the order of
    the seed's run log: webhook, postgresql, upgrade-schema, backend, frontend, restore-data, slack-info."""
    from hooklint.argocd.syncplan import SyncPlan

    path = CHARTS / "CCH0124__argocd-gitops-manifest/developer/team-a/application/sync-wave-app.yaml"
    (doc,) = load_bytes(path.read_bytes(), str(path)).documents
    app = parse_application(doc)
    assert app is not None and app.sources[0].directory is not None
    source, directory = app.sources[0], app.sources[0].directory
    repo = CHARTS / "CCH0124__K8s-with-quarkus"
    selection = select_files(
        repo / source.path, repo, directory.recurse, directory.include, directory.exclude
    )
    docs = [
        d for f in selection.files for d in load_bytes((repo / source.path / f).read_bytes(), f).documents
    ]
    plan = SyncPlan(docs, namespace=app.destination_namespace)
    order = list(dict.fromkeys(t.doc.name for t in plan.tasks))
    assert order == [
        "webhook-app",
        "postgresql",
        "upgrade-schema",
        "backend",
        "frontend",
        "restore-data",
        "slack-info",
    ]
    assert [(t.phase, t.wave) for t in plan.tasks if t.doc.kind == "Job"] == [
        ("Sync", 1),
        ("PostSync", 0),
        ("PostSync", 1),
    ]


@needs_charts
def test_shared_kustomizations_hl011() -> None:
    """Every kustomization in ../shared/charts: only sync-wave entries (info), no hook annotations."""
    spec = next(s for s in load_registry(plugins=False).specs if s.code == "HL011")
    got = []
    for path in sorted(CHARTS.glob("**/kustomization.yaml")):
        parsed = [
            d
            for d in parse_yaml(path.read_text())[0]
            if isinstance(d.value, dict) and d.positions is not None
        ]
        docs = [
            Document(SourceFile(str(path.relative_to(CHARTS))), d.index, d.value, d.positions) for d in parsed
        ]
        for v in HookAnnotationInCommonAnnotations().run(CheckContext(ManifestSet(docs), spec)):
            got.append((v.doc.file.path.split("/", 1)[1], v.doc.locate(v.path, key=True).line, v.severity))
    assert got == [
        ("advanced-cluster-security-operator/operator/base/kustomization.yaml", 8, Severity.INFO),
        ("compliance-operator/aggregate/demo/kustomization.yaml", 9, Severity.INFO),
        ("compliance-operator/aggregate/scheduled/kustomization.yaml", 9, Severity.INFO),
        ("compliance-operator/instance/overlays/ocp-cis/kustomization.yaml", 9, Severity.INFO),
        ("compliance-operator/operator/base/kustomization.yaml", 8, Severity.INFO),
    ]
