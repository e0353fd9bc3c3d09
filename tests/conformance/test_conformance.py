"""hooklint's YAML reading against the real go-yaml v2 + sigs.k8s.io/yaml (the Go program k8sread).

For every input, document by document: the value (as YAMLToJSON prints it) and
the verdict (read, or refused; and whether the stream stops) must agree, except
for the differences listed, with their reasons, in ``accepted.py``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conformance import goreader, inputs
from tests.conformance.accepted import ACCEPTED, classify
from tests.conformance.compare import Difference, compare

_WHY = goreader.missing()
pytestmark = pytest.mark.skipif(_WHY is not None, reason=f"YAML conformance needs Go: {_WHY}")


@pytest.fixture(scope="module")
def k8sread() -> Path:
    return goreader.build()


def differences(binary: Path, paths: list[Path]) -> list[Difference]:
    results = goreader.read_all(binary, paths)
    out: list[Difference] = []
    for path, result in zip(paths, results, strict=True):
        out.extend(compare(path.name, path.read_bytes(), result))
    return out


def unaccepted(found: list[Difference]) -> list[str]:
    return [
        f"{d.path} doc {d.document}: {d.kind}: go={d.go!r} hooklint={d.hooklint!r}"
        for d in found
        if classify(d) is None
    ]


@pytest.fixture(scope="module")
def generated(k8sread: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[Difference]]:
    cases = inputs.generated()
    paths = inputs.write_cases(tmp_path_factory.mktemp("generated"), cases)
    results = goreader.read_all(k8sread, paths)
    found: list[Difference] = []
    documents = 0
    for path, result in zip(paths, results, strict=True):
        documents += max(1, len(result["docs"]))
        found.extend(compare(path.name, path.read_bytes(), result))
    return documents, found


def test_shared_corpus_reads_exactly_as_go_yaml(k8sread: Path) -> None:
    paths = inputs.corpus_files()
    if not paths:
        pytest.skip(f"no corpus at {inputs.CORPUS}")
    assert len(paths) >= 100
    assert unaccepted(differences(k8sread, paths)) == []


def test_rule_doc_examples_read_exactly_as_go_yaml(k8sread: Path, tmp_path: Path) -> None:
    examples = inputs.rule_examples()
    assert len(examples) >= 40
    assert unaccepted(differences(k8sread, inputs.write_cases(tmp_path, examples))) == []


def test_generated_set_has_no_unaccepted_difference(generated: tuple[int, list[Difference]]) -> None:
    documents, found = generated
    assert documents >= 2000
    assert unaccepted(found) == []


def test_generated_set_agrees_on_99_percent_of_documents(
    generated: tuple[int, list[Difference]],
) -> None:
    # a document disagrees when its value or its verdict differs; a warning on a document
    # both read alike (duplicate key, !!python tag) is no disagreement
    documents, found = generated
    warnings = {"duplicate-key-warning", "python-tag-warning"}
    disagreeing = {
        (d.path, d.document)
        for d in found
        if not (d.kind == "hooklint-error-only" and (a := classify(d)) and a.name in warnings)
    }
    assert 1 - len(disagreeing) / documents >= 0.99, sorted(disagreeing)


def test_every_accepted_difference_still_occurs(generated: tuple[int, list[Difference]]) -> None:
    # an entry no input needs any more is dead weight that could hide a new difference
    _, found = generated
    seen = Counter(a.name for d in found if (a := classify(d)) is not None)
    assert {a.name for a in ACCEPTED if not a.random} <= set(seen), seen


def test_corpus_rewritten_in_flow_style_reads_as_its_block_original(
    k8sread: Path, tmp_path: Path
) -> None:
    # go-yaml reads the flow rewrite (plain 'image: postgres:16' inside braces) as the block
    # original; hooklint must read it exactly as go-yaml does
    from tests.flowstyle import rewrite

    named = []
    for path in inputs.corpus_files():
        text = rewrite(path.read_text(encoding="utf-8", errors="replace"))
        if text is not None:
            named.append((path.stem, text.encode()))
    if len(named) < 100:
        pytest.skip("the shared corpus is missing")
    paths = inputs.write_cases(tmp_path, [(f"{n:04d}-{name}", data) for n, (name, data) in enumerate(named)])
    assert unaccepted(differences(k8sread, paths)) == []
