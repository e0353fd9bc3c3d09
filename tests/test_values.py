"""hooklint.values behaves as the standard library's dataclasses for every feature hooklint uses.

Each class shape below is defined twice from the same source, once with ``dataclasses`` and once
with ``hooklint.values``, and both are driven with the same calls: what one does (a value, a
repr, an exception type) the other must do.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import pickle
import sys
import types
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooklint import values

SHAPES = {
    "frozen": """
@dataclass(frozen=True)
class Value:
    a: int
    b: str = "x"
    c: list = field(default_factory=list)
""",
    "mutable": """
@dataclass
class Value:
    a: int
    b: str = "x"
    c: list = field(default_factory=list)
""",
    "ordered": """
@dataclass(frozen=True, order=True)
class Value:
    a: int
    b: str = "x"
    c: int = 0
""",
    "slots": """
@dataclass(frozen=True, slots=True)
class Value:
    a: int
    b: str = "x"
    c: int = 0
""",
    "identity": """
@dataclass(eq=False)
class Value:
    a: int
    b: str = "x"
    c: int = 0
""",
    "hidden": """
@dataclass(frozen=True)
class Value:
    a: int
    b: str = "x"
    c: dict = field(default_factory=dict, compare=False, repr=False)
""",
    "inherited": """
@dataclass(frozen=True)
class Base:
    a: int
    b: str = "x"

@dataclass(frozen=True)
class Value(Base):
    c: int = 0
    kind: ClassVar[str] = "value"

    def doubled(self) -> int:
        return self.a * 2
