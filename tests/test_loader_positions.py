"""The loader's positions: every finding's line and column come from here."""

from __future__ import annotations

from hooklint.model import Position
from hooklint.sources.files import load_bytes


def load(text: str):  # type: ignore[no-untyped-def]
    return load_bytes(text.encode("utf-8"), "f.yaml")


BLOCK = """\
# leading comment
# another

apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      containers:
        - name: a
          image: x
"""


def test_block_style_value_and_key_positions() -> None:
    (doc,) = load(BLOCK).documents
    assert doc.start == Position(4, 1)
    assert doc.locate(("kind",)) == Position(5, 7)
    assert doc.locate(("kind",), key=True) == Position(5, 1)
    assert doc.locate(("metadata", "annotations", "argocd.argoproj.io/hook")) == Position(9, 30)
    assert doc.locate(("metadata", "annotations", "argocd.argoproj.io/hook"), key=True) == Position(9, 5)
    assert doc.locate(("spec", "template", "spec", "containers", 0, "image")) == Position(15, 18)
    assert doc.locate(("spec", "template", "spec", "containers", 0)) == Position(14, 11)


def test_missing_path_falls_back_to_deepest_existing_key() -> None:
    (doc,) = load(BLOCK).documents
    assert doc.locate(("spec", "backoffLimit")) == Position(10, 1)
    assert doc.locate(("spec", "template", "spec", "restartPolicy")) == Position(12, 5)
    assert doc.locate(("spec", "template", "spec", "containers", 5, "image")) == Position(13, 7)
    assert doc.locate(("nothing", "here")) == Position(4, 1)
    assert doc.locate(()) == Position(4, 1)


def test_flow_style_positions() -> None:
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, annotations: {a: "1", b: 2}}\n'
    (doc,) = load(text).documents
    assert doc.locate(("metadata", "annotations", "b")) == Position(3, 46)
    assert doc.locate(("metadata", "annotations", "a"), key=True) == Position(3, 35)
    assert doc.locate(("metadata", "name")) == Position(3, 18)


def test_multi_document_files_keep_their_own_lines() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
        "---\n# comment before the root\n\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
        "---\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n"
    )
    docs = load(text).documents
    assert [d.name for d in docs] == ["a", "b", "c"]
    assert [d.index for d in docs] == [0, 1, 2]  # apimachinery's reader skips the empty one
    assert [d.start for d in docs] == [Position(1, 1), Position(8, 1), Position(14, 1)]
    assert docs[1].locate(("metadata", "name")) == Position(11, 9)


def test_columns_count_characters_not_bytes() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {é€: ü, k: 5}\n"
    (doc,) = load(text).documents
    assert doc.locate(("metadata", "annotations", "k")) == Position(5, 27)


def test_bom_and_crlf() -> None:
    text = "\ufeffapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n"
    (doc,) = load(text).documents
    assert doc.locate(("metadata", "name")) == Position(4, 9)


def test_list_kind_items_are_objects_with_their_own_positions() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: one}\n"
        "  - apiVersion: batch/v1\n    kind: Job\n    metadata: {name: two}\n"
    )
    docs = load(text).documents
    assert [(d.kind, d.name, d.item) for d in docs] == [("ConfigMap", "one", 0), ("Job", "two", 1)]
    assert docs[1].start == Position(7, 5)
    assert docs[1].locate(("metadata", "name")) == Position(9, 22)


def test_non_kubernetes_yaml_is_skipped_silently() -> None:
    text = (
        "replicaCount: 1\n---\n- a\n---\njust a string\n---\n"
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"
        "---\napiVersion: [v1]\nkind: ConfigMap\n"
    )
    loaded = load(text)
    assert loaded.documents == [] and loaded.problems == [] and loaded.notices == []


def test_syntax_error_drops_only_its_own_document() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [oops\nx: 1\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    )
    loaded = load(text)
    assert [d.name for d in loaded.documents] == ["a", "c"]
    (problem,) = loaded.problems
    assert not problem.fatal and problem.document == 1
    assert problem.message.endswith("; this document was not linted")
    assert (problem.mark >> 24) + 1 == 6


def test_duplicate_key_is_a_problem_at_the_second_key() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n"
    loaded = load(text)
    (problem,) = loaded.problems
    assert not problem.fatal
    assert ((problem.mark >> 24) + 1, (problem.mark & 0xFFFFFF) + 1) == (5, 3)
    assert "duplicate key 'name' (first at line 4)" in problem.message
    assert loaded.documents[0].name == "b"


def test_tab_indentation_is_explained() -> None:
    loaded = load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n")
    (problem,) = loaded.problems
    assert "tab" in problem.message
    assert (problem.mark >> 24) + 1 == 4


def test_not_utf8_is_reported_with_its_position() -> None:
    loaded = load_bytes(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n", "f.yaml")
    (problem,) = loaded.problems
    assert "not UTF-8" in problem.message and "0xe9" in problem.message
    assert ((problem.mark >> 24) + 1, (problem.mark & 0xFFFFFF) + 1) == (3, 21)


def test_binary_file_is_a_notice_not_a_finding() -> None:
    loaded = load_bytes(b"\x00\x01\x02binary", "f.yaml")
    assert loaded.problems == [] and loaded.documents == []
    assert [n.message for n in loaded.notices] == ["binary file (it contains NUL bytes); skipped"]
