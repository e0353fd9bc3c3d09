"""The reader's light events: the C parser's event classes swapped only while hooklint reads.

The values and positions must not depend on which events the loop saw: the swapped-in light
events (the fast path) and ruamel's own event objects turned light one by one (the exact
parser's path, or a C parser whose classes could not be swapped) give equal documents.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
import ruamel.yaml.events as ruamel_events
from hypothesis import example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

from hooklint.model import PosMap
from hooklint.yaml import reader
from hooklint.yaml.reader import parse_yaml, read_manifests

CLIB = sys.modules[CParser.__module__]
NAMES = (
    "StreamStartEvent",
    "StreamEndEvent",
    "DocumentStartEvent",
    "DocumentEndEvent",
    "AliasEvent",
    "ScalarEvent",
    "SequenceStartEvent",
    "SequenceEndEvent",
    "MappingStartEvent",
    "MappingEndEvent",
)

TEXT = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: &n db-migrate
  annotations: {argocd.argoproj.io/hook: PreSync, "argocd.argoproj.io/sync-wave": '-1'}
  labels:
    app: *n
    on: yes
spec:
  backoffLimit: 0x10
  template:
    spec:
      containers:
        - name: pg
          image: postgres:16
          args: [--listen=:8080, !!str 12]
          command: |
            migrate
      restartPolicy: Never
---
base: &b {a: 1, b: [x, y]}
merged:
  <<: *b
  c: 1.5
"""


def _untouched() -> bool:
    return all(getattr(CLIB, name) is getattr(ruamel_events, name) for name in NAMES)


def _shape(result: tuple[list[Any], list[Any]]) -> Any:
    docs, problems = result
    return [(d.index, d.value, d.positions, d.start) for d in docs], problems


def test_classes_are_swapped_only_while_reading() -> None:
    seen: list[bool] = []
    original = reader._build_events

    def spy(*args: Any) -> None:
        seen.append(CLIB.ScalarEvent is reader._Scalar)
        original(*args)

    reader._build_events = spy  # type: ignore[assignment]
    try:
        read_manifests(TEXT)
    finally:
        reader._build_events = original
    assert seen and all(seen)  # the fast path, and the exact parser's path too
    assert _untouched()


def test_classes_are_put_back_after_a_parse_error() -> None:
    docs, problems = read_manifests("a: [b\nc: d\n")
    assert docs == []
    assert [(p.mark >> 24, p.document) for p in problems] == [(1, 0)]
    assert _untouched()
    # ruamel's own C loader still builds its own objects afterwards
    assert YAML(typ="safe", pure=False).load("a: [1, 2]\n") == {"a": [1, 2]}


def test_ruamel_events_give_the_same_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _shape(read_manifests(TEXT))
    plain = _shape(parse_yaml(TEXT))

    class NoSwap:  # as if the C parser's classes could not be swapped: the adapter's path
        def __enter__(self) -> None:
            return None

        def __exit__(self, *_: object) -> None:
            return None

    monkeypatch.setattr(reader, "_LIGHT_EVENTS", NoSwap())
    assert _shape(read_manifests(TEXT)) == fast
    assert _shape(parse_yaml(TEXT)) == plain
    assert fast[0][0][1]["metadata"]["labels"] == {"app": "db-migrate", "true": True}
    assert fast[0][0][1]["spec"]["backoffLimit"] == 16


