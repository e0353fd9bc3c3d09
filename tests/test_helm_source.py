"""Helm charts: failures are findings, renders are sandboxed and bounded, discovery, cache.

Tests that need the real helm run with helm 4 and helm 3 and skip without them; the
sandbox, cache and bounds are also tested with a stand-in ``helm`` script that records
how it was called.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from hooklint.sources.detect import DIRECTORY, HELM, KUSTOMIZE, source_type
from hooklint.sources.helm.helmignore import HelmIgnore
from tests.helm_tools import HELMS, check, findings, report, write_chart

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
spec:
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
"""  # one HL201 (no backoffLimit) at 8:1


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def fake_helm(folder: Path, body: str) -> Path:
    """A ``helm`` that records its arguments, environment and folder, then runs ``body`` (Python)."""
    script = folder / "fake-helm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"log = {str(folder / 'calls.jsonl')!r}\n"
        "with open(log, 'a') as out:\n"
        "    out.write(json.dumps({'args': sys.argv[1:], 'env': dict(os.environ), 'cwd': os.getcwd()}) + '\\n')\n"
        + body
    )
    script.chmod(0o755)
    return script


def calls(folder: Path) -> list[dict[str, object]]:
    log = folder / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


PRINT_JOB = f"sys.stdout.write('---\\n# Source: demo/templates/job.yaml\\n' + {JOB!r})\n"


# -- failures are findings --------------------------------------------------------------


@pytest.mark.parametrize("helm", HELMS)
def test_a_broken_template_is_one_finding_at_its_line(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(
        here / "demo",
        {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.a.b }}\n"},
        "a: 1\n",
    )
    code, out, err = check(["demo", "--helm", helm], capsys)
    assert code == 1 and "Traceback" not in err
    line = out.splitlines()[0]
    assert line.startswith("demo/templates/cm.yaml:6:15: HL000 [error] helm template failed: ")
    assert "can't evaluate field b" in line


@pytest.mark.parametrize("helm", HELMS)
def test_an_undefined_function_is_reported_at_its_line(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"cm.yaml": "kind: ConfigMap\nx: {{ nosuch }}\n"})
    assert findings(["demo", "--helm", helm], capsys) == [("HL000", "demo/templates/cm.yaml", 2, 1)]


@pytest.mark.parametrize("helm", HELMS)
def test_missing_dependencies_say_how_to_fix_them(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    with (here / "demo" / "Chart.yaml").open("a") as chart:
        chart.write(
            "dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n"
        )
    found, _ = report(["demo", "--helm", helm], capsys)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("HL000", "demo/Chart.yaml", 1)]
    assert found[0]["message"] == (
        "chart dependencies are missing from charts/ (redis): run 'helm dependency build' and commit "
        "charts/ (Argo CD downloads them; hooklint never does)"
    )


@pytest.mark.parametrize("helm", HELMS)
def test_a_missing_values_file_fails_unless_ignored_as_argocd_does(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    config = here / ".hooklint.yaml"
    config.write_text("helm:\n  charts:\n    - path: demo\n      values: [values-prod.yaml]\n")
    code = __import__("hooklint.cli.app", fromlist=["main"]).main(
        ["check", "demo", "--helm", helm, "--format", "json"]
    )
    found = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in found] == [
        (
            "HL000",
            "demo/Chart.yaml",
            1,
            "values file demo/values-prod.yaml does not exist: Argo CD fails this render too (set "
            "ignoreMissingValueFiles in the Application, ignore-missing-values-files here)",
        )
    ]
    config.write_text(
        "helm:\n  charts:\n    - path: demo\n      values: [values-prod.yaml]\n      ignore-missing-values-files: true\n"
    )
    __import__("hooklint.cli.app", fromlist=["main"]).main(
        ["check", "demo", "--helm", helm, "--format", "json"]
    )
    assert [(f["code"], f["line"]) for f in json.loads(capsys.readouterr().out)] == [("HL201", 8)]


