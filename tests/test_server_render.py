"""``hooklint server`` on Helm charts and Kustomize folders: the app rendered on open and save (never
on a keystroke), diagnostics at the mapped source lines equal to ``hooklint check --format json``,
for every file of the app, open or not; and Applications defining the apps (``scope: app``).

Driven by pygls' LSP client over stdio (tests/server_client.py: every wait has a timeout).  The
rendering tests need helm / kubectl (``.ci/install-k8s-tools``) and skip without them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the server extra (pygls) is not installed")

from pygls.uris import from_fs_path

from hooklint.registry import load_registry
from hooklint.server.analysis import Analyzer
from hooklint.server.workspace import closure
from tests.conftest import REPO
from tests.helm_tools import NO_HELM, TOOLS_BIN, write_chart
from tests.server_client import Client, run
from tests.test_kustomize import needs_kustomize, write
from tests.test_kustomize_check import BASE
from tests.test_scope_app import git_tree, needs_git
from tests.test_server import check_json, expected, got


def _helm() -> str | None:
    found = shutil.which("helm")
    if found:
        return found
    return str(TOOLS_BIN / "helm") if os.access(TOOLS_BIN / "helm", os.X_OK) else None


needs_helm = pytest.mark.skipif(_helm() is None, reason=NO_HELM)

TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
{{ toYaml .Values.hook | indent 4 }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: m
"""
VALUES = """\
hook:
  argocd.argoproj.io/hook: PreSync
  argocd.argoproj.io/hook-delete-policy: HookFailed
"""
FIXED_TEMPLATE = TEMPLATE.replace(
    "spec:\n  template:", "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 60\n  template:"
)
LITERAL_HOOK = (
    "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation"
)