def test_readers_in_threads_leave_the_classes_as_they_were() -> None:
    results: list[Any] = []

    def work() -> None:
        for _ in range(20):
            results.append(_shape(read_manifests(TEXT)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 80
    assert all(result == results[0] for result in results)
    assert _untouched()


def test_a_block_ends_where_its_last_entry_ends_even_after_a_duplicate_key() -> None:
    # the duplicate keeps its first place: the mapping still ends after "y: 2" (0-based 2:6)
    docs, problems = read_manifests("a:\n  x: 1\n  y: 2\n  x: 333\nb:\n  - 1\n  - [2]\nc: {k: v}\n")
    ends = {
        key: ((vmark + vlength) >> 24, (vmark + vlength) & 0xFFFFFF)
        for key, (_, vmark, _, _, vlength) in docs[0].positions.entries.items()
    }
    assert ends == {"a": (2, 6), "b": (6, 7), "c": (7, 9)}
    assert [p.message.split(" (")[0] for p in problems] == ["duplicate key 'x'"]


BOUND_CASES = {
    "list": "a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\n",
    "nested": "x:\n  y: {a: 1, b: 2, c: 3}\n  z: {d: 4, e: 5, f: 6}\n",
    "aliases": "a: &a [1, 2, 3]\nb: [*a, *a]\nc: {k: *a}\n---\nd: &d {x: 1}\ne: *d\n",
    "second-doc": "a: 1\n---\nb: [1, 2, 3, 4, 5, 6]\nc: [7, 8, 9]\n",
}


@pytest.mark.parametrize(
    ("limit", "case", "where"),
    [
        # (0-based line, column, document) of each report: the innermost collection whose
        # size (itself, its keys and values, aliases at their expanded size) first passes
        (5, "list", [(0, 3, 0)]),
        (5, "nested", [(1, 5, 0)]),
        (8, "nested", [(1, 2, 0)]),
        (5, "aliases", [(0, 0, 0), (4, 0, 1)]),
        (8, "aliases", [(1, 3, 0), (4, 0, 1)]),
        (5, "second-doc", [(2, 3, 1)]),
        (8, "second-doc", [(2, 0, 1)]),
    ],
)
def test_the_expansion_bound_reports_the_collection_that_passes_it(
    monkeypatch: pytest.MonkeyPatch, limit: int, case: str, where: list[tuple[int, int, int]]
) -> None:
    # sizes are counted once per document; the report stays where per-collection sums put it
    monkeypatch.setattr(reader, "MAX_EXPANDED_NODES", limit)
    for read in (read_manifests, parse_yaml):
        docs, problems = read(BOUND_CASES[case])
        assert [(p.mark >> 24, p.mark & 0xFFFFFF, p.document) for p in problems] == where
        assert all(p.message.startswith("aliases expand this document past") for p in problems)
        assert [d.index for d in docs] == ([0] if case == "second-doc" else [])


def test_a_text_with_longer_lines_than_a_mark_holds_has_its_columns_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a column field of 3 bits instead of 24: columns past 7 are cut to 7, as pack() cuts them
    monkeypatch.setattr(reader, "_COL_MASK", 7)
    text = "abcdefghij: {klmnopq: [rstuvwxyz, 'abcdefghijk'], zz: &a 1234567890}\nb: *a\n"
    line = 1 << 24
    inner = PosMap(7, {"klmnopq": (7, 7, PosMap(7, [(7, None, 0), (7, None, 0)]), 0, 0), "zz": (7, 7, None, 0, 0)})
    expected = {"abcdefghij": (0, 7, inner, 7, 0), "b": (line, line + 3, None, 1, 2)}
    for read in (read_manifests, parse_yaml):
        docs, problems = read(text)
        assert problems == []
        assert docs[0].positions == PosMap(0, expected)
    # the exact parser's events (a U+2028 in the text: libyaml breaks lines unlike go-yaml) alike
    docs, _ = read_manifests('a: "x\u2028y"\nbbbbbbbbbbbb: {c: d}\n')
    assert docs[0].positions.entries["bbbbbbbbbbbb"][1] == line + 7


@pytest.mark.parametrize("text", [TEXT, TEXT.replace("postgres:16", '"postgres\u2028:16"'), TEXT.replace("\n", "\r\n")])
def test_cutting_columns_changes_nothing_when_none_is_too_long(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    # the texts are longer than 100 characters, so their events go through _clamped; no column
    # reaches 100, so nothing may change
    expected = (_shape(read_manifests(text)), _shape(parse_yaml(text)))
    monkeypatch.setattr(reader, "_COL_MASK", 100)
    assert (_shape(read_manifests(text)), _shape(parse_yaml(text))) == expected


def test_the_reader_builds_posmaps_as_their_constructor_does() -> None:
    # the loop fills PosMap's two slots itself: a field added to PosMap must be set there too
    assert PosMap.__slots__ == ("start", "entries")  # type: ignore[attr-defined]
    set_start, set_entries = reader._POSMAP_SETTERS
    made = object.__new__(PosMap)
    set_start(made, 1 << 24)
    set_entries(made, {"a": (0, 3, None, 1, 1)})
    assert made == PosMap(1 << 24, {"a": (0, 3, None, 1, 1)})


@given(st.lists(st.sampled_from(["\r", "\n", "\\", "/", "%", ".", "..", "-", "a", " "]), max_size=20).map("".join))
@example("a: b\n...\n")
@example("a: \\/\n")
@example("a\n%YAML 1.1\n")
@example("a: 100%\n")
@example("a: \\b\n")
@example("a\n..\n")
@example("a: ...\n")
@example("a\r\nb\n")
def test_the_ascii_cut_marker_test_is_the_plain_search(text: str) -> None:
    from hooklint.yaml.reader import _CUT_MARKERS, _ascii_cut_marker

    assert _ascii_cut_marker(text) == any(marker in text for marker in _CUT_MARKERS)


@given(st.text(alphabet="{}[]\n x.", max_size=40))
def test_text_without_a_double_brace_is_no_go_template(text: str) -> None:
    from hooklint.sources.files import looks_like_go_template

    assert looks_like_go_template(text) is ("{{" in text and looks_like_go_template(text))
    assert looks_like_go_template(text + "\nname: {{ .Values.x }}\n")


def test_reading_keeps_the_light_classes_across_reads_then_puts_them_back() -> None:
    expected = _shape(read_manifests(TEXT))
    with reader.reading():
        assert CLIB.ScalarEvent is reader._Scalar
        assert _shape(read_manifests(TEXT)) == expected
        assert CLIB.ScalarEvent is reader._Scalar  # not put back between reads
        assert _shape(read_manifests(TEXT)) == expected
    assert _untouched()


def _scalar_spans(positions: PosMap) -> list[tuple[int, int]]:
    """Every scalar's (start, length) in a PosMap, in document order."""
    spans: list[tuple[int, int]] = []
    if isinstance(positions.entries, dict):
        for kmark, vmark, child, klength, vlength in positions.entries.values():
            spans.append((kmark, klength))
            spans.extend(_scalar_spans(child) if child is not None else [(vmark, vlength)])
    else:
        for mark, child, length in positions.entries:
            spans.extend(_scalar_spans(child) if child is not None else [(mark, length)])
    return spans


def _libyaml_spans(text: str) -> list[tuple[int, int]]:
    parser = CParser(text)
    spans: list[tuple[int, int]] = []
    while (event := parser.get_event()) is not None:
        if isinstance(event, ruamel_events.ScalarEvent):
            start, end = event.start_mark, event.end_mark
            mark = reader.pack(start.line, start.column)
            spans.append((mark, reader.pack(end.line, end.column) - mark))
    parser.dispose()
    return spans


@pytest.mark.parametrize(
    "text",
    [
        # the same value on one line, then over two (folded to the same text) and over a blank line
        "a: x y\nb: x\n  y\nc: xy\nd: x\n\n  y\ne: [x y, x\n  y]\n",
        # a value seen on one line first (cached), then the same text as a key over lines
        "p: q r\ns:\n  ? q\n    r\n  : 1\nt: {q r: 2}\n",
        # keys and values that repeat on one line: the caches' lengths are their texts'
        "image: nginx\nname: web\nlist:\n- image: nginx\n  name: web\n- {image: nginx, name: web}\n",
        # libyaml's own line breaks, kept in the value (parse_yaml's fast path): "x\u2028y", no space
        "a: x\u2028  y\nb: x\u2028  y\nc: x\u2029  y\nd: x\u2029  y\n",
    ],
)
def test_plain_scalars_have_libyaml_s_lengths_whatever_the_caches_hold(text: str) -> None:
    want = _libyaml_spans(text)
    for _ in range(2):  # the second time every short one-line value comes from the caches
        docs, problems = parse_yaml(text)
        assert problems == []
        assert _scalar_spans(docs[0].positions) == want
    if "\u2028" not in text:
        docs, _ = read_manifests(text)
        assert _scalar_spans(docs[0].positions) == want


@given(st.lists(st.sampled_from(["---", "\n", "-", "a", " ", "---\n", "\n---\n"]), max_size=20).map("".join))
@example("---\n---\n")
@example("a\n---\n---\nb\n")
@example("--- a\n---\n")
def test_the_separator_scan_is_the_plain_counts(text: str) -> None:
    separators = text.count("\n---") + text.startswith("---")
    bare = text.count("\n---\n") + text.startswith("---\n")
    empty = bool(separators) and ("\n---\n---\n" in text or text.startswith("---\n---\n"))
    count, fast, found_empty = reader._separator_lines(text)
    assert (count, fast) == (separators, separators == bare)
    if fast:  # only read on the fast path
        assert found_empty == empty


def test_the_light_event_types_are_distinct_static_types() -> None:
    types = list(reader._LIGHT.values())
    assert len(set(types)) == len(reader._LIGHT) == 10
    heap_type = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class statement's type, freed by subtype_dealloc
    assert all(not t.__flags__ & heap_type for t in types)
