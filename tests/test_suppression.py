"""Annotations and comments silence findings; --include-suppressed shows them."""

from __future__ import annotations

from hooklint.engine import Report
from tests.conftest import codes_lines, lint_text

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  annotations:
    argocd.argoproj.io/hook: PreSync{extra}
spec:{comment}
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: m, image: m}}]
"""


def lint_text_201(text: str, **kwargs: object) -> Report:
    return lint_text(text, select=("HL201",), **kwargs)  # type: ignore[arg-type]


def job(extra: str = "", comment: str = "") -> str:
    return JOB.format(extra=extra, comment=comment)


def test_unsuppressed_baseline() -> None:
    assert codes_lines(lint_text_201(job())) == [("HL201", 7)]


def test_annotation_by_rule_name_and_all() -> None:
    reason = '\n    ignore-check.hooklint.io/hook-job-without-backoff-limit: "retries wanted"'
    report = lint_text_201(job(extra=reason))
    assert report.findings == [] and report.suppressed == 1
    report = lint_text_201(job(extra=reason), include_suppressed=True)
    assert [f.suppression for f in report.findings] == ["retries wanted"]
    assert lint_text_201(job(extra='\n    ignore-check.hooklint.io/all: "vendored"')).findings == []
    assert codes_lines(lint_text_201(job(extra='\n    ignore-check.hooklint.io/other-rule: "x"'))) == [
        ("HL201", 8)
    ]


def test_line_comment_by_code_or_name() -> None:
    assert lint_text_201(job(comment="  # hooklint: ignore[HL201]")).findings == []
    assert lint_text_201(job(comment="  # hooklint: ignore[hook-job-without-backoff-limit]")).findings == []
    assert lint_text_201(job(comment="  # hooklint: ignore")).findings == []
    assert codes_lines(lint_text_201(job(comment="  # hooklint: ignore[HL101]"))) == [("HL201", 7)]


def test_comment_alone_on_the_line_above() -> None:
    text = job().replace("spec:\n  template", "# hooklint: ignore[HL201]\nspec:\n  template")
    assert lint_text_201(text).findings == []
    # a trailing comment on the line above does not cover the next line
    text = job(extra="  # hooklint: ignore[HL201]").replace("PreSync  #", "PreSync #")
    assert codes_lines(lint_text_201(text)) == [("HL201", 7)]


def test_ignore_file() -> None:
    assert lint_text_201("# hooklint: ignore-file\n" + job()).findings == []