@pytest.fixture
def tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """helm and kubectl on the PATH the server and ``check`` run with."""
    monkeypatch.setenv("PATH", f"{TOOLS_BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or ""


@needs_helm
def test_chart_template_open_then_save_a_fix(tmp_path: Path, tools: None) -> None:
    """Opening a template renders its chart: check's findings at the template line and in values.yaml
    (not open); an unsaved edit keeps them (no render per keystroke); saving a fix clears the
    template's; saving a template that no longer reads the values clears values.yaml's."""
    chart = write_chart(tmp_path / "chart", {"job.yaml": TEMPLATE}, VALUES)
    template = chart / "templates" / "job.yaml"
    findings = check_json(tmp_path, "chart")
    assert {(f["code"], f["path"], f["line"]) for f in findings} == {
        ("HL101", "chart/values.yaml", 3),
        ("HL201", "chart/templates/job.yaml", 7),
        ("HL202", "chart/templates/job.yaml", 7),
    }

    async def scenario() -> None:
        client = Client()
        await client.start(tmp_path)
        uri = client.open(template)
        diagnostics = await client.published(uri, 1)
        assert got(diagnostics, tmp_path) == expected(findings, "chart/templates/job.yaml")
        values = await client.published(uri_of(chart / "values.yaml"))
        assert got(values, tmp_path) == expected(findings, "chart/values.yaml")

        version = client.replace(uri, FIXED_TEMPLATE)  # unsaved: the last render still speaks
        unsaved = await client.published(uri, version)
        assert got(unsaved, tmp_path) == expected(findings, "chart/templates/job.yaml")

        version = client.save(uri, template, FIXED_TEMPLATE)
        saved = await client.until(uri, lambda p: p.version == version and not p.diagnostics)
        assert saved == []
        assert got(client.diagnostics[uri_of(chart / "values.yaml")][-1].diagnostics, tmp_path) == expected(
            findings, "chart/values.yaml"
        )
        # the template no longer takes its annotations from values.yaml (not open): it clears
        literal = FIXED_TEMPLATE.replace("{{ toYaml .Values.hook | indent 4 }}", LITERAL_HOOK)
        client.save(uri, template, literal)
        assert await client.until(uri_of(chart / "values.yaml"), lambda p: not p.diagnostics) == []
        await client.stop()

    run(scenario())
    assert check_json(tmp_path, "chart") == []


@needs_kustomize
def test_kustomize_overlay_patch_and_base_resource(tmp_path: Path, tools: None) -> None:
    """Opening the overlay's patch renders the overlay: check's findings in the patch, the base's
    resource and the kustomization (not open); the base file opened is the overlay's app too;
    saving a fixed patch clears its finding."""
    write(tmp_path, BASE)
    findings = check_json(tmp_path, ".")
    assert {f["path"] for f in findings} == {
        "base/job.yaml",
        "overlay/hook-patch.yaml",
        "overlay/kustomization.yaml",
    }
    patch = tmp_path / "overlay" / "hook-patch.yaml"

    async def scenario() -> None:
        client = Client()
        await client.start(tmp_path)
        uri = client.open(patch)
        assert got(await client.published(uri, 1), tmp_path) == expected(findings, "overlay/hook-patch.yaml")
        for other in ("base/job.yaml", "overlay/kustomization.yaml"):
            assert got(await client.published(uri_of(tmp_path / other)), tmp_path) == expected(
                findings, other
            )
        base = client.open(tmp_path / "base" / "job.yaml")
        assert got(await client.published(base, 1), tmp_path) == expected(findings, "base/job.yaml")
        fixed = patch.read_text().replace("HookSucceeded", "BeforeHookCreation")
        version = client.save(uri, patch, fixed)
        assert await client.until(uri, lambda p: p.version == version and not p.diagnostics) == []
        await client.stop()

    run(scenario())
    assert "overlay/hook-patch.yaml" not in {f["path"] for f in check_json(tmp_path, ".")}


@needs_kustomize
def test_a_symlinked_workspace_folder_as_check_run_there(tmp_path: Path, tools: None) -> None:
    """The editor names the workspace through a symlink; ``check`` run there sees the resolved
    folder.  Diagnostics come for the editor's URIs, at check's lines, open or not."""
    write(tmp_path / "real", BASE)
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    root = tmp_path / "link"
    findings = check_json(root, ".")
    assert {f["path"] for f in findings} == {
        "base/job.yaml",
        "overlay/hook-patch.yaml",
        "overlay/kustomization.yaml",
    }

    async def scenario() -> None:
        client = Client()
        await client.start(root)
        uri = client.open(root / "overlay" / "hook-patch.yaml")
        assert got(await client.published(uri, 1), root) == expected(findings, "overlay/hook-patch.yaml")
        other = await client.published(uri_of(root / "base" / "job.yaml"))
        assert got(other, root) == expected(findings, "base/job.yaml")
        assert not any("/real/" in published for published in client.diagnostics)
        await client.stop()

    run(scenario())


def test_without_helm_and_kubectl_as_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No helm, no kubectl on PATH: the chart's templates linted statically, the Kustomize folder
    raw, as ``check`` does; the same diagnostics, no hang."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    root = tmp_path / "ws"
    chart = write_chart(root / "chart", {"job.yaml": TEMPLATE}, VALUES)
    hook = "  name: migrate\n  annotations: {argocd.argoproj.io/hook: PreSync}\n"
    write(root / "kust", {**BASE, "base/job.yaml": BASE["base/job.yaml"].replace("  name: migrate\n", hook)})
    findings = check_json(root, ".")
    paths = [
        "chart/templates/job.yaml",
        "kust/base/job.yaml",
        "kust/overlay/hook-patch.yaml",
        "kust/overlay/notes.yaml",  # no kustomization references it: linted raw all the same
    ]
    assert expected(findings, "kust/overlay/hook-patch.yaml")  # linted raw: the patch is a Job
    assert expected(findings, "kust/overlay/notes.yaml")
    assert expected(findings, "kust/base/job.yaml")  # the base is its own folder, linted raw

    async def scenario() -> None:
        client = Client()
        await client.start(root)
        for path in paths:
            uri = client.open(root / path)
            assert got(await client.published(uri, 1), root) == expected(findings, path), path
        await client.stop()
        notes = "\n".join(client.logs)  # check's notes, in the server's log
        assert "hooklint: chart: helm not found: linted templates without rendering" in notes
        assert "hooklint: kust/overlay: no kustomize binary" in notes

    run(scenario())
    assert chart.is_dir()


APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/org/deploy.git
    path: web
    directory:
      recurse: true
  destination:
    server: https://kubernetes.default.svc
    namespace: web
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"


@needs_git
def test_an_application_defines_the_app_as_check_scope_app(tmp_path: Path) -> None:
    """``web/a`` and ``web/b`` are one app (the Application recurses into ``web``): the ConfigMap
    both define is a duplicate there, as ``check`` says; by folder it would not be."""
    root = git_tree(tmp_path / "repo", "https://example.com/org/deploy.git")
    for name in ("apps/web.yaml", "web/a/cm.yaml", "web/b/cm.yaml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / "apps" / "web.yaml").write_text(APPLICATION)
    (root / "web" / "a" / "cm.yaml").write_text(CONFIG_MAP)
    (root / "web" / "b" / "cm.yaml").write_text(CONFIG_MAP)
    findings = check_json(root, ".")
    assert "HL307" in {f["code"] for f in findings if f["path"] == "web/b/cm.yaml"}
    assert [f for f in check_json(root, "--scope", "dir", ".") if f["code"] == "HL307"] == []

    async def scenario() -> None:
        client = Client()
        await client.start(root)
        uri = client.open(root / "web" / "a" / "cm.yaml")
        assert got(await client.published(uri, 1), root) == expected(findings, "web/a/cm.yaml") == []
        other = uri_of(root / "web" / "b" / "cm.yaml")  # not open: published all the same
        assert got(await client.published(other), root) == expected(findings, "web/b/cm.yaml")
        # the first copy renamed (unsaved): no duplicate left in the app, the other file clears
        client.replace(uri, CONFIG_MAP.replace("name: settings", "name: other"))
        assert await client.until(other, lambda p: not p.diagnostics) == []
        await client.stop()

    run(scenario())


@needs_helm
def test_a_chart_renders_on_open_and_save_only(
    tmp_path: Path, tools: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analyzer renders a folder the first time it needs it and when a run asks (open, save),
    never for a run of a keystroke, which reuses the last render."""
    chart = write_chart(tmp_path / "chart", {"job.yaml": TEMPLATE}, VALUES)
    template = chart / "templates" / "job.yaml"
    renders: list[str] = []
    real = Analyzer._render

    def counting(self: Analyzer, index: Any, display: str, plain: Any) -> Any:
        renders.append(display)
        return real(self, index, display, plain)

    monkeypatch.setattr(Analyzer, "_render", counting)
    analyzer = Analyzer(tmp_path, load_registry())
    first = analyzer.run([template], {str(template): TEMPLATE}, render=[template])
    assert renders == ["chart"]
    assert {f.code for f in first.findings[str(template)]} >= {"HL201"}
    typed = analyzer.run([template], {str(template): FIXED_TEMPLATE})  # a keystroke
    assert renders == ["chart"]
    assert typed.findings[str(template)] == first.findings[str(template)]
    analyzer.run([chart / "values.yaml"], {})  # another file of the chart, typed in
    assert renders == ["chart"]
    template.write_text(FIXED_TEMPLATE)
    saved = analyzer.run([template], {str(template): FIXED_TEMPLATE}, render=[template])
    assert renders == ["chart", "chart"]
    assert "HL201" not in {f.code for f in saved.findings[str(template)]}


@needs_git
def test_an_application_spelled_with_an_escape_still_defines_the_app(tmp_path: Path) -> None:
    """Files that cannot spell ``Application`` are not parsed to find the apps; one that spells it
    with a YAML escape is, as ``check`` reads it."""
    root = git_tree(tmp_path / "repo", "https://example.com/org/deploy.git")
    for name in ("apps", "web/a", "web/b"):
        (root / name).mkdir(parents=True)
    escaped = APPLICATION.replace("kind: Application", 'kind: "\\x41pplication"')
    assert "Application" not in escaped
    (root / "apps" / "web.yaml").write_text(escaped)
    (root / "web" / "a" / "cm.yaml").write_text(CONFIG_MAP)
    (root / "web" / "b" / "cm.yaml").write_text(CONFIG_MAP)
    assert "HL307" in {f["code"] for f in check_json(root, ".")}
    result = Analyzer(root, load_registry()).run([root / "web" / "a" / "cm.yaml"], {})
    assert [f.code for f in result.findings[str(root / "web" / "b" / "cm.yaml")]] == ["HL307"]


def test_closure_reads_the_apps_of_the_changed_unit_and_reports_what_it_saw_whole() -> None:
    """Chart A changed; apps/a.yaml defines its app, apps/b.yaml the app of chart B: the run reads
    apps/ whole (the folder is an app of a.yaml), reports a.yaml and chart A, reads b.yaml only as
    context, and renders nothing of B's."""
    keys = {
        ("source", "charts/a"): ["app:a"],
        ("source", "charts/b"): ["app:b"],
        ("file", "apps/a.yaml"): ["apps", "app:a"],
        ("file", "apps/b.yaml"): ["apps", "app:b"],
        ("file", "other/x.yaml"): ["other"],
    }
    seen = closure([("source", "charts/a")], keys, keys.__getitem__, rendered=())
    assert seen.near == {("source", "charts/a"), ("file", "apps/a.yaml")}
    assert seen.accepted == {"app:a", "apps"}
    assert seen.wanted == {("source", "charts/a"), ("file", "apps/a.yaml"), ("file", "apps/b.yaml")}
    assert seen.complete == {("source", "charts/a"), ("file", "apps/a.yaml")}
    # apps/a.yaml changed: all of apps/ is near; b.yaml's app needs chart B: seen whole only
    # when B was rendered before (no render of an app only because a neighbour changed)
    edit = closure([("file", "apps/a.yaml")], keys, keys.__getitem__, rendered=())
    assert edit.accepted == {"app:a", "apps"}
    assert ("file", "apps/b.yaml") not in edit.complete
    again = closure([("file", "apps/a.yaml")], keys, keys.__getitem__, rendered={"charts/b"})
    assert again.accepted == {"app:a", "apps", "app:b"}
    assert {("file", "apps/b.yaml"), ("source", "charts/b")} <= again.complete
    assert ("file", "other/x.yaml") not in again.wanted


def test_the_kustomization_group_is_the_sources_own() -> None:
    from hooklint.server.workspace import KUSTOMIZATION_GROUP
    from hooklint.sources.kustomize_source import KUSTOMIZATION_GROUP as SOURCE_GROUP

    assert KUSTOMIZATION_GROUP == SOURCE_GROUP


def test_a_health_check_restored_anywhere_in_the_workspace_silences_hl304(tmp_path: Path) -> None:
    """HL304 asks whether the Application health check is restored anywhere in the run: the server
    reads argocd-cm in another folder (a file it otherwise has no reason to parse), as ``check``."""
    doc = (REPO / "rules" / "app-of-apps-wave-without-health.md").read_text()
    bad = doc.split("```yaml bad\n", 1)[1].split("```", 1)[0].replace("  # expect: HL304", "")
    blocks = [block.split("```", 1)[0] for block in doc.split("```yaml good\n")[1:]]
    good = next(block for block in blocks if "name: argocd-cm" in block)
    (tmp_path / "apps").mkdir()
    (tmp_path / "argocd").mkdir()
    apps = tmp_path / "apps" / "apps.yaml"
    apps.write_text(bad)
    analyzer = Analyzer(tmp_path, load_registry())
    assert [f.code for f in analyzer.run([apps], {}).findings[str(apps)]] == ["HL304"]
    (tmp_path / "argocd" / "cm.yaml").write_text(good)
    assert check_json(tmp_path, ".") == []
    assert analyzer.run([apps], {}, refresh=True).findings[str(apps)] == []


@pytest.mark.parametrize("scope", ["app", "dir", "all", "file"])
def test_every_scope_gives_checks_findings_file_by_file(tmp_path: Path, scope: str) -> None:
    """For each file of the workspace, the analyzer's findings are those ``check`` run from the
    workspace folder gives that file, whatever the scope (two copies of the shop: ``all`` makes
    them one app, ``file`` no app at all)."""
    shutil.copytree(REPO / "examples" / "shop", tmp_path / "shop")
    shutil.copytree(REPO / "examples" / "shop", tmp_path / "copy" / "shop")
    (tmp_path / ".hooklint.yaml").write_text(f"scope: {scope}\n")
    findings = check_json(tmp_path, ".")
    analyzer = Analyzer(tmp_path, load_registry())
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml") if p.name[0] != ".")
    assert len(names) == 12
    for name in names:
        result = analyzer.run([tmp_path / name], {})
        mine = [
            (f.code, f.position.line, f.position.column, f.message)
            for f in result.findings[str(tmp_path / name)]
        ]
        theirs = [(f["code"], f["line"], f["column"], f["message"]) for f in findings if f["path"] == name]
        assert sorted(mine) == sorted(theirs), name
    assert findings


SHARED = REPO.parent / "shared"


@needs_helm
@needs_kustomize
@pytest.mark.parametrize("tree", ["charts", "corpus"])
def test_the_shared_trees_give_checks_findings_file_by_file(tree: str, tools: None) -> None:
    """Every YAML file (and chart helper) of ../shared/charts (charts, Kustomize trees,
    Applications) and ../shared/corpus, analysed as the editor changes it, gets exactly the
    findings ``check`` run on the whole tree gives it."""
    root = SHARED / tree
    if not root.is_dir():
        pytest.skip(f"../shared/{tree} is not checked out")
    findings = check_json(root, ".")
    assert findings
    analyzer = Analyzer(root, load_registry())
    names = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml", ".tpl") and not any(part.startswith(".") for part in p.parts)
    )
    for name in names:
        result = analyzer.run([root / name], {})
        assert result.error is None
        mine = [
            (f.code, f.position.line, f.position.column, f.message)
            for f in result.findings.get(str(root / name), [])
        ]
        theirs = [(f["code"], f["line"], f["column"], f["message"]) for f in findings if f["path"] == name]
        assert sorted(mine) == sorted(theirs), name
