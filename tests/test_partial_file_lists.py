"""pre-commit passes only the staged files, maybe in several batches: whole-set rules
must see the rest of the app through --context / `context:`, and report only on targets
(or on a context file when a staged one is the other end of the finding)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.cli.app import main
from hooklint.config import Config
from hooklint.engine import ActiveRule, LintOptions, analyse, lint
from hooklint.model import Severity
from hooklint.output.text import format_finding
from hooklint.registry import Registry, load_registry
from hooklint.sources.files import load_bytes
from hooklint.spec import spec_from_mapping
from tests.conftest import REPO

SHOP = REPO / "examples" / "shop"
SHOP_FILES = sorted(p.name for p in SHOP.glob("*.yaml"))
Key = tuple[str, int, int, str, str, frozenset[str]]  # path, line, column, code, message, related paths


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the example app in deploy/; cwd is its root, as under pre-commit."""
    shutil.copytree(SHOP, tmp_path / "deploy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _keys(paths: tuple[str, ...], root: Path, context: tuple[str, ...] = ("deploy",)) -> set[Key]:
    options = LintOptions(paths=paths, context=context)
    report = lint(load_registry(plugins=False), Config(), options, cwd=root)
    return {
        (f.path, f.line, f.column, f.code, f.message, frozenset(r.path for r in f.related))
        for f in report.findings
    }


def test_every_batch_reports_exactly_its_share_of_the_full_run(app: Path) -> None:
    """Any batch of staged files gets the full run's findings on those files, plus those
    on other files whose related end is in the batch: so any split adds up to one full run."""
    files = tuple(f"deploy/{name}" for name in SHOP_FILES)
    full = _keys(files, app, context=())
    assert {"HL001", "HL002", "HL101", "HL201", "HL301"} <= {k[3] for k in full}
    for size in range(1, len(files) + 1):
        for batch in itertools.combinations(files, size):
            want = {k for k in full if k[0] in batch or k[5] & set(batch)}
            assert _keys(batch, app) == want, batch


def test_without_context_a_staged_file_alone_misses_the_whole_set_finding(app: Path) -> None:
    # The Ingress is gated only because of the PostSync hook in 50-smoke-test.yaml.
    staged = ("deploy/40-ingress.yaml",)
    assert not any(k[3] == "HL301" for k in _keys(staged, app, context=()))
    # with context: the Ingress's own finding, and the StatefulSet's, whose next wave the
    # staged Ingress is (its related end)
    assert sorted((k[0], k[1], k[3]) for k in _keys(staged, app) if k[3] == "HL301") == [
        ("deploy/10-database.yaml", 19, "HL301"),
        ("deploy/40-ingress.yaml", 7, "HL301"),
    ]


def test_cli_context_option_and_config_context_agree(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--isolated", "--select", "HL301", "deploy/40-ingress.yaml"]) == 0
    capsys.readouterr()
    argv = ["check", "--isolated", "--select", "HL301", "--context", "deploy/", "deploy/40-ingress.yaml"]
    assert main(argv) == 1
    with_option = capsys.readouterr().out
    (app / ".hooklint.yaml").write_text("select: [HL301]\ncontext: [deploy/]\n", encoding="utf-8")
    assert main(["check", "--force-exclude", "deploy/40-ingress.yaml"]) == 1
    with_config = capsys.readouterr().out
    assert with_option == with_config
    lines = with_option.splitlines()
    assert lines[0].startswith("deploy/10-database.yaml:19:35: HL301 [warning] StatefulSet/postgres")
    assert lines[0].endswith("(see deploy/40-ingress.yaml:7:35)")
    assert lines[1].startswith("deploy/40-ingress.yaml:7:35: HL301 [warning] Ingress/shop in wave 2")
    assert lines[2] == "Found 2 findings (2 warnings) in 1 file (1 object)."


def test_config_context_is_relative_to_the_config_file(
    app: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (app / ".hooklint.yaml").write_text("select: [HL301]\ncontext: [deploy]\n", encoding="utf-8")
    monkeypatch.chdir(app / "deploy")
    assert main(["check", "40-ingress.yaml"]) == 1
    assert capsys.readouterr().out.splitlines()[1].startswith("40-ingress.yaml:7:35: HL301 ")


def test_a_staged_file_inside_the_context_is_linted_once(
    app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "check",
        "--isolated",
        "--select",
        "HL101,HL201",
        "--context",
        "deploy",
        "deploy/20-db-migrate.yaml",
    ]
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[1] for line in out[:-2]] == ["HL101", "HL201"]
    assert out[-2:] == [
        "Found 2 findings (2 warnings) in 1 file (1 object).",
        "[*] 1 fixable with --fix (1 more with --unsafe-fixes)",
    ]


def test_problems_in_context_files_are_not_reported(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (app / "deploy" / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (app / "deploy" / "tpl.yaml").write_text("name: {{ .Values.x }}\n", encoding="utf-8")
    code = main(
        ["check", "--isolated", "--select", "HL000", "--context", "deploy", "deploy/00-namespace.yaml"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == "No findings in 1 file (1 object).\n"
    assert captured.err == ""


CHART_JOB = (
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n"
    "  annotations:\n    argocd.argoproj.io/hook: PreSync\n"
)


def test_a_staged_helm_template_is_a_note_not_a_failure(
    app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = app / "charts" / "shop" / "templates"
    chart.mkdir(parents=True)
    (chart / "job.yaml").write_text(CHART_JOB, encoding="utf-8")
    assert main(["check", "--isolated", "charts/shop/templates/job.yaml"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "No findings in 1 file (0 objects).\n"
    assert captured.err.startswith("charts/shop/templates/job.yaml: note: Go/Helm template")
    assert captured.err.count("\n") == 1


def test_config_exclude_with_force_exclude_skips_named_chart_files(
    app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = app / "charts" / "shop" / "templates"
    chart.mkdir(parents=True)
    (chart / "job.yaml").write_text(CHART_JOB, encoding="utf-8")
    (app / "charts" / "shop" / "values.yaml").write_text("image: {tag: '1.0'}\n", encoding="utf-8")
    (app / ".hooklint.yaml").write_text('select: [HL101, HL201]\nexclude: ["charts/**"]\n', encoding="utf-8")
    staged = ["charts/shop/templates/job.yaml", "charts/shop/values.yaml", "deploy/20-db-migrate.yaml"]
    assert main(["check", "--force-exclude", *staged]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[-2] == "Found 2 findings (2 warnings) in 1 file (1 object)."
    # Without --force-exclude a file named on the command line is read anyway.
    assert main(["check", *staged]) == 1
    assert "charts/shop/templates/job.yaml: note: Go/Helm template" in capsys.readouterr().err


# -- a finding on an unstaged (context) file whose other end is staged -------------------------

PAIR_SPEC = spec_from_mapping(
    {
        "code": "HL990",
        "name": "test-pair",
        "summary": "A ConfigMap paired with a Secret (test rule)",
        "severity": "warning",
        "remediation": "Nothing.",
    }
)


class PairCheck(Check):
    """A whole-set test check: each ConfigMap, with every Secret as the related end."""

    key = "test-pair"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        secrets = [d for d in context.manifests.documents if d.kind == "Secret"]
        for doc in context.manifests.documents:
            if doc.kind == "ConfigMap" and secrets:
                related = tuple(Related(s, ("metadata", "name"), "the Secret") for s in secrets)
                yield Violation(doc, ("metadata", "name"), f"{doc.ref} is paired", related)


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n"


def _pair_report(cm_staged: bool, secret_staged: bool) -> list[str]:
    registry = Registry()
    registry.add_spec(PAIR_SPEC)
    registry.add_check(PairCheck())
    rules = [ActiveRule(PAIR_SPEC, Severity.WARNING, {}, ())]
    loaded = [
        load_bytes(CONFIG_MAP.encode(), "app/cm.yaml", is_target=cm_staged),
        load_bytes(SECRET.encode(), "app/secret.yaml", is_target=secret_staged),
    ]
    report = analyse(rules, registry, Config(), loaded)
    return [format_finding(f) for f in report.findings]


@pytest.mark.parametrize(("cm_staged", "secret_staged"), [(True, False), (False, True), (True, True)])
def test_finding_on_an_unstaged_file_is_reported_when_its_other_end_is_staged(
    cm_staged: bool, secret_staged: bool
) -> None:
    assert _pair_report(cm_staged, secret_staged) == [
        "app/cm.yaml:4:9: HL990 [warning] ConfigMap/settings is paired (see app/secret.yaml:4:9)"
    ]


def test_finding_with_no_staged_end_is_not_reported() -> None:
    assert _pair_report(False, False) == []
