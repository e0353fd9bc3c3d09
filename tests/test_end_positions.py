"""Where each key and value ends (the scanner's end mark), and Finding.end filled from it.

Ends are exclusive, 1-based, as SARIF's endLine/endColumn: the column just after the text.
"""

from __future__ import annotations

from hooklint.model import Position
from hooklint.sources.files import load_bytes
from tests.conftest import lint_text

TEXT = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain-name
  annotations: {a: "1", 'b': 2, c: [x, y]}
data:
  quoted: "it is \\"quoted\\""
  single: 'it''s'
  multi: first
    second line
  block: |
    one
    two
  folded: >-
    text
  list:
    - item
    - {k: v}
  last: end
"""


def doc():  # type: ignore[no-untyped-def]
    (document,) = load_bytes(TEXT.encode(), "f.yaml").documents
    return document


def span(path: tuple[str | int, ...], key: bool = False) -> tuple[tuple[int, int], tuple[int, int] | None]:
    start, end = doc().span(path, key=key)
    return (start.line, start.column), (end.line, end.column) if end else None


def test_block_plain_scalar() -> None:
    assert span(("kind",)) == ((2, 7), (2, 16))
    assert span(("kind",), key=True) == ((2, 1), (2, 5))
    assert span(("metadata", "name")) == ((4, 9), (4, 19))


def test_flow_scalars_keys_and_collections() -> None:
    assert span(("metadata", "annotations", "a")) == ((5, 20), (5, 23))  # "1" with its quotes
    assert span(("metadata", "annotations", "b"), key=True) == ((5, 25), (5, 28))  # 'b'
    assert span(("metadata", "annotations", "c", 1)) == ((5, 40), (5, 41))
    assert span(("metadata", "annotations", "c")) == ((5, 36), (5, 42))  # [x, y]
    assert span(("metadata", "annotations")) == ((5, 16), (5, 43))  # {...}


def test_quoted_scalars_end_after_the_closing_quote() -> None:
    assert span(("data", "quoted")) == ((7, 11), (7, 29))
    assert span(("data", "single")) == ((8, 11), (8, 18))


def test_multi_line_scalars() -> None:
    assert span(("data", "multi")) == ((9, 10), (10, 16))
    # a block scalar ends where the scanner ends it: after its last line break
    assert span(("data", "block")) == ((11, 10), (14, 1))
    assert span(("data", "folded")) == ((14, 11), (16, 1))


def test_sequences_and_block_collections() -> None:
    assert span(("data", "list", 0)) == ((17, 7), (17, 11))
    assert span(("data", "list", 1)) == ((18, 7), (18, 13))
    # a block collection ends where its last value ends
    assert span(("data", "list")) == ((17, 5), (18, 13))
    assert span(("data",)) == ((7, 3), (19, 12))


def test_missing_path_ends_with_the_deepest_key_and_the_document_start_has_no_end() -> None:
    assert span(("data", "nothing")) == ((6, 1), (6, 5))
    assert span(("nothing",)) == ((1, 1), None)


def test_unicode_line_separators_convert_ends_too() -> None:
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\u2028b"}\ndata: {k: v}\n'
    (document,) = load_bytes(text.encode(), "f.yaml").documents
    start, end = document.span(("data", "k"))
    assert (start, end) == (Position(4, 11), Position(4, 12))
    start, end = document.span(("metadata", "name"))
    assert (start, end) == (Position(3, 18), Position(3, 23))


def test_findings_carry_the_end_of_the_flagged_text() -> None:
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "1.5"\n'
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {argocd.argoproj.io/sync-wave: 1}}\n"
    )
    findings = sorted(lint_text(text, select=("HL001", "HL002")).findings, key=lambda f: f.line)
    assert [(f.code, f.position, f.end) for f in findings] == [
        ("HL002", Position(6, 35), Position(6, 40)),
        ("HL001", Position(10, 65), Position(10, 66)),
    ]


def test_parse_errors_have_no_end() -> None:
    (finding,) = lint_text("a: [1, 2\n", select=("HL000",)).findings
    assert finding.end is None
