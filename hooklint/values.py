"""Value classes: the ``dataclasses`` API hooklint uses, built without generated code.

``dataclasses.dataclass`` compiles five or six functions from source text for every class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, the frozen ``__setattr__`` and
``__delattr__``), and ``import dataclasses`` pulls in ``inspect`` (with ``ast``, ``dis`` and
``tokenize``).  Measured with callgrind on Python 3.11: 3.7 million instructions per frozen class,
0.04 billion for the import; hooklint defines ~50 such classes on a plain ``check`` run, which made
them the largest single cost of a one-file (pre-commit) run: 40% of its instructions.

This module gives the same behaviour for the subset hooklint uses, from closures made once per
class (``__init__`` alone is compiled, as dataclasses writes it, once a class has been built
:data:`COMPILE_AFTER` times, so the classes a big run builds 100,000s of times pay no binding
overhead): ``@dataclass`` with ``frozen``, ``eq``, ``order`` and ``slots``; ``field(default_factory=)``;
``replace``; inheritance between value classes; ``ClassVar`` annotations are not fields.  The type
checker sees the standard library's own ``dataclasses`` (``TYPE_CHECKING`` below), so every use is
checked as a real dataclass; ``tests/test_values.py`` compares the two implementations' behaviour.

``cached_property`` is ``functools.cached_property`` without the lock Python 3.11 takes on every
first read (the checker sees functools' own).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FrozenInstanceError", "cached_property", "dataclass", "field", "replace"]

if TYPE_CHECKING:  # the checker sees the real thing
    from dataclasses import FrozenInstanceError as FrozenInstanceError
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
    from dataclasses import replace as replace
    from functools import cached_property as cached_property
else:
    from operator import attrgetter

    class cached_property:
        """``functools.cached_property`` without its lock: the first read of the attribute on
        an instance computes it and stores it in the instance's ``__dict__``, where every later
        read finds it (this is a non-data descriptor, so the instance's entry wins).

        Python 3.11's version takes an ``RLock`` on every first read (3.12 dropped it): on
        10,000 documents, with ~9 cached attributes each, that was about a third of the
        analysis' Python calls.  hooklint never computes one attribute from two threads, and
        a value computed twice would be equal anyway.  As with functools', the value is
        written past any ``__setattr__`` (frozen value classes), needs a ``__dict__`` (not
        for slotted classes), pickles with the instance, and ``del obj.attr`` resets it.
        """

        def __init__(self, func: Any) -> None:
            self.func = func
            self.attrname: str = func.__name__
            self.__doc__ = func.__doc__
            self.__module__ = func.__module__

        def __set_name__(self, owner: type, name: str) -> None:
            self.attrname = name

        def __get__(self, instance: Any, owner: Any = None) -> Any:
            if instance is None:
                return self
            try:
                cache = instance.__dict__
            except AttributeError:
                raise TypeError(
                    f"No '__dict__' attribute on {type(instance).__name__!r} instance "
                    f"to cache {self.attrname!r} property."
                ) from None
            value = cache[self.attrname] = self.func(instance)
            return value

    class FrozenInstanceError(AttributeError):
        """Assignment to a field of a frozen value (as ``dataclasses.FrozenInstanceError``)."""

    class _Missing:
        __slots__ = ()

        def __repr__(self) -> str:
            return "MISSING"

    MISSING = _Missing()
    _FIELDS = "__value_fields__"

    class Field:
        """What ``field()`` says of one field: its default or factory, and whether it takes
        part in comparisons and the repr."""

        __slots__ = ("compare", "default", "default_factory", "repr")

        def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool) -> None:
            self.default = default
            self.default_factory = default_factory
            self.compare = compare
            self.repr = repr

    def field(
        *,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        compare: bool = True,
        repr: bool = True,
    ) -> Any:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return Field(default, default_factory, compare, repr)

    def _is_classvar(annotation: Any) -> bool:
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__origin__", None)
        if isinstance(text, str):
            return text.startswith(("ClassVar", "typing.ClassVar"))
        import typing

        return text is typing.ClassVar

    class _Spec:
        """The fields of one value class: names in order, defaults, factories, and which
        names take part in comparisons and in the repr."""

        __slots__ = ("compared", "defaults", "factories", "names", "shown")

        def __init__(self) -> None:
            self.names: dict[str, None] = {}
            self.defaults: dict[str, Any] = {}
            self.factories: dict[str, Any] = {}
            self.compared: dict[str, bool] = {}
            self.shown: dict[str, bool] = {}

    def _collect(cls: type) -> _Spec:
        """The fields of ``cls``: those of its value bases first, then its own annotations."""
        spec = _Spec()
        for base in reversed(cls.__mro__[1:]):
            inherited = base.__dict__.get(_FIELDS)
            if inherited is not None:
                spec.names.update(inherited.names)
                spec.defaults.update(inherited.defaults)
                spec.factories.update(inherited.factories)
                spec.compared.update(inherited.compared)
                spec.shown.update(inherited.shown)
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (no inspect)
        for name, annotation in annotations.items():
            if _is_classvar(annotation):
                continue
            spec.names[name] = None
            spec.defaults.pop(name, None)
            spec.factories.pop(name, None)
            spec.compared[name] = spec.shown[name] = True
            if name not in cls.__dict__:
                continue
            value = cls.__dict__[name]
            if not isinstance(value, Field):
                spec.defaults[name] = value
                continue
            spec.compared[name], spec.shown[name] = value.compare, value.repr
            if value.default_factory is not MISSING:
                spec.factories[name] = value.default_factory
                delattr(cls, name)
            elif value.default is not MISSING:
                spec.defaults[name] = value.default
                setattr(cls, name, value.default)
            else:
                delattr(cls, name)
        seen_default = False
        for name in spec.names:
            has_default = name in spec.defaults or name in spec.factories
            if seen_default and not has_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            seen_default = seen_default or has_default
        return spec

    #: Calls after which a class's ``__init__`` is compiled (as dataclasses does for every class):
    #: a one-file run builds most classes a few times, a big tree builds a few classes 100,000s.
    COMPILE_AFTER = 64

    def _compiled_init(
        cls: type,
        names: tuple[str, ...],
        defaults: dict[str, Any],
        factories: dict[str, Any],
        slots: bool,
    ) -> Any:
        """The ``__init__`` dataclasses would write: real parameters, one store per field."""
        # the names the text uses besides the fields' own carry a prefix no field name has
        scope: dict[str, Any] = {"__hooklint_set": object.__setattr__, "__hooklint_unset": MISSING}
        params, body = [], []
        for name in names:
            if name in defaults:
                scope[f"__hooklint_default_{name}"] = defaults[name]
                params.append(f"{name}=__hooklint_default_{name}")
            elif name in factories:
                scope[f"__hooklint_factory_{name}"] = factories[name]
                params.append(f"{name}=__hooklint_unset")
                body.append(f"    if {name} is __hooklint_unset: {name} = __hooklint_factory_{name}()")
            else:
                params.append(name)
        if slots:
            body += [f"    __hooklint_set(self, {name!r}, {name})" for name in names]
        else:
            body.append("    __hooklint_fields = self.__dict__")
            body += [f"    __hooklint_fields[{name!r}] = {name}" for name in names]
        source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"])
        exec(source, scope)  # the text is made here, from the field names alone
        function = scope["__init__"]
        function.__qualname__ = f"{cls.__qualname__}.__init__"
        return function

    def _make_init(
        cls: type,
        names: tuple[str, ...],
        defaults: dict[str, Any],
        factories: dict[str, Any],
        slots: bool,
    ) -> Any:
        """An ``__init__`` that binds its arguments in Python, and after :data:`COMPILE_AFTER`
        calls replaces itself on ``cls`` with :func:`_compiled_init`'s."""
        qualname = cls.__qualname__
        count = len(names)
        positions = {name: i for i, name in enumerate(names)}
        set_attribute = object.__setattr__
        calls = [0]

        def bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
            if len(args) > count:
                raise TypeError(
                    f"{qualname}.__init__() takes {count + 1} positional arguments "
                    f"but {len(args) + 1} were given"
                )
            values = list(args) + [MISSING] * (count - len(args))
            for key, value in kwargs.items():
                index = positions.get(key)
                if index is None:
                    raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {key!r}")
                if index < len(args):
                    raise TypeError(f"{qualname}.__init__() got multiple values for argument {key!r}")
                values[index] = value
            missing = []
            for index, name in enumerate(names):
                if values[index] is MISSING:
                    if name in defaults:
                        values[index] = defaults[name]
                    elif name in factories:
                        values[index] = factories[name]()
                    else:
                        missing.append(name)
            if missing:
                listed = ", ".join(repr(name) for name in missing)
                raise TypeError(
                    f"{qualname}.__init__() missing {len(missing)} required "
                    f"positional argument{'s' if len(missing) > 1 else ''}: {listed}"
                )
            return values

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            calls[0] += 1
            if calls[0] == COMPILE_AFTER and cls.__dict__.get("__init__") is __init__:
                cls.__init__ = _compiled_init(cls, names, defaults, factories, slots)  # type: ignore[misc]
            if slots:
                for name, value in zip(names, bind(args, kwargs), strict=True):
                    set_attribute(self, name, value)
            elif len(args) == count and not kwargs:
                self.__dict__.update(zip(names, args, strict=True))
            else:
                self.__dict__.update(zip(names, bind(args, kwargs), strict=True))

        return __init__

    def _key(names: tuple[str, ...]) -> Any:
        """A function giving the tuple of the fields' values."""
        if not names:
            return lambda self: ()
        if len(names) == 1:
            only = attrgetter(names[0])
            return lambda self: (only(self),)
        return attrgetter(*names)

    def _install(cls: type, name: str, value: Any) -> None:
        if name not in cls.__dict__:
            value.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, value)

    def _add_comparisons(cls: type, key: Any, order: bool) -> None:
        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return key(self) == key(other)
            return NotImplemented

        _install(cls, "__eq__", __eq__)
        if not order:
            return

        def compare(test: Any) -> Any:
            def method(self: Any, other: Any) -> Any:
                if other.__class__ is self.__class__:
                    return test(key(self), key(other))
                return NotImplemented

            return method

        from operator import ge, gt, le, lt

        for name, test in (("__lt__", lt), ("__le__", le), ("__gt__", gt), ("__ge__", ge)):
            _install(cls, name, compare(test))

    def _add_frozen(cls: type, names: tuple[str, ...]) -> None:
        fields = frozenset(names)

        def __setattr__(self: Any, name: str, value: Any) -> None:
            if type(self) is cls or name in fields:
                raise FrozenInstanceError(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        def __delattr__(self: Any, name: str) -> None:
            if type(self) is cls or name in fields:
                raise FrozenInstanceError(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        _install(cls, "__setattr__", __setattr__)
        _install(cls, "__delattr__", __delattr__)

    def _with_slots(cls: type, names: tuple[str, ...], frozen: bool) -> type:
        """A new class with ``__slots__`` for the fields (as ``dataclass(slots=True)``)."""
        body = dict(cls.__dict__)
        inherited = {n for base in cls.__mro__[1:] for n in getattr(base, "__slots__", ())}
        body["__slots__"] = tuple(n for n in names if n not in inherited)
        for name in names:
            body.pop(name, None)
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        new = type(cls)(cls.__name__, cls.__bases__, body)
        new.__qualname__ = cls.__qualname__
        if frozen:  # pickle sets slot state with setattr: restore it past the frozen guard

            def __getstate__(self: Any) -> list[Any]:
                return [getattr(self, name) for name in names]

            def __setstate__(self: Any, state: list[Any]) -> None:
                for name, value in zip(names, state, strict=True):
                    object.__setattr__(self, name, value)

            new.__getstate__ = __getstate__  # type: ignore[method-assign]
            new.__setstate__ = __setstate__  # type: ignore[attr-defined]
        return new

    def _process(cls: type, frozen: bool, eq: bool, order: bool, slots: bool) -> type:
        spec = _collect(cls)
        names = tuple(spec.names)
        if slots:  # a new class: every method below goes on it
            cls = _with_slots(cls, names, frozen)
        setattr(cls, _FIELDS, spec)
        cls.__match_args__ = names  # type: ignore[attr-defined]
        _install(cls, "__init__", _make_init(cls, names, spec.defaults, spec.factories, slots))
        shown = tuple(name for name in names if spec.shown[name])
        shown_key = _key(shown)

        def __repr__(self: Any) -> str:
            pairs = zip(shown, shown_key(self), strict=True)
            return f"{self.__class__.__qualname__}({', '.join(f'{n}={v!r}' for n, v in pairs)})"

        _install(cls, "__repr__", __repr__)
        key = _key(tuple(name for name in names if spec.compared[name]))
        if eq:
            _add_comparisons(cls, key, order)
        elif order:
            raise ValueError("eq must be true if order is true")
        if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
            if eq and frozen:
                cls.__hash__ = lambda self: hash(key(self))  # type: ignore[method-assign]
            elif eq:
                cls.__hash__ = None  # type: ignore[assignment]
        if frozen:
            _add_frozen(cls, names)
        return cls

    def dataclass(
        cls: Any = None,
        /,
        *,
        frozen: bool = False,
        eq: bool = True,
        order: bool = False,
        slots: bool = False,
    ) -> Any:
        def wrap(target: type) -> type:
            return _process(target, frozen, eq, order, slots)

        return wrap if cls is None else wrap(cls)

    def replace(obj: Any, /, **changes: Any) -> Any:
        spec = getattr(type(obj), _FIELDS, None)
        if spec is None:
            raise TypeError("replace() should be called on value instances")
        names = spec.names
        for key in changes:
            if key not in names:
                name = type(obj).__qualname__
                raise TypeError(f"{name}.__init__() got an unexpected keyword argument {key!r}")
        values = {name: getattr(obj, name) for name in names}
        values.update(changes)
        return type(obj)(**values)
