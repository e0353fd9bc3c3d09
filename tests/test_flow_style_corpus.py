"""The shared corpus rewritten in compact flow style lints exactly like the block originals."""

from __future__ import annotations

import pytest

from tests.conformance.inputs import corpus_files
from tests.conftest import lint_texts
from tests.flowstyle import rewrite


def test_flow_rewrites_give_the_same_findings_as_the_originals() -> None:
    originals: dict[str, str] = {}
    rewrites: dict[str, str] = {}
    for n, path in enumerate(corpus_files()):
        text = path.read_text(encoding="utf-8", errors="replace")
        flow = rewrite(text)
        if flow is not None:
            originals[f"app{n}/f.yaml"] = text
            rewrites[f"app{n}/f.yaml"] = flow
    if len(originals) < 100:
        pytest.skip("the shared corpus is missing")

    def verdicts(files: dict[str, str]) -> list[tuple[str, str, str, tuple[object, ...]]]:
        report = lint_texts(files)
        return sorted((f.path, f.code, f.object_ref, f.yaml_path) for f in report.findings)

    block, compact = verdicts(originals), verdicts(rewrites)
    assert not [v for v in compact if v[1] == "HL000"]
    assert compact == block
    assert len(block) >= 50  # the corpus has real findings, and none is lost
