"""Output to ruff's standard: short default lines, ``full`` with the source span, GitLab
Code Quality, JUnit, JSON statistics, colour, honest empty runs and broken pipes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.model import Finding, Position, Severity
from hooklint.output.full import SourceLines, format_full, token_end
from hooklint.output.text import headline
from tests.conftest import BAD_HOOK, BAD_WAVE, CLEAN
from tests.conftest import run_main as run

HL101_HEAD = "hook Job/db-migrate has a fixed name and delete policy HookFailed only"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "hook.yaml").write_text(BAD_HOOK)
    (tmp_path / "app" / "wave.yaml").write_text(BAD_WAVE)
    (tmp_path / "app" / "clean.yaml").write_text(CLEAN)
    return tmp_path


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# -- default text: one short line -------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "head", "rest"),
    [
        ("a: b", "a", "b"),
        ('value "x: y" on Job/a is bad: why; fix', 'value "x: y" on Job/a is bad', "why; fix"),
        (
            "Job/a in wave 1 (Argo CD waits: yes) is slow: why",
            "Job/a in wave 1 (Argo CD waits: yes) is slow",
            "why",
        ),
        (
            'wave "1.5" on Job/a is not an integer; Argo CD reads it as 0',
            'wave "1.5" on Job/a is not an integer; Argo CD reads it as 0',
            "",
        ),
        ("first sentence. Second one.", "first sentence", "Second one."),
        ("version 2.10.1 is old", "version 2.10.1 is old", ""),
    ],
)
def test_headline_is_the_first_clause_outside_quotes_and_brackets(message: str, head: str, rest: str) -> None:
    assert headline(message) == (head, rest)


@given(st.text(alphabet=st.sampled_from(list('ab :."()[]{};')), max_size=40))
def test_headline_and_rest_rebuild_the_message(message: str) -> None:
    head, rest = headline(message)
    if rest or head != message:
        assert message in (f"{head}: {rest}", f"{head}. {rest}")
        assert len(head) < len(message)
    else:
        assert rest == ""
    if not any(c in message for c in '"()[]{}'):  # nothing to skip over: the first separator cuts
        cuts = [i for i in (message.find(": "), message.find(". ")) if i >= 0]
        assert len(head) == (min(cuts) if cuts else len(message))


def test_default_text_is_one_short_line_per_finding(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", "app", "--isolated"], capsys)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"app/hook.yaml:7:44: HL101 [*] [warning] {HL101_HEAD}",
        'app/wave.yaml:6:35: HL002 [error] wave "1.5" on ConfigMap/settings is not a whole decimal '
        "number; Argo CD silently reads it as 0",
        "Found 2 findings (1 error, 1 warning) in 3 files (3 objects).",
        "[*] 1 fixable with --fix",
    ]


# -- full -------------------------------------------------------------------------------


def test_full_shows_the_source_span_the_why_and_the_fix(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["check", "app/hook.yaml", "--isolated", "--output-format", "full"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[:5] == [
        f"app/hook.yaml:7:44: HL101 [*] [warning] {HL101_HEAD}",
        "  |",
        "7 |     argocd.argoproj.io/hook-delete-policy: HookFailed",
        "  |                                            ^^^^^^^^^^",
        "  |",
    ]
    assert lines[5].startswith("  = why: after one successful run it is never deleted")
    assert lines[6] == (
        "  = fix: Add BeforeHookCreation to the hook's delete policy, or give it metadata.generateName."
    )
    assert lines[7:] == ["", "Found 1 finding (1 warning) in 1 file (1 object)."]


def test_full_reads_stdin_from_what_was_piped(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, BAD_WAVE.encode())
    code, out, _ = run(["check", "-", "--isolated", "-f", "full", "-q", "--stdin-filename", "c.yaml"], capsys)
    assert code == 1
    assert out.splitlines()[1:4] == [
        "  |",
        '6 |     argocd.argoproj.io/sync-wave: "1.5"',
        "  |                                   ^^^^^",
    ]


def finding(end: Position | None, line: int = 2, column: int = 4) -> Finding:
    return Finding("HL9", "x", Severity.ERROR, "head: why", "a.yaml", Position(line, column), end=end)


def test_full_span_uses_the_end_when_the_reader_gives_one() -> None:
    lines = SourceLines({"a.yaml": "a: 1\nb: some value # note\nc:\n  - one\n  - two\n"})
    assert format_full(finding(Position(2, 8)), lines, {}).splitlines()[1:5] == [
        "  |",
        "2 | b: some value # note",
        "  |    ^^^^",
        "  |",
    ]
    # no end (the reader did not record one): the token at the start, up to " #"
    assert format_full(finding(None), lines, {}).splitlines()[3] == "  |    ^^^^^^^^^^"
    # an end before the start is ignored the same way
    assert format_full(finding(Position(1, 1)), lines, {}).splitlines()[3] == "  |    ^^^^^^^^^^"
    # several lines: each is underlined; an exclusive end at a line's start stops before it
    multi = format_full(finding(Position(6, 1), line=3, column=1), lines, {"HL9": "Do it."}).splitlines()
    assert multi[1:9] == [
        "  |",
        "3 | c:",
        "  | ^^",
        "4 |   - one",
        "  |   ^^^^^",
        "5 |   - two",
        "  |   ^^^^^",
        "  |",
    ]
    assert multi[9:] == ["  = why: why", "  = fix: Do it."]


def test_full_without_the_source_prints_no_snippet() -> None:
    text = format_full(finding(Position(2, 7)), SourceLines({"a.yaml": ""}), {})
    assert text.splitlines() == ["a.yaml:2:4: HL9 [error] head", "  = why: why"]


@pytest.mark.parametrize(
    ("line", "column", "end"),
    [
        ('k: "a \\" b" # c', 4, 12),
        ("k: 'it''s' x", 4, 11),
        ("key: value", 1, 4),
        ("- item", 3, 7),
        ("k: unterminated 'x", 17, 19),
        ('k: "open', 4, 9),
        ("k:", 5, 6),
    ],
)
def test_token_end(line: str, column: int, end: int) -> None:
    assert token_end(line, column) == end


# -- GitLab Code Quality ----------------------------------------------------------------

#: The fields GitLab documents for a Code Quality report (docs.gitlab.com, "Code Quality":
#: "Code Quality report format"): each issue needs these, severity is one of five.
GITLAB_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_code_quality(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "app" / "twice.yaml").write_text(
        BAD_WAVE.replace("settings", "one") + "---\n" + BAD_WAVE.replace("settings", "two")
    )
    code, out, err = run(["check", "app", "--isolated", "--output-format", "gitlab"], capsys)
    assert code == 1 and err == ""
    issues = json.loads(out)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ] == [
        ("HL101", "minor", "app/hook.yaml", 7),
        ("HL002", "major", "app/twice.yaml", 6),
        ("HL002", "major", "app/twice.yaml", 13),
        ("HL002", "major", "app/wave.yaml", 6),
    ]
    assert issues[0]["description"].startswith(f"HL101 {HL101_HEAD}: after one")
    assert len({i["fingerprint"] for i in issues}) == 4
    # stable when unrelated lines move
    (tree / "app" / "hook.yaml").write_text("# a comment\n" + BAD_HOOK)
    moved = json.loads(run(["check", "app", "--isolated", "-f", "gitlab"], capsys)[1])
    assert moved[0]["location"]["lines"]["begin"] == 8
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]


# -- JUnit ------------------------------------------------------------------------------


def test_junit_one_suite_per_file_failing_cases_per_finding(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "app", "--isolated", "--output-format", "junit"], capsys)
    assert code == 1 and err == ""
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["app/clean.yaml", "app/hook.yaml", "app/wave.yaml"]
    [clean] = suites["app/clean.yaml"].findall("testcase")
    assert clean.find("failure") is None and suites["app/clean.yaml"].get("failures") == "0"
    [case] = suites["app/hook.yaml"].findall("testcase")
    assert case.get("classname") == "app/hook.yaml" and case.get("line") == "7"
    failure = case.find("failure")
    assert failure is not None
    assert (failure.get("type"), failure.get("message")) == ("HL101", HL101_HEAD)
    assert (failure.text or "").startswith(f"app/hook.yaml:7:44: HL101 [*] [warning] {HL101_HEAD}: after")


def test_junit_escapes_control_characters(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "app" / "wave.yaml").write_text(BAD_WAVE.replace('"1.5"', '"1\\u0001<&>"'))
    _, out, _ = run(["check", "app/wave.yaml", "--isolated", "-f", "junit"], capsys)
    failure = ET.fromstring(out.split("\n", 1)[1]).find("testsuite/testcase/failure")
    assert failure is not None and 'wave "1\\x01<&>"' in (failure.get("message") or "")


# -- statistics -------------------------------------------------------------------------


def test_statistics_as_json(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "app" / "more.yaml").write_text(BAD_WAVE.replace("settings", "more"))
    code, out, _ = run(["check", "app", "--isolated", "--statistics", "-f", "json"], capsys)
    assert code == 1
    assert json.loads(out) == [
        {"code": "HL002", "name": "invalid-sync-wave", "count": 2, "fixable": False},
        {"code": "HL101", "name": "named-hook-without-before-hook-creation", "count": 1, "fixable": True},
    ]


@pytest.mark.parametrize("fmt", ["github", "sarif", "gitlab", "junit"])
def test_statistics_where_a_format_cannot_carry_them_is_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(["check", "app", "--isolated", "--statistics", "-f", fmt], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"hooklint: error: --statistics cannot be written as {fmt}: use --output-format text, full, json\n"
    )


# -- empty input ------------------------------------------------------------------------

EMPTY_STDIN = (
    "hooklint: warning: stdin was empty (did the command before the pipe fail?); nothing was linted "
    "(--fail-if-no-objects makes this exit 1)\n"
)


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (b"", EMPTY_STDIN),
        (b"\n  \n", EMPTY_STDIN),
        (
            b"helm: command not found\n",
            "hooklint: warning: no Kubernetes object (apiVersion and kind) on stdin; nothing was linted "
            "(--fail-if-no-objects makes this exit 1)\n",
        ),
    ],
)
def test_stdin_without_objects_warns_and_can_fail(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: bytes, warning: str
) -> None:
    stdin(monkeypatch, data)
    code, out, err = run(["check", "-", "--isolated"], capsys)
    assert (code, out, err) == (0, "No findings in 1 file (0 objects).\n", warning)
    stdin(monkeypatch, data)
    code, out, err = run(["check", "-", "--isolated", "--fail-if-no-objects", "-q"], capsys)
    assert (code, out, err) == (1, "", warning)


def test_an_error_message_on_stdin_is_a_parse_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, b'Error: accumulating resources: accumulation err="x": not found\n')
    code, out, _ = run(["check", "-", "--isolated", "-q"], capsys)
    assert code == 1
    assert out.startswith("<stdin>:1:30: HL000 [error] mapping values are not allowed in this context")


def test_a_folder_without_objects_warns_named_files_do_not(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "values").mkdir()
    (tree / "values" / "values.yaml").write_text("replicas: 2\n")
    code, _, err = run(["check", "values", "--isolated"], capsys)
    assert code == 0
    assert err == (
        "hooklint: warning: no Kubernetes object (apiVersion and kind) in 1 file; nothing was linted "
        "(--fail-if-no-objects makes this exit 1)\n"
    )
    # pre-commit names staged files one by one: a values file is no mistake
    assert run(["check", "values/values.yaml", "--isolated"], capsys)[0::2] == (0, "")
    assert run(["check", "values/values.yaml", "--isolated", "--fail-if-no-objects"], capsys)[0] == 1
    assert run(["check", "app", "--isolated", "--fail-if-no-objects", "--exit-zero"], capsys)[0] == 0


# -- colour, -o -------------------------------------------------------------------------


def test_color_option_and_environment(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["check", "app/wave.yaml", "--isolated", "-q"]
    colored = "\x1b[1mapp/wave.yaml:6:35:\x1b[0m \x1b[1;31mHL002\x1b[0m \x1b[1;31m[error]\x1b[0m wave"
    assert run(args, capsys)[1].startswith("app/wave.yaml:6:35: HL002 [error] wave")  # not a terminal
    assert run([*args, "--color", "always"], capsys)[1].startswith(colored)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run(args, capsys)[1].startswith(colored)
    assert "\x1b" not in run([*args, "--color", "never"], capsys)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run(args, capsys)[1]
    assert run([*args, "--color", "always"], capsys)[1].startswith(colored)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert "\x1b" not in run(args, capsys)[1]
    code, _, err = run([*args, "--color", "sometimes"], capsys)
    assert (code, err) == (
        2,
        "hooklint: error: unknown --color 'sometimes': use one of auto, always, never\n",
    )


def test_output_file_is_announced_on_stderr_unless_quiet(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "app", "--isolated", "-f", "junit", "-o", "report.xml"], capsys)
    assert (code, out, err) == (1, "", "hooklint: wrote the junit report to report.xml\n")
    assert (tree / "report.xml").read_text().startswith("<?xml")
    assert run(["check", "app", "--isolated", "-o", "r.txt", "-q"], capsys) == (1, "", "")


# -- broken pipe ------------------------------------------------------------------------


def first_line_then_close(args: list[str], cwd: Path) -> tuple[int, str]:
    """``hooklint ARGS | head -1``: read one line, close the pipe, return hooklint's exit code."""
    env = {**os.environ, "PYTHONUNBUFFERED": "0"}
    with subprocess.Popen(
        [sys.executable, "-m", "hooklint", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        line = proc.stdout.readline().decode()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        return proc.wait(), line + err


@pytest.fixture
def many_findings(tmp_path: Path) -> Path:
    """More than a pipe holds (64 KiB) of JSON findings."""
    for i in range(250):
        (tmp_path / f"w{i:03}.yaml").write_text(BAD_WAVE.replace("settings", f"s{i}"))
    return tmp_path


@pytest.mark.parametrize(
    ("extra", "expected"),
    [([], 1), (["--exit-zero"], 0), (["--fail-on", "error"], 1), (["--select", "HL101"], 0)],
)
def test_a_closed_pipe_keeps_the_exit_code_the_run_earned(
    many_findings: Path, extra: list[str], expected: int
) -> None:
    code, text = first_line_then_close(["check", ".", "--isolated", "-f", "json", *extra], many_findings)
    assert code == expected, text
    assert "Traceback" not in text and "internal error" not in text


# -- end positions in the machine formats -----------------------------------------------


@pytest.mark.parametrize(
    ("end", "json_end", "region_end", "github_end"),
    [
        (Position(2, 9), (2, 9), {"endLine": 2, "endColumn": 9}, ",endLine=2,endColumn=9"),
        (Position(4, 1), (4, 1), {"endLine": 4, "endColumn": 1}, ",endLine=4,endColumn=1"),
        (None, (None, None), {}, ""),
    ],
)
def test_end_positions_are_rendered_or_left_out(
    tmp_path: Path,
    end: Position | None,
    json_end: tuple[int | None, int | None],
    region_end: dict[str, int],
    github_end: str,
) -> None:
    from hooklint.engine import Report
    from hooklint.output import render
    from hooklint.output.github import annotation
    from hooklint.output.sarif import sarif_log

    made = finding(end)
    report = Report([made], [])
    out = io.StringIO()
    render("json", report, out, object())  # type: ignore[arg-type]
    [data] = json.loads(out.getvalue())
    assert (data["end_line"], data["end_column"]) == json_end
    [result] = sarif_log(report, tmp_path)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 4, **region_end}
    assert annotation(made).startswith(f"::error file=a.yaml,line=2,col=4{github_end},title=hooklint HL9::")


def _headline_by_characters(message: str) -> tuple[str, str]:
    """The headline rule spelled out, character by character (the reference)."""
    depth, quoted = 0, False
    for i, char in enumerate(message):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0 and char in ":." and message[i + 1 : i + 2] == " ":
            return message[:i], message[i + 2 :]
    return message, ""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab :."([{}])')), max_size=40))
def test_headline_fast_path_cuts_where_the_rule_says(message: str) -> None:
    from hooklint.output.text import headline

    assert headline(message) == _headline_by_characters(message)
