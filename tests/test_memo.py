"""hooklint.memo.BoundedMemo: computes each key once, and never holds more than its limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hooklint.memo import BoundedMemo


def test_a_key_is_computed_once_and_then_read() -> None:
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(key)

    memo = BoundedMemo(compute)
    assert [memo["ab"], memo["ab"], memo["c"], memo["ab"]] == [2, 2, 1, 2]
    assert calls == ["ab", "c"]
    assert "zz" not in memo and memo.get("zz") is None  # only [] computes


@given(st.lists(st.integers(-20, 20), max_size=60), st.integers(1, 6))
def test_answers_are_the_function_s_and_the_size_stays_bounded(keys: list[int], limit: int) -> None:
    memo: BoundedMemo[int, int] = BoundedMemo(lambda key: key * key - 3, limit)
    for key in keys:
        assert memo[key] == key * key - 3
        assert len(memo) <= limit
