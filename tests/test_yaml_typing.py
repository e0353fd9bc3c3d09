"""Scalars are typed as Kubernetes (go-yaml v2, YAML 1.1) types them."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hooklint.yaml.reader import parse_yaml, resolve_plain


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None), ("~", None), ("null", None), ("NULL", None),
        ("true", True), ("yes", True), ("Y", True), ("on", True), ("ON", True),
        ("false", False), ("no", False), ("n", False), ("Off", False),
        ("5", 5), ("-1", -1), ("+3", 3), ("0x10", 16), ("0o17", 15), ("017", 15), ("0b101", 5),
        ("1_000", 1000), ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5), ("-.inf", -math.inf),
        ("9223372036854775808", 9223372036854775808),  # ParseUint
        ("18446744073709551616", 1.8446744073709552e19),
        ("PreSync", "PreSync"), ("1.2.3", "1.2.3"), ("0x", "0x"), ("nope", "nope"),
        ("2024-01-01", "2024-01-01"), ("1:20", "1:20"),
    ],
)  # fmt: skip
def test_plain_scalars(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_are_strings() -> None:
    docs, problems = parse_yaml("a: '5'\nb: \"true\"\nc: |\n  5\nd: !!str 7\ne: !!int '7'\n")
    assert problems == []
    assert docs[0].value == {"a": "5", "b": "true", "c": "5\n", "d": "7", "e": 7}


def test_keys_stay_text() -> None:
    docs, _ = parse_yaml("on: 1\n80: x\ntrue: y\n")
    assert list(docs[0].value) == ["on", "80", "true"]


def test_merge_keys_resolve_like_go_yaml() -> None:
    docs, problems = parse_yaml("base: &b {x: 1, y: 2}\nother: &o {z: 3, y: 9}\nm:\n  <<: [*b, *o]\n  y: 5\n")
    assert problems == []
    assert docs[0].value["m"] == {"y": 5, "x": 1, "z": 3}


def test_python_tags_are_refused_not_constructed() -> None:
    docs, problems = parse_yaml("a: !!python/object/apply:os.system ['echo hi']\nb: !Ref x\n")
    assert [p.message.split(":")[0] for p in problems] == ["tag !!python/object/apply"]
    assert docs[0].value == {"a": ["echo hi"], "b": "x"}


@given(st.text(max_size=30))
def test_resolve_plain_never_raises(text: str) -> None:
    resolve_plain(text)


# The fast paths before the regexes (a run that meets no unusual scalar compiles none): each is
# checked against the regex alone.
_NUMBERISH = st.text(alphabet="+-_0123456789.xXbBoOeEaAfFMiK٣ \t", max_size=24)


@given(_NUMBERISH)
def test_int_fast_paths_agree_with_the_regex(text: str) -> None:
    from hooklint.yaml import scalars

    match = scalars._GO_INT_RE.fullmatch(text)
    expected = scalars.go_int_of(*match.groups()) if match is not None else None
    assert scalars._go_int(text) == expected
    if match is not None:  # the character set the fast rejection relies on
        assert not text.strip(scalars._INT_CHARS)


@given(_NUMBERISH)
def test_float_fast_rejection_agrees_with_the_regex(text: str) -> None:
    from hooklint.yaml import scalars

    if scalars._FLOAT_RE.fullmatch(text):
        assert not text.strip(scalars._FLOAT_CHARS)


@pytest.mark.parametrize("text", ["80", "8080", "0755", "0", "00", "-5", "+5", "1_0", "10m", "128Mi", "1e3"])
def test_int_fast_paths_examples(text: str) -> None:
    from hooklint.yaml import scalars

    match = scalars._GO_INT_RE.fullmatch(text)
    assert scalars._go_int(text) == (scalars.go_int_of(*match.groups()) if match else None)


@given(st.text(alphabet=" \t#\n-abc:", max_size=30))
@example("# c\n---\n")
@example(" \t# c\n\n---\na: 1\n")
@example("\n---\n")
@example("a: 1\n---\n")
def test_no_content_pattern_starts_with_a_blank_or_a_comment(text: str) -> None:
    from hooklint.yaml import reader

    if reader._NO_CONTENT_RE.match(text) and not text.startswith("---"):
        assert text[0] in " \t#\n"


@pytest.mark.parametrize(
    ("text", "shifted"), [("# c\n---\na: 1\n", 1), ("a: 1\n---\nb: 2\n", 0), ("\n---\na: 1\n", 1)]
)
def test_comments_before_the_first_separator_are_a_document(text: str, shifted: int) -> None:
    from hooklint.yaml.reader import read_manifests

    docs, _ = read_manifests(text)
    assert docs[0].index == shifted
