"""The shared builders in tests/conftest.py give the manifests their docstrings promise."""

from __future__ import annotations

from tests.conftest import BAD_HOOK, BAD_WAVE, CLEAN, JOB_TAIL, codes_lines, hook_job, lint_text

PRESYNC_HOOKFAILED = "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n"


def test_hook_job_rebuilds_bad_hook() -> None:
    assert hook_job(PRESYNC_HOOKFAILED) == BAD_HOOK
    assert JOB_TAIL.startswith("spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 600\n")
    assert JOB_TAIL.endswith("          image: example/migrate:1.0\n")


def test_bad_wave_and_clean_findings() -> None:
    assert codes_lines(lint_text(BAD_WAVE)) == [("HL002", 6)]
    assert codes_lines(lint_text(CLEAN)) == []
    assert [(f.code, f.line, f.column) for f in lint_text(BAD_HOOK).findings] == [("HL101", 7, 44)]
