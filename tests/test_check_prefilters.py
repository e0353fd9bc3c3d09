"""What lets the engine skip work per object must never hide a finding.

``DocumentCheck.annotation_keys``: a check that names keys must report nothing on an object
that has none of them.  Every rule doc example (which between them reach every rule) is run
through each such check with those keys taken out of every object's annotations, calling
``check_document`` directly (past the skip): it must yield nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.check import CheckContext, DocumentCheck
from hooklint.checks import annotation_keys, wave_placement
from hooklint.manifests import ManifestSet
from hooklint.model import Document, PosMap, SourceFile
from hooklint.registry import load_registry
from tests.conftest import _load_text

REGISTRY = load_registry(plugins=False)
FILTERED = [
    (spec, check)
    for spec in REGISTRY.specs
    if isinstance(check := REGISTRY.check_for(spec), DocumentCheck) and check.annotation_keys
]
EXAMPLES = [example for spec in REGISTRY.specs for example in spec.examples]


def _documents() -> list[Document]:
    docs: list[Document] = []
    for number, example in enumerate(EXAMPLES):
        for file in _load_text(f"example{number}.yaml", example.text):
            docs.extend(file.documents)
    return docs


DOCUMENTS = _documents()


def test_the_prefiltered_checks_are_there() -> None:
    names = {type(check).__name__ for _, check in FILTERED}
    assert {"UnknownHookType", "InvalidSyncWave", "UnknownSyncOption"} <= names


@pytest.mark.parametrize(("spec", "check"), FILTERED, ids=lambda x: getattr(x, "code", ""))
def test_no_finding_without_one_of_the_keys(spec: Any, check: DocumentCheck) -> None:
    keys = check.annotation_keys
    seen_with_key = 0
    stripped: list[Document] = []
    for doc in DOCUMENTS:
        seen_with_key += not keys.isdisjoint(doc.annotations)
        root = copy.deepcopy(doc.root)
        annotations = root.get("metadata", {}).get("annotations")
        if isinstance(annotations, dict):
            for key in keys:
                annotations.pop(key, None)
        stripped.append(Document(doc.file, doc.index, root, doc.positions, doc.is_target, doc.item))
    assert seen_with_key, f"no example has {sorted(keys)}: the test would prove nothing"
    context = CheckContext(ManifestSet(stripped), spec)
    for doc in stripped:
        assert list(check.check_document(doc, context)) == [], (spec.code, doc.ref)


def test_run_skips_objects_without_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    spec, check = next((s, c) for s, c in FILTERED if type(c).__name__ == "UnknownHookType")
    called: list[str] = []
    original = type(check).check_document

    def counting(self: Any, doc: Document, context: CheckContext) -> Any:
        called.append(doc.ref)
        return original(self, doc, context)

    monkeypatch.setattr(type(check), "check_document", counting)
    docs = [d for d in DOCUMENTS if d.is_target]
    list(check.run(CheckContext(ManifestSet(docs), spec)))
    hooks = [d.ref for d in docs if "argocd.argoproj.io/hook" in d.annotations and (not spec.kinds or d.kind in spec.kinds)]
    assert called == hooks and len(hooks) < len(docs)


@pytest.mark.parametrize("fill", [0, 1])
def test_the_key_memos_are_bounded_and_answer_as_uncached(monkeypatch: pytest.MonkeyPatch, fill: int) -> None:
    facts, meant = annotation_keys._KEY_FACTS, wave_placement._METADATA_MEANT
    monkeypatch.setattr(facts, "limit", 3)
    monkeypatch.setattr(meant, "limit", 3)
    facts.clear()
    meant.clear()
    keys = ["argocd.argoproj.io/sync-wav", "argocd.argoproj.io/hook", "helm.sh/hook-wieght", "app", "syncWave"]
    for _ in range(2):  # the second round reads what the first remembered
        for key in keys[fill:]:
            assert facts[key][0] == annotation_keys.closest_known_key(key)
            assert meant[key] == wave_placement._meant(key, wave_placement._METADATA_FIELDS)
            assert len(facts) <= 3 and len(meant) <= 3
    facts.clear()
    meant.clear()


_KINDS = ("Job", "Pod", "Deployment", "ConfigMap")
_KEYS = ("argocd.argoproj.io/hook", "argocd.argoproj.io/sync-wave", "example.com/other")
_OBJECT = st.tuples(
    st.sampled_from(_KINDS),
    st.sampled_from(("a", "b", "c")),  # names repeat: duplicates, which ``documents`` drops
    st.frozensets(st.sampled_from(_KEYS)),
    st.booleans(),  # a target, or context
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_OBJECT, max_size=12),
    st.lists(st.sampled_from(_KINDS), max_size=3, unique=True),
    st.frozensets(st.sampled_from(_KEYS)),
    st.booleans(),
)
def test_checked_is_the_plain_filter_in_order(
    objects: list[tuple[str, str, frozenset[str], bool]],
    kinds: list[str],
    keys: frozenset[str],
    context: bool,
) -> None:
    source = SourceFile("x.yaml")
    docs = [
        Document(
            source,
            number,
            {
                "apiVersion": "v1",
                "kind": kind,
                "metadata": {"name": name, "annotations": {key: "1" for key in sorted(carried)}},
            },
            PosMap(0, {}),
            target,
        )
        for number, (kind, name, carried, target) in enumerate(objects)
    ]
    manifests = ManifestSet(docs)
    base = manifests.documents if context else manifests.targets
    expected = [
        doc
        for doc in base
        if (not kinds or doc.kind in kinds) and (not keys or not keys.isdisjoint(doc.annotations))
    ]
    found = manifests.checked(tuple(kinds), keys, context)
    assert [id(doc) for doc in found] == [id(doc) for doc in expected]
    assert manifests.checked(tuple(kinds), keys, context) == found  # the indexes, used again