""",
}


def _define(shape: str, implementation: Any, tag: str = "") -> type:
    module = types.ModuleType(f"values_shape_{shape}_{implementation.__name__.replace('.', '_')}{tag}")
    module.__dict__.update(
        dataclass=implementation.dataclass, field=implementation.field, ClassVar=Any, list=list, dict=dict
    )
    sys.modules[module.__name__] = module  # pickle finds the class by module and name
    source = "from __future__ import annotations\nfrom typing import ClassVar\n" + SHAPES[shape]
    exec(compile(source, module.__name__, "exec"), module.__dict__)
    cls: type = module.__dict__["Value"]
    return cls


def _outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "value", action()
    except Exception as exc:  # the type is what must agree
        kind = "AttributeError" if isinstance(exc, AttributeError) else type(exc).__name__
        return "raises", kind


PAIRS = {shape: (_define(shape, dataclasses), _define(shape, values)) for shape in SHAPES}
CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}),
    ((1, "y"), {}),
    ((1, "y", 3), {}),
    ((), {"a": 1, "c": 5}),
    ((1,), {"b": "z"}),
    ((), {}),  # missing a
    ((1, "y", 3, 4), {}),  # too many
    ((1,), {"a": 2}),  # a twice
    ((1,), {"nope": 2}),  # unknown keyword
]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("args, kwargs", CALLS)
def test_construction_agrees(shape: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    real, ours = PAIRS[shape]
    want = _outcome(lambda a=args, k=kwargs: repr(real(*a, **k)))
    got = _outcome(lambda a=args, k=kwargs: repr(ours(*a, **k)))
    assert got == want


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_compiled_init_agrees_too(shape: str) -> None:
    real, _ = PAIRS[shape]
    ours = _define(shape, values, "_fresh")  # a fresh class: its first calls bind in Python
    generic = ours.__init__
    for index in range(values.COMPILE_AFTER):
        ours(index)
    assert ours.__init__ is not generic  # compiled now
    for args, kwargs in CALLS:
        want = _outcome(lambda a=args, k=kwargs: repr(real(*a, **k)))
        got = _outcome(lambda a=args, k=kwargs: repr(ours(*a, **k)))
        assert got == want, (args, kwargs)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@given(
    left=st.tuples(st.integers(-3, 3), st.sampled_from(["", "a", "b"]), st.integers(0, 2)),
    right=st.tuples(st.integers(-3, 3), st.sampled_from(["", "a", "b"]), st.integers(0, 2)),
)
def test_equality_hash_order_repr_and_freezing_agree(
    shape: str, left: tuple[int, str, int], right: tuple[int, str, int]
) -> None:
    real, ours = PAIRS[shape]

    def build(cls: type, v: tuple[int, str, int]) -> Any:
        third: Any = [v[2]] if shape == "frozen" or shape == "mutable" else v[2]
        if shape == "hidden":
            third = {"k": v[2]}
        return cls(v[0], v[1], third)

    r1, r2, o1, o2 = build(real, left), build(real, right), build(ours, left), build(ours, right)
    assert repr(o1).replace(ours.__qualname__, "Q") == repr(r1).replace(real.__qualname__, "Q")
    assert (o1 == o2) == (r1 == r2)
    assert (o1 != o2) == (r1 != r2)
    assert (o1 == 5) == (r1 == 5)
    assert _outcome(lambda: hash(o1) == hash(o2)) == _outcome(lambda: hash(r1) == hash(r2))
    for op in ("__lt__", "__le__", "__gt__", "__ge__"):
        want = _outcome(lambda op=op: getattr(r1, op)(r2) if op in real.__dict__ else "none")
        got = _outcome(lambda op=op: getattr(o1, op)(o2) if op in ours.__dict__ else "none")
        assert got == want, op
    assert _outcome(lambda: setattr(o1, "a", 9)) == _outcome(lambda: setattr(r1, "a", 9))
    assert _outcome(lambda: delattr(o1, "b")) == _outcome(lambda: delattr(r1, "b"))
    if shape == "slots":  # CPython 3.10/3.11 raise TypeError there (their guard names the pre-slots
        # class: bpo-45683's family); a frozen value refusing an attribute is an AttributeError
        assert _outcome(lambda: setattr(o2, "other", 1)) == ("raises", "AttributeError")
    else:
        assert _outcome(lambda: setattr(o2, "other", 1)) == _outcome(lambda: setattr(r2, "other", 1))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_replace_and_pickle_agree(shape: str) -> None:
    real, ours = PAIRS[shape]
    r, o = real(1, "y"), ours(1, "y")
    assert (
        repr(values.replace(o, b="z")).split("(", 1)[1]
        == repr(dataclasses.replace(r, b="z")).split("(", 1)[1]
    )
    assert _outcome(lambda: values.replace(o, nope=1)) == _outcome(lambda: dataclasses.replace(r, nope=1))
    back = pickle.loads(pickle.dumps(o, protocol=5))
    assert repr(back) == repr(o)
    if shape != "identity":
        assert back == o
    assert _outcome(lambda: setattr(back, "a", 2)) == _outcome(lambda: setattr(r, "a", 2))


def test_factories_give_each_instance_its_own_value() -> None:
    _, ours = PAIRS["mutable"]
    one, two = ours(1), ours(2)
    one.c.append(1)
    assert two.c == []


def test_inherited_fields_classvars_and_methods() -> None:
    _, ours = PAIRS["inherited"]
    value = ours(2, "y", 3)
    assert (value.a, value.b, value.c, value.kind, value.doubled()) == (2, "y", 3, "value", 4)
    assert ours.__match_args__ == ("a", "b", "c")
    match value:
        case ours(a, b, c):  # type: ignore[misc]
            assert (a, b, c) == (2, "y", 3)


def test_slots_classes_have_no_instance_dict() -> None:
    _, ours = PAIRS["slots"]
    assert not hasattr(ours(1), "__dict__")
    assert ours.__slots__ == ("a", "b", "c")


def test_a_field_without_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @values.dataclass
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]


def test_replace_refuses_what_is_not_a_value() -> None:
    with pytest.raises(TypeError):
        values.replace(object())


def test_field_names_that_the_compiled_init_uses_itself_still_work() -> None:
    @values.dataclass(frozen=True)
    class Odd:
        _d: int
        _set: int = 1
        _FACTORY: int = 2
        _f: list[int] = values.field(default_factory=list)

    @values.dataclass(frozen=True, slots=True)
    class OddSlots:
        _set: int
        _FACTORY: list[int] = values.field(default_factory=list)

    for index in range(values.COMPILE_AFTER + 2):  # generic, then compiled
        odd = Odd(index, _set=3)
        assert (odd._d, odd._set, odd._FACTORY, odd._f) == (index, 3, 2, [])
        slotted = OddSlots(index)
        assert (slotted._set, slotted._FACTORY) == (index, [])


def _cached_classes(decorator: Any, dataclass: Any) -> tuple[type, type, list[int]]:
    """A mutable and a frozen value class, each with one cached attribute counting its runs."""
    calls: list[int] = []

    class Mutable:
        def __init__(self, a: int) -> None:
            self.a = a

        @decorator
        def doubled(self) -> int:
            """Twice a."""
            calls.append(self.a)
            return self.a * 2

    @dataclass(frozen=True)
    class Frozen:
        a: int

        @decorator
        def doubled(self) -> int:
            calls.append(self.a)
            return self.a * 2

    return Mutable, Frozen, calls


@pytest.mark.parametrize("decorator", [functools.cached_property, values.cached_property])
def test_cached_property_agrees_with_functools(decorator: Any) -> None:
    dataclass = dataclasses.dataclass if decorator is functools.cached_property else values.dataclass
    Mutable, Frozen, calls = _cached_classes(decorator, dataclass)
    for cls in (Mutable, Frozen):
        calls.clear()
        obj = cls(3)
        assert (obj.doubled, obj.doubled, calls) == (6, 6, [3])  # computed once
        assert "doubled" in obj.__dict__  # stored on the instance, past a frozen __setattr__
        duplicate = copy.copy(obj)  # through __reduce_ex__, as pickle goes
        assert (duplicate.doubled, calls) == (6, [3])  # the value goes with the instance
        del obj.__dict__["doubled"]
        assert (obj.doubled, calls) == (6, [3, 3])  # computed again once removed
        assert isinstance(cls.__dict__["doubled"], decorator)
        assert cls.doubled is cls.__dict__["doubled"]  # read on the class: the descriptor
    assert Mutable.doubled.__doc__ == "Twice a."
    mutable = Mutable(1)
    assert mutable.doubled == 2
    del mutable.doubled  # reset: the next read computes it again
    mutable.a = 4
    assert mutable.doubled == 8
    mutable.doubled = 10  # assigned: the instance's value wins
    assert mutable.doubled == 10

    class Slotted:
        __slots__ = ("a",)

        @decorator
        def doubled(self) -> int:
            return 2

    with pytest.raises(TypeError, match="No '__dict__' attribute on 'Slotted' instance"):
        _ = Slotted().doubled