def test_a_chart_without_a_name_is_a_finding(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    (here / "demo" / "Chart.yaml").write_text("apiVersion: v2\nversion: 1.0.0\n")
    helm = fake_helm(here, PRINT_JOB)
    found, _ = report(["demo", "--helm", str(helm)], capsys)
    assert [(f["code"], f["path"], f["message"]) for f in found] == [
        ("HL000", "demo/Chart.yaml", "Chart.yaml has no name: helm cannot render this chart")
    ]
    assert calls(here) == []


def test_output_that_is_not_yaml_objects_is_a_finding(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(
        here,
        "sys.stdout.write('---\\n# Source: demo/templates/job.yaml\\napiVersion: v1\\nmetadata: {}\\n')\n",
    )
    found, _ = report(["demo", "--helm", str(helm)], capsys)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("HL000", "demo/templates/job.yaml", 1)]
    assert "has no kind: Argo CD fails the whole application" in found[0]["message"]


# -- untrusted charts -------------------------------------------------------------------


def test_helm_runs_as_argocd_runs_it_in_a_sandbox(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    (here / "demo" / "prod.yaml").write_text("x: 1\n")
    monkeypatch.setenv("HOOKLINT_TEST_SECRET", "do-not-leak")
    monkeypatch.setenv("HELM_POST_RENDERER", "/bin/evil")
    helm = fake_helm(here, PRINT_JOB)
    found = findings(
        ["demo", "--helm", str(helm), "-n", "shop", "--values", "demo/prod.yaml", "--set", "a=b",
         "--kube-version", "1.30", "--api-versions", "monitoring.coreos.com/v1"],
        capsys,
    )  # fmt: skip
    assert found == [("HL201", "demo/templates/job.yaml", 8, 1)]
    (call,) = calls(here)
    assert call["args"] == [
        "template", ".", "--name-template", "demo", "--namespace", "shop", "--kube-version", "1.30",
        "--set", "a=b", "--values", str(here / "demo" / "prod.yaml"),
        "--api-versions", "monitoring.coreos.com/v1", "--include-crds",
    ]  # fmt: skip
    assert Path(str(call["cwd"])).resolve() == (here / "demo").resolve()
    env = call["env"]
    assert isinstance(env, dict)
    assert "HOOKLINT_TEST_SECRET" not in env and "HELM_POST_RENDERER" not in env
    assert env["HELM_NO_PLUGINS"] == "1"
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == "http://127.0.0.1:9"
    home = env["HOME"]
    for key in (
        "HELM_CACHE_HOME",
        "HELM_CONFIG_HOME",
        "HELM_DATA_HOME",
        "HELM_PLUGINS",
        "XDG_CONFIG_HOME",
        "KUBECONFIG",
    ):
        assert env[key].startswith(home + os.sep), key
    assert os.listdir(env["HELM_PLUGINS"]) if os.path.exists(env["HELM_PLUGINS"]) else True
    assert not os.path.exists(home)  # the private folder is gone


@pytest.mark.parametrize("helm", HELMS)
def test_a_template_that_loops_is_killed_after_the_timeout(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = (
        "{{- range until 10000 }}{{- range until 10000 }}{{- range until 10000 }}{{ end }}{{ end }}{{ end }}"
    )
    write_chart(here / "demo", {"job.yaml": JOB + loop + "\n"})
    start = time.monotonic()
    found, _ = report(["demo", "--helm", helm, "--render-timeout", "1"], capsys)
    assert time.monotonic() - start < 30
    assert [(f["code"], f["path"], f["message"]) for f in found] == [
        ("HL000", "demo/Chart.yaml", "helm template did not finish within 1 s and was killed "
         "(--render-timeout); a template loops or the chart is huge"),
    ]  # fmt: skip


def test_100_mb_of_output_is_cut_at_max_file_size(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(
        here,
        "line = b'# ' + b'x' * 1022 + b'\\n'\nfor _ in range(100 * 1024):\n    sys.stdout.buffer.write(line)\n",
    )
    start = time.monotonic()
    found, _ = report(["demo", "--helm", str(helm)], capsys)  # the default limit: 50 MB
    assert time.monotonic() - start < 60
    assert [(f["code"], f["message"]) for f in found] == [
        ("HL000", "helm template printed more than the --max-file-size limit of 50.0 MB and was killed; "
         "raise the limit to lint it"),
    ]  # fmt: skip


@pytest.mark.parametrize("helm", HELMS)
def test_real_helm_output_is_bounded_too(here: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB + '# {{ repeat 2000000 "x" }}\n'})
    found, _ = report(["demo", "--helm", helm, "--max-file-size", "1"], capsys)
    assert [f["code"] for f in found] == ["HL000"]
    assert "more than the --max-file-size limit of 1.0 MB" in found[0]["message"]


@pytest.mark.parametrize("helm", HELMS)
def test_lookup_is_empty_as_in_argocd(here: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    template = (
        '{{- if lookup "v1" "Namespace" "" "kube-system" }}\nkind: ConfigMap\n{{- else }}\n'
        + JOB
        + "{{- end }}\n"
    )
    write_chart(here / "demo", {"job.yaml": template})
    assert findings(["demo", "--helm", helm], capsys) == [("HL201", "demo/templates/job.yaml", 11, 1)]


# -- what is rendered, and what is reported ----------------------------------------------


@pytest.mark.parametrize("helm", HELMS)
def test_helmignore_is_honoured(here: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB, "tests/test-job.yaml": JOB.replace("migrate", "test")})
    (here / "demo" / ".helmignore").write_text("# tests are not shipped\ntemplates/tests/\n")
    expected = [("HL201", "demo/templates/job.yaml", 8, 1)]
    assert findings(["demo", "--helm", helm], capsys) == expected
    assert findings(["demo", "--no-render"], capsys) == expected


def test_helmignore_rules_match_as_helm_does() -> None:
    rules = HelmIgnore("*.bak\n/ci\ntemplates/tests/\n")
    assert rules.ignored("templates/x.bak", False)
    assert rules.ignored("ci", True) and not rules.ignored("sub/ci", True)
    assert rules.ignored("templates/tests", True) and not rules.ignored("templates/tests", False)
    assert rules.ignored("templates/.hidden.yaml", False)  # helm's default
    assert not rules.ignored("templates/job.yaml", False)
    # pkg/ignore/rules.go: a path that reaches a `!rule` without matching it is ignored
    negated = HelmIgnore("!keep.yaml\n")
    assert negated.ignored("templates/job.yaml", False) and not negated.ignored("templates/keep.yaml", False)
    # `**` is refused by helm: that rule and the ones after it are dropped
    assert not HelmIgnore("a/**/b\n*.yaml\n").ignored("x.yaml", False)


def test_suppression_comments_in_templates_apply(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(
        here / "demo",
        {
            "job.yaml": JOB.replace(
                "spec:\n  active", "spec:  # hooklint: ignore[HL201] one try is fine\n  active", 1
            )
        },
    )
    helm = fake_helm(here, PRINT_JOB)
    assert findings(["demo", "--helm", str(helm)], capsys) == []
    found, _ = report(["demo", "--helm", str(helm), "--include-suppressed"], capsys)
    assert [(f["code"], f["line"], f["suppression"]) for f in found] == [
        ("HL201", 8, "suppressed by '# hooklint: ignore' comment")
    ]


def test_a_named_template_renders_its_chart_and_reports_on_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB, "other.yaml": JOB.replace("migrate", "other")})
    helm = fake_helm(
        here,
        PRINT_JOB
        + f"sys.stdout.write('---\\n# Source: demo/templates/other.yaml\\n' + {JOB.replace('migrate', 'other')!r})\n",
    )
    assert findings(["demo/templates/job.yaml", "--helm", str(helm)], capsys) == [
        ("HL201", "demo/templates/job.yaml", 8, 1)
    ]
    assert len(calls(here)) == 1
    os.chdir(here / "demo" / "templates")  # named from inside the chart: paths as the user sees them
    assert findings(["job.yaml", "--helm", str(helm)], capsys) == [("HL201", "../templates/job.yaml", 8, 1)]
    os.chdir(here)
    assert sorted(findings(["demo/templates", "--helm", str(helm)], capsys)) == [
        ("HL201", "demo/templates/job.yaml", 8, 1),
        ("HL201", "demo/templates/other.yaml", 8, 1),
    ]
    for whole_chart in ("demo/values.yaml", "demo/templates/_helpers.tpl"):
        (here / whole_chart).write_text("# x\n")
        assert sorted(findings([whole_chart, "--helm", str(helm)], capsys)) == [
            ("HL201", "demo/templates/job.yaml", 8, 1),
            ("HL201", "demo/templates/other.yaml", 8, 1),
        ]


def test_a_folder_of_charts_renders_each_in_parallel(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b", "c"):
        write_chart(here / "charts" / name, {"job.yaml": JOB}, name=name)
    body = (
        "name = os.path.basename(os.getcwd())\n"
        + f"sys.stdout.write('---\\n# Source: ' + name + '/templates/job.yaml\\n' + {JOB!r})\n"
    )
    helm = fake_helm(here, body)
    one = findings(["charts", "--helm", str(helm), "--jobs", "1", "--no-cache"], capsys)
    two = findings(["charts", "--helm", str(helm), "--jobs", "3", "--no-cache"], capsys)
    assert one == two == [("HL201", f"charts/{n}/templates/job.yaml", 8, 1) for n in "abc"]


def test_kustomize_wins_over_chart_yaml(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with both is a Kustomize app: built with kustomize, helm never runs."""
    from tests.test_kustomize import TOOL

    if TOOL is None:
        pytest.skip("no kustomize: run .ci/install-k8s-tools (kubectl in $HOOKLINT_TOOLS/bin)")
    write_chart(here / "demo", {"job.yaml": JOB})
    (here / "demo" / "kustomization.yaml").write_text("resources: [templates/job.yaml]\n")
    helm = fake_helm(here, PRINT_JOB)
    got = findings(["demo", "--helm", str(helm), "--kustomize", TOOL.argv[0]], capsys)
    assert got == [("HL201", "demo/templates/job.yaml", 8, 1)]  # once: templates/ is the build's
    assert calls(here) == []


def test_source_type_follows_argocd_discovery(tmp_path: Path) -> None:
    def kind(*names: str) -> str:
        folder = tmp_path / "-".join(names or ("none",))
        folder.mkdir()
        for name in names:
            (folder / name).write_text("x: 1\n")
        return source_type(folder)

    assert kind("Chart.yaml") == HELM
    assert kind("values-Chart.yaml") == HELM  # strings.HasSuffix
    assert kind("Chart.yml") == kind("chart.yaml") == kind() == DIRECTORY
    assert kind("Chart.yaml", "kustomization.yaml") == KUSTOMIZE  # the file walked last wins
    assert kind("Kustomization", "myChart.yaml") == HELM
    assert kind("Kustomization.yaml") == DIRECTORY


# -- the render cache --------------------------------------------------------------------


def test_renders_are_cached_by_their_inputs(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(here, PRINT_JOB)
    expected = [("HL201", "demo/templates/job.yaml", 8, 1)]
    assert findings(["demo", "--helm", str(helm)], capsys) == expected
    assert findings(["demo", "--helm", str(helm)], capsys) == expected
    assert len(calls(here)) == 1  # the second run used the cache
    (here / "demo" / "values.yaml").write_text("changed: true\n")
    assert findings(["demo", "--helm", str(helm)], capsys) == expected
    assert len(calls(here)) == 2  # any file of the chart is part of the key
    assert findings(["demo", "--helm", str(helm), "--set", "a=1"], capsys) == expected
    assert len(calls(here)) == 3  # and so are the flags
    assert findings(["demo", "--helm", str(helm), "--no-cache"], capsys) == expected
    assert len(calls(here)) == 4


def test_a_timeout_is_never_cached(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(here, "import time\ntime.sleep(30)\n")
    for _ in range(2):
        found, _ = report(["demo", "--helm", str(helm), "--render-timeout", "0.5"], capsys)
        assert [f["code"] for f in found] == ["HL000"]
    assert len(calls(here)) == 2


def test_an_unknown_helm_binary_means_no_render(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    found, err = report(["demo", "--helm", str(here / "no-such-helm")], capsys)
    assert [(f["code"], f["line"]) for f in found] == [("HL201", 8)]
    assert f"demo: note: helm not found ({here / 'no-such-helm'}): linted templates without rendering" in err


def test_bad_helm_options_exit_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    for args, message in (
        (["--render-timeout", "0"], "--render-timeout must be a number of seconds above 0"),
        (["--set", "novalue"], "--set novalue: expected KEY=VALUE"),
        (["--values", "https://example.com/v.yaml"], "only local files"),
    ):
        code, _, err = check(["demo", *args], capsys)
        assert code == 2 and message in err and "Traceback" not in err


def test_a_damaged_cache_renders_again(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(here, PRINT_JOB)
    expected = [("HL201", "demo/templates/job.yaml", 8, 1)]
    assert findings(["demo", "--helm", str(helm)], capsys) == expected
    entries = sorted((here / "cache" / "helm").iterdir())
    assert {p.suffix for p in entries} == {".docs", ".json", ".out"}
    assert oct((here / "cache" / "helm").stat().st_mode & 0o777) == "0o700"
    for entry in entries:
        entry.write_bytes(b"\x80garbage")
    assert findings(["demo", "--helm", str(helm)], capsys) == expected
    assert len(calls(here)) == 2


def test_the_helm_config_section_is_validated(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    from hooklint.cli.app import main

    for text, message in (
        ("helm:\n  renderer: x\n", "unknown key 'helm.renderer'"),
        (
            "helm:\n  charts:\n    - path: demo\n      values: ['https://x/v.yaml']\n",
            "'helm.charts.0.values.0'",
        ),
        ("helm:\n  timeout: 0\n", "'helm.timeout'"),
    ):
        (here / ".hooklint.yaml").write_text(text)
        assert main(["check", "demo"]) == 2
        assert message in capsys.readouterr().err


def test_the_config_can_turn_rendering_off_and_set_the_release(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    helm = fake_helm(here, PRINT_JOB)
    from hooklint.cli.app import main

    (here / ".hooklint.yaml").write_text(
        f"helm:\n  binary: {helm}\n  charts:\n    - path: '*'\n      release-name: shop\n      namespace: prod\n"
    )
    assert main(["check", "demo", "--format", "json"]) == 1
    capsys.readouterr()
    (call,) = calls(here)
    assert call["args"][:6] == ["template", ".", "--name-template", "shop", "--namespace", "prod"]
    (here / ".hooklint.yaml").write_text("helm:\n  render: false\n")
    assert main(["check", "demo"]) == 1
    assert "demo: note: --no-render: linted templates without rendering" in capsys.readouterr().err
    assert len(calls(here)) == 1


def test_a_chart_given_as_context_is_rendered_for_analysis_only(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB})
    (here / "app").mkdir()
    (here / "app" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    helm = fake_helm(here, PRINT_JOB)
    assert findings(["app", "--context", "demo", "--helm", str(helm)], capsys) == []
    assert len(calls(here)) == 1


@pytest.mark.parametrize("helm", HELMS)
def test_a_subchart_finding_lands_in_the_subchart(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"})
    write_chart(here / "demo" / "charts" / "db", {"job.yaml": JOB}, name="db")
    expected = [("HL201", "demo/charts/db/templates/job.yaml", 8, 1)]
    assert findings(["demo", "--helm", helm], capsys) == expected
    assert findings(["demo", "--no-render"], capsys) == expected
    # staging the subchart's template renders the parent chart, which is what Argo CD syncs
    assert findings(["demo/charts/db/templates/job.yaml", "--helm", helm], capsys) == expected


def test_the_readme_helm_config_is_valid() -> None:
    import re

    from hooklint.config import config_from_data, validate_config_data
    from hooklint.yaml.reader import parse_yaml

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Helm\n") : readme.index("## Sync plan")]
    (block,) = re.findall(r"^```yaml\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    data = parse_yaml(block)[0][0].value
    validate_config_data(data, "README")
    helm = config_from_data(data, None).helm
    assert [rule.path for rule in helm.charts] == ["charts/*", "charts/shop"]
    assert helm.charts[1].settings.ignore_missing_values_files
