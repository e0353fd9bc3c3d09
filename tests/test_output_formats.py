"""``--format json`` and ``--format github``, and ``--output FILE`` for every format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hooklint.cli.app import main
from hooklint.config import Config, RuleConfig
from hooklint.model import Finding, Position, RelatedLocation, Severity
from hooklint.output import FORMATS
from hooklint.output.findings_json import finding_data
from hooklint.output.github import annotation, escape_property
from hooklint.output.github import render as render_github
from hooklint.values import replace
from tests.conftest import lint_text, lint_texts

BAD_WAVE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  namespace: team-a
  annotations:
    argocd.argoproj.io/sync-wave: "1.5"
"""


def test_json_finding_keys_and_values() -> None:
    [finding] = lint_text(BAD_WAVE, select=("HL002",)).findings
    assert finding_data(finding) == {
        "code": "HL002",
        "name": "invalid-sync-wave",
        "severity": "error",
        "message": finding.message,
        "path": "test.yaml",
        "line": 7,
        "column": 35,
        "end_line": 7,
        "end_column": 40,
        "object": "batch/v1 Job team-a/db-migrate",
        "yaml_path": ["metadata", "annotations", "argocd.argoproj.io/sync-wave"],
        "related": [],
        "suppression": None,
        "fix": None,
        "application": None,
    }
    assert finding.message.startswith('wave "1.5" on Job/db-migrate')


def test_json_related_end_and_parse_error() -> None:
    finding = Finding(
        code="HL301",
        name="x",
        severity=Severity.WARNING,
        message="m",
        path="a.yaml",
        position=Position(3, 5),
        end=Position(3, 9),
        related=(RelatedLocation("b.yaml", Position(7, 1), "the other end"),),
    )
    data = finding_data(finding)
    assert (data["end_line"], data["end_column"], data["object"]) == (3, 9, None)
    assert data["related"] == [{"path": "b.yaml", "line": 7, "column": 1, "message": "the other end"}]
    [parse] = lint_text("a: [b\n").findings
    assert finding_data(parse)["code"] == "HL000" and finding_data(parse)["object"] is None


def test_json_through_the_cli_is_a_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "job.yaml").write_text(BAD_WAVE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", "json", "."]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["path"], d["line"], d["column"]) for d in data] == [("HL002", "job.yaml", 7, 35)]
    (tmp_path / "job.yaml").write_text(BAD_WAVE.replace("1.5", "2"))
    assert main(["check", "--isolated", "--format", "json", "."]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_github_annotation_line() -> None:
    [finding] = lint_text(BAD_WAVE, select=("HL002",)).findings
    assert annotation(finding) == (
        "::error file=test.yaml,line=7,col=35,endLine=7,endColumn=40,title=hooklint HL002::"
        'wave "1.5" on Job/db-migrate is not a whole decimal number; Argo CD silently reads it as 0'
    )


def test_github_levels_escaping_related_and_suppressed() -> None:
    base = Finding(
        code="HL9",
        name="x",
        severity=Severity.INFO,
        message="50% done\nnext, line",
        path="dir,a/b:c.yaml",
        position=Position(2, 3),
    )
    assert (
        annotation(base)
        == "::notice file=dir%2Ca/b%3Ac.yaml,line=2,col=3,title=hooklint HL9::50%25 done%0Anext, line"
    )
    warning = replace(base, severity=Severity.WARNING, message="m", path="a.yaml")
    assert annotation(warning).startswith("::warning file=a.yaml,")
    linked = replace(warning, end=Position(2, 8), related=(RelatedLocation("b.yaml", Position(4, 5), "x"),))
    assert annotation(linked) == (
        "::warning file=a.yaml,line=2,col=3,endLine=2,endColumn=8,title=hooklint HL9::m (see b.yaml:4:5)"
    )
    hidden = replace(warning, severity=Severity.ERROR, suppression="vendored")
    assert annotation(hidden).startswith("::notice ")
    assert annotation(hidden).endswith("::m [suppressed: vendored]")
    assert escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"


def test_github_render_includes_notices_and_config_levels() -> None:
    config = Config(rules={"invalid-sync-wave": RuleConfig(severity=Severity.WARNING)})
    report = lint_texts({"job.yaml": BAD_WAVE}, select=("HL002",), config=config)
    from hooklint.sources.files import Notice

    report.notices.append(Notice("chart/t.yaml", "Go/Helm template; not linted"))
    out = io.StringIO()
    render_github(report, out, None)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        "::warning file=job.yaml,line=7,col=35,endLine=7,endColumn=40,title=hooklint HL002::"
    )
    assert lines[1] == "::warning file=chart/t.yaml,title=hooklint::Go/Helm template; not linted"
    assert len(lines) == 2


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_file_gets_exactly_what_stdout_would(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "job.yaml").write_text(BAD_WAVE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", fmt, "job.yaml"]) == 1
    printed = capsys.readouterr().out
    assert main(["check", "--isolated", "--format", fmt, "--output", "report.out", "job.yaml"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (tmp_path / "report.out").read_text(encoding="utf-8") == printed
    assert "HL002" in printed


def test_output_file_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "job.yaml").write_text(BAD_WAVE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--isolated", "--format", "sarif", "-o", "missing/dir/out.sarif", "job.yaml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "hooklint: error: cannot write the report to missing/dir/out.sarif: No such file or directory; "
        "check that the folder exists and is writable\n"
    )


def test_unknown_format_lists_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "xml", "."]) == 2
    assert capsys.readouterr().err == (
        "hooklint: error: unknown output format 'xml': use one of text, full, json, github, sarif, gitlab, junit\n"
    )
