"""hooklint.lazyre: a pattern compiled on first use answers as the compiled pattern does."""

from __future__ import annotations

import re

from hooklint.lazyre import lazy


def test_a_lazy_pattern_is_compiled_on_first_use_and_then_answers_as_re_does() -> None:
    pattern = lazy(r"(?P<n>[0-9]+)\.x", re.IGNORECASE)
    assert "_source" in vars(pattern) and "fullmatch" not in vars(pattern)  # nothing compiled yet
    compiled = re.compile(r"(?P<n>[0-9]+)\.x", re.IGNORECASE)
    match = pattern.fullmatch("12.X")
    assert match is not None and match.group("n") == "12"
    assert "fullmatch" in vars(pattern)  # later calls are a plain attribute lookup
    for text in ("1.x 22.X", "", "x.1"):
        assert pattern.findall(text) == compiled.findall(text)
        assert pattern.sub("#", text) == compiled.sub("#", text)
        assert pattern.split(text) == compiled.split(text)
        assert bool(pattern.search(text)) == bool(compiled.search(text))
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert (pattern.pattern, pattern.flags, pattern.groups) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
    )


def test_any_attribute_compiles_it() -> None:
    pattern = lazy("a+")
    assert pattern.groupindex == {}
    assert pattern.match("aa") is not None
