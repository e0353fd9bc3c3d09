"""The loader reads YAML as kubectl and Argo CD do (go-yaml v2, sigs.k8s.io/yaml, apimachinery).

Each case is one of the differences measured in issue 11; the Go-backed proof over
thousands of inputs is tests/conformance/.
"""

from __future__ import annotations

import pytest

from hooklint.sources.files import load_bytes
from hooklint.yaml.reader import read_manifests, resolve_plain
from tests.conftest import lint_text


def problems_of(text: str) -> list[tuple[int, int, str, bool]]:
    loaded = load_bytes(text.encode("utf-8"), "f.yaml")
    return [((p.mark >> 24) + 1, (p.mark & 0xFFFFFF) + 1, p.message, p.fatal) for p in loaded.problems]


def values(text: str) -> list[object]:
    docs, problems = read_manifests(text)
    assert problems == []
    return [d.value for d in docs]


# -- flow style with colons: libyaml 0.1.7 refuses it, go-yaml reads it ---------------------

FLOW_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: db-migrate, annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "1.5"}}
spec:
  template:
    spec:
      containers: [{name: pg, image: postgres:16, args: [--listen=:8080, --db=postgres://db:5432/app]}]
      restartPolicy: Never
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: infra, annotations: {argocd.argoproj.io/sync-wave: 5}}
spec:
  source: {repoURL: https://example.com/repo.git, path: infra}
"""


def test_flow_style_with_colons_lints_with_its_real_findings() -> None:
    report = lint_text(FLOW_JOB)
    got = sorted((f.code, f.line) for f in report.findings)
    assert ("HL000", 3) not in got and all(code != "HL000" for code, _ in got)
    assert ("HL002", 3) in got  # "1.5" on the Job
    assert ("HL001", 12) in got  # the unquoted 5 on the Application


def test_flow_style_values_are_go_yamls() -> None:
    (doc,) = values("c: [{name: pg, image: postgres:16}]\na: [--listen=:8080, b:, http://x:8/y]\n")
    assert doc == {
        "c": [{"name": "pg", "image": "postgres:16"}],
        "a": ["--listen=:8080", "b:", "http://x:8/y"],
    }


def test_go_yaml_refusals_in_flow_style_stay_refused() -> None:
    ((line, _, message, fatal),) = problems_of("a: [:x]\n")
    assert (line, fatal) == (1, False) and message.endswith("; this document was not linted")


# -- documents are cut as apimachinery's reader cuts them ---------------------------------


def test_comment_glued_to_the_separator_still_separates() -> None:
    assert values("a: 1\n---#c\nb: 2\n") == [{"a": 1}, {"b": 2}]


def test_text_after_the_separator_stops_the_stream() -> None:
    text = "a: 1\n---\nb: 2\n--- {c: 3}\nd: 4\n"
    loaded = load_bytes(text.encode(), "f.yaml")
    (problem,) = loaded.problems
    assert problem.fatal and ((problem.mark >> 24) + 1, (problem.mark & 0xFFFFFF) + 1) == (4, 4)
    assert 'kubectl and Argo CD fail with "invalid Yaml document separator: {c: 3}"' in problem.message
    docs, _ = read_manifests(text)
    assert [d.value for d in docs] == [{"a": 1}]  # go loses the document being read too


def test_directives_are_cut_off_their_document() -> None:
    ((line, _, message, fatal),) = problems_of("%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\n")
    assert (line, fatal) == (2, False) and "did not find expected <document start>" in message
    docs, _ = read_manifests("%YAML 1.1\n---\na: 1\n")
    assert [(d.index, d.value) for d in docs] == [(1, {"a": 1})]


def test_trailing_separator_then_document_end_is_refused() -> None:
    ((line, _, message, _),) = problems_of("a: 1\n---\n...\n")
    assert line == 3 and "did not find expected node content" in message


def test_document_end_hides_the_rest_of_its_document() -> None:
    assert values("a: 1\n...\nb: 2\n---\nc: 3\n") == [{"a": 1}, {"c": 3}]


def test_block_scalar_at_eof_keeps_the_newline_the_line_reader_adds() -> None:
    assert values("k: |\n  5") == [{"k": "5\n"}]
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: |\n      5"
    assert [(f.code, f.line) for f in lint_text(text, select=("HL002",)).findings] == [("HL002", 6)]


def test_crlf_is_read_as_lf() -> None:
    assert values("a: |\r\r\n  x\r\r\n") == [{"a": "x\n"}]


# -- what YAMLToJSON refuses -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: .inf\n", '"json: unsupported value: +Inf"'),
        ("a: [-.Inf]\n", '"json: unsupported value: -Inf"'),
        ("a: .nan\n", '"json: unsupported value: NaN"'),
        ("a: !!float .inf\n", '"json: unsupported value: +Inf"'),
        ("~: 1\n", '"Unsupported map key of type: <nil>"'),
        ("null: 1\n", '"Unsupported map key of type: <nil>"'),
        ("9223372036854775808: 1\n", '"Unsupported map key of type: uint64"'),
        ('a: "\\/"\n', "found unknown escape character"),
        ("a: !!int 1.5\n", "cannot decode !!float `1.5` as a !!int"),
        ("a: !!bool 1\n", "cannot decode !!int `1` as a !!bool"),
        ("a: *nowhere\n", "found undefined alias 'nowhere'"),
        ("a: 5\nb: {<<: *nowhere}\n", "found undefined alias"),
    ],
)
def test_documents_go_refuses_are_reported_and_dropped(text: str, reason: str) -> None:
    docs, problems = read_manifests(text + "---\nok: 1\n")
    assert [d.value for d in docs] == [{"ok": 1}]  # the next document is still read
    (problem,) = problems
    assert reason in problem.message and not problem.fatal
    assert problem.message.endswith("; this document was not linted")


def test_refusal_is_reported_where_the_value_is() -> None:
    ((line, column, message, _),) = problems_of("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: .inf\n")
    assert (line, column) == (4, 6) and message.startswith("'.inf' is infinite, which JSON cannot hold")


# -- scalar typing: go-yaml v2 resolve.go --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1_000.5", 1000.5), (".1_0", 0.1), ("1_0e3", 10000.0), ("-_1", -1), ("+_1", 1),
        ("0o17", 15), ("08", 8.0), ("0b101", 5), ("-0x10", -16), ("1e400", "1e400"),
        ("._1", "._1"), ("9223372036854775808", 2**63), ("-9223372036854775809", -(2.0**63)),
        ("18446744073709551616", 2.0**64), ("2001-12-14", "2001-12-14"), ("+", "+"),
    ],
)
def test_plain_scalars_are_typed_as_go_yaml_types_them(text: str, value: object) -> None:
    got = resolve_plain(text)
    assert got == value and type(got) is type(value)


def test_non_specific_tag_is_a_string() -> None:
    assert values("a: ! 5\nb: ! true\n") == [{"a": "5", "b": "true"}]
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: ! 5\n"
    assert lint_text(text, select=("HL001", "HL002")).findings == []


def test_underscored_float_wave_is_not_a_string() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-wave: 1_000.5\n"
    assert [f.code for f in lint_text(text, select=("HL001", "HL002")).findings] == ["HL001"]


# -- keys are typed, then printed, as YAMLToJSON does ----------------------------------------


def test_plain_keys_are_printed_as_yamltojson_prints_them() -> None:
    (doc,) = values("y: a\noff: b\n0x10: c\n1.10: d\n1e6: e\n0.1: f\n'y': g\n-1: h\n")
    assert doc == {"true": "a", "false": "b", "16": "c", "1.1": "d", "1e+06": "e", "0.1": "f", "y": "g", "-1": "h"}


def test_a_typed_key_never_reads_as_its_text() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    on: x\n"
    (doc,) = load_bytes(text.encode(), "f.yaml").documents
    assert doc.annotations == {"true": "x"}


# -- properties over large input spaces ----------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hooklint.yaml.documents import split_documents  # noqa: E402
from hooklint.yaml.scalars import go_float32_text  # noqa: E402

_LINE = st.text(st.sampled_from("ab: #-\t'\"[]{}"), max_size=12).filter(lambda s: not s.startswith("---"))


@given(st.lists(st.lists(_LINE, min_size=1, max_size=4), min_size=1, max_size=6))
def test_cutting_at_bare_separators_gives_back_each_document(documents: list[list[str]]) -> None:
    bodies = ["".join(line + "\n" for line in lines) for lines in documents]
    text = "---\n".join(bodies)
    pieces, cut, alike = split_documents(text)
    assert cut is None and alike
    assert [text[p.start : p.end] for p in pieces] == bodies
    assert [p.line for p in pieces] == [sum(len(d) + 1 for d in documents[:i]) for i in range(len(documents))]


@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_float_keys_print_the_shortest_float32_text(value: float) -> None:
    import struct

    text = go_float32_text(value)
    assert struct.unpack("f", struct.pack("f", float(text)))[0] == value
    digits = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    assert len(digits) <= 9
    exponent = int(text.split("e")[1]) if "e" in text else None
    if exponent is not None:  # Go's 'g': an exponent only below 1e-4 or from 1e6 on
        assert exponent < -4 or exponent >= 6


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\U00110000"])
@pytest.mark.parametrize("flow", [False, True])  # True: a flow colon sends it to the pure-Python scanner
def test_escapes_of_surrogates_or_past_u10ffff_are_refused_as_go_yaml_refuses_them(
    escape: str, flow: bool
) -> None:
    # go-yaml v2 scannerc.go: "found invalid Unicode character escape code" (libyaml says the same)
    text = f'a: "{escape}"\n' if not flow else f'a: {{x: "{escape}", y: b:c}}\n'
    [(_, _, message, _)] = problems_of(text)
    assert "found invalid Unicode character escape code" in message
    assert read_manifests(text)[0] == []


def test_escapes_of_astral_characters_still_read() -> None:
    assert values('a: {x: "\\U0001F600", z: b:c}\n') == [{"a": {"x": "\U0001f600", "z": "b:c"}}]
