"""Fixes commute with layout: on the same manifest written with CRLF, a BOM or twice the
indentation, --fix gives the same result written the same way, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from hooklint.cli.app import main
from tests.test_fix import JOB_TAIL, JOB_WITHOUT_LIMITS, hook_job

CASES = {
    "HL001": hook_job(
        "    argocd.argoproj.io/sync-wave: 5  # c\n    example.com/e:\n    argocd.argoproj.io/hook: Sync\n"
    ),
    "HL001-flow": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {a: 1, b: 'x'}\n",
    "HL003-HL004-HL005": hook_job(
        "    argocd.argoproj.io/hook: 'presync'\n    argocd.argoproj.io/hook-delete-policy: hookfailed, "
        'HookSucceded\n    argocd.argoproj.io/sync-options: "prune=False"\n'
    ),
    "HL101": hook_job("    argocd.argoproj.io/hook: Sync\n    helm.sh/hook-delete-policy: hook-failed\n"),
    "HL201-HL202": JOB_WITHOUT_LIMITS,
    "HL203": hook_job(
        "    argocd.argoproj.io/hook: Sync\n", JOB_TAIL.replace("      restartPolicy: Never\n", "")
    ),
    "HL204": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: Sync\n"
    "spec:\n  restartPolicy: OnFailure\n  containers:\n  - name: t\n    image: t\n",
    "HL006": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    argocd.argoproj.io/sync-wave: '1'\n"
    "data:\n  k: v\n",
    "HL006-existing": hook_job("    argocd.argoproj.io/hook: Sync\n").replace(
        "  annotations:\n", "  labels:\n    app: a\n    helm.sh/hook-weight: '2'  # w\n  annotations:\n"
    ),
}

_INDENT_RE = re.compile(r"^( *)(- +)?")


def double_indent(text: str) -> str:
    """Every indentation twice as deep, sequence items included (``- `` keeps its content aligned)."""
    out = []
    for line in text.splitlines(keepends=True):
        match = _INDENT_RE.match(line)
        assert match is not None
        spaces, dash = match.group(1), match.group(2)
        rest = line[match.end() :]
        if dash:
            content = len(spaces) + len(dash)
            out.append(" " * (2 * len(spaces)) + "-" + " " * (2 * content - 2 * len(spaces) - 1) + rest)
        else:
            out.append(" " * (2 * len(spaces)) + rest)
    return "".join(out)


LAYOUTS: dict[str, Callable[[bytes], bytes]] = {
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "bom": lambda data: b"\xef\xbb\xbf" + data,
    "indent4": lambda data: double_indent(data.decode()).encode(),
    "crlf-indent4-bom": lambda data: (
        b"\xef\xbb\xbf" + double_indent(data.decode()).replace("\n", "\r\n").encode()
    ),
}


def fixed(folder: Path, data: bytes) -> bytes:
    path = folder / "app" / "f.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    main(["check", "--isolated", "--fix", "--unsafe-fixes", "--quiet", "app/f.yaml"])
    return path.read_bytes()


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("case", list(CASES))
def test_fix_commutes_with_layout(
    case: str,
    layout: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    plain = CASES[case].encode()
    after = fixed(tmp_path, plain)
    assert after != plain, f"{case} has nothing to fix"
    transform = LAYOUTS[layout]
    assert fixed(tmp_path, transform(plain)) == transform(after)
