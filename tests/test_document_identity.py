"""Document's identity attributes (kind, name, annotations, ...): computed together on first
read, they must read as each attribute did when computed on its own."""

from __future__ import annotations

import pickle
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hooklint.model import Document, PosMap, SourceFile

FIELDS = (
    "kind", "api_version", "group", "metadata", "name", "generate_name", "namespace",
    "annotations", "string_annotations",
)  # fmt: skip


def _str(root: Any, *path: str) -> str:
    node = root
    for step in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(step)
    return node if isinstance(node, str) else ""


def expected(root: Any) -> dict[str, Any]:
    """Each attribute as its own cached_property computed it (hooklint before the change)."""
    api = _str(root, "apiVersion")
    meta = root.get("metadata") if isinstance(root, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    annotations = meta.get("annotations")
    annotations = annotations if isinstance(annotations, dict) else {}
    if all(isinstance(v, str) for v in annotations.values()):
        strings = annotations
    elif any(v is not None and not isinstance(v, str) for v in annotations.values()):
        strings = {}
    else:
        strings = {k: ("" if v is None else v) for k, v in annotations.items()}
    return {
        "kind": _str(root, "kind"),
        "api_version": api,
        "group": api.rpartition("/")[0] if "/" in api else "",
        "metadata": meta,
        "name": _str(root, "metadata", "name"),
        "generate_name": _str(root, "metadata", "generateName"),
        "namespace": _str(root, "metadata", "namespace"),
        "annotations": annotations,
        "string_annotations": strings,
    }


def document(root: Any) -> Document:
    return Document(SourceFile("a.yaml"), 0, root, PosMap(0, {}))


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(["", "x", "a/b", "v1"]))
values = st.recursive(scalars, lambda inner: st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)
annotation_maps = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.one_of(st.none(), st.text(max_size=2), values), max_size=3
)
metadata = st.one_of(
    values,
    st.fixed_dictionaries(
        {},
        optional={
            "name": values, "generateName": values, "namespace": values,
            "annotations": st.one_of(annotation_maps, values),
        },
    ),
)  # fmt: skip
roots = st.one_of(
    st.fixed_dictionaries({}, optional={"kind": values, "apiVersion": values, "metadata": metadata}),
    st.fixed_dictionaries(
        {"metadata": st.fixed_dictionaries({"annotations": annotation_maps})}
    ),  # the annotations' three readings: all strings, nulls among strings, another value
    values,
)


@given(roots, st.sampled_from(FIELDS))
def test_each_attribute_reads_as_before_whichever_is_read_first(root: Any, first: str) -> None:
    doc = document(root)
    getattr(doc, first)
    want = expected(root)
    for name in FIELDS:
        assert getattr(doc, name) == want[name], name
    if want["string_annotations"] == want["annotations"] and all(
        isinstance(v, str) for v in want["annotations"].values()
    ):
        assert doc.string_annotations is doc.annotations  # the same mapping, as before
    if isinstance(root, dict) and isinstance(root.get("metadata"), dict):
        assert doc.metadata is root["metadata"]


def test_identity_is_computed_once_and_travels_with_the_document() -> None:
    root = {"kind": "Job", "apiVersion": "batch/v1", "metadata": {"name": "a", "annotations": {"x": None}}}
    doc = document(root)
    assert not set(FIELDS) & set(doc.__dict__)  # nothing computed before a read
    fresh = pickle.loads(pickle.dumps(doc))  # what a parse cache or a worker sends
    assert not set(FIELDS) & set(fresh.__dict__)
    assert doc.kind == "Job"
    assert set(FIELDS) <= set(doc.__dict__)
    root["kind"] = "Pod"  # a root never changes; if it did, the first read would stand
    assert doc.kind == "Job"
    assert (doc.group, doc.string_annotations, doc.null_annotations) == ("batch", {"x": ""}, ("x",))
    copy = pickle.loads(pickle.dumps(doc))
    assert (copy.kind, copy.name, copy.ref) == ("Job", "a", "Job/a")


def test_an_assigned_attribute_is_kept_when_the_others_are_computed() -> None:
    doc = document({"kind": "Job", "metadata": {"name": "a"}})
    doc.__dict__["name"] = "renamed"
    assert (doc.kind, doc.name) == ("Job", "renamed")
