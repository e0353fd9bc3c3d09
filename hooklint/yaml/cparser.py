"""ruamel.yaml's C parser, imported without the rest of ruamel.yaml while nothing else needs it.

The compiled module (``_ruamel_yaml`` of ruamel.yaml.clib, or ``_ruamel_yaml_clibz``) takes 42
names from ruamel.yaml's modules when it is imported: error, token, event and node classes.
Importing any of those modules runs ruamel.yaml's ``__init__``, which imports the whole
library: about 57 M instructions, one and a half times the interpreter's own start, and a
quarter of linting one small file.  hooklint's fast path needs none of those classes: while it
reads, the event names point at the reader's light classes (:class:`LightEvents`), and tokens,
nodes and the emitter are never used.

So :func:`c_parser`, when neither the compiled module nor ruamel.yaml is imported yet, imports
the compiled module with *stand-ins*: an import hook answers ``ruamel.yaml`` and its modules
with empty modules that give :class:`StandIn` (:class:`StandInError` for an error class) for
every name asked of them, and those modules leave ``sys.modules`` as soon as the compiled
module is imported.  A second,
one-shot hook then watches for the real ruamel.yaml: once anything imports it (hooklint's exact
parser, a plugin, anyone), the compiled module's 42 names are bound to the real classes, as a
plain import would have bound them.

An error the C parser raises meanwhile is a stand-in (:class:`StandInError`) holding the C
parser's arguments: :func:`real_error` parses the text again with the real classes for
ruamel.yaml's own error (errors are rare, and their messages are ruamel's).
"""

from __future__ import annotations

import _thread
import sys

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any, Sequence

#: The compiled parser modules, in the order ruamel.yaml.cyaml tries them.
COMPILED = ("_ruamel_yaml", "_ruamel_yaml_clibz")
PACKAGE = "ruamel.yaml"

#: Held while the compiled module's event names are swapped or rebound (see LightEvents).
LOCK = _thread.allocate_lock()


class StandIn(Exception):
    """What the compiled module gets for a ruamel.yaml class: keeps its arguments (``.args``)."""

    __slots__ = ()


class StandInError(StandIn):
    """A stand-in for one of ruamel.yaml's error classes: what the C parser raises."""

    __slots__ = ()


# name -> the object the compiled module holds for it when nobody has swapped it: a stand-in
# until the real ruamel.yaml is imported, then the real class (events are told apart by name,
# never by class, so one stand-in class serves them all)
_given: dict[str, Any] = {}
# (module, name) the compiled module took from each stand-in module
_asked: list[tuple[str, str]] = []
# the CParser class once imported (by c_parser, under _IMPORT_LOCK)
_parser: Any = None
_IMPORT_LOCK = _thread.allocate_lock()


def c_parser() -> Any:
    """The C parser class (``CParser``); stand-ins for ruamel.yaml when it is not imported yet.

    Threads that ask at once wait for the first one's import: a module being imported is in
    ``sys.modules`` before its names are, so no thread takes it from there half made.
    """
    global _parser
    if _parser is None:
        with _IMPORT_LOCK:
            if _parser is None:
                _parser = _import_compiled().CParser
    return _parser


def compiled_module() -> Any:
    """The compiled parser module when imported, else None."""
    modules = sys.modules
    return modules.get(COMPILED[0]) or modules.get(COMPILED[1])


def given(name: str) -> Any:
    """What the compiled module holds for ``name`` when not swapped (None: not known)."""
    found = _given.get(name)
    if found is not None:
        return found
    events = sys.modules.get(PACKAGE + ".events")  # imported the plain way
    return getattr(events, name, None) if events is not None else None


def errors() -> tuple[type[Exception], ...]:
    """The exception classes the C parser may raise now (for an ``except``)."""
    error = sys.modules.get(PACKAGE + ".error")
    base = getattr(error, "YAMLError", None) if error is not None else None
    return (StandInError, base) if base is not None else (StandInError,)


def real_error(error: Exception, text: str) -> Exception:
    """``error`` as ruamel.yaml's own class: a stand-in is parsed again with the real classes."""
    if not isinstance(error, StandIn):
        return error
    import ruamel.yaml  # noqa: F401  (the watch binds the compiled module's names to it)
    from ruamel.yaml.error import YAMLError

    get_event = c_parser()(text).get_event
    try:
        while True:  # the same text raises again; the stream's end ends it too (after its
            event = get_event()  # StreamEndEvent, real or hooklint.yaml.reader's light one: None)
            if event is None or type(event).__name__ == "StreamEndEvent":
                break
    except YAMLError as real:
        return real
    return YAMLError(" ".join(str(arg) for arg in error.args if isinstance(arg, str)) or "YAML error")


# -- importing with stand-ins -----------------------------------------------------------------


def _import_compiled() -> Any:
    if PACKAGE in sys.modules or compiled_module() is not None:  # imported the plain way: the
        return _import_plain()  # import statement waits for an import in progress elsewhere
    finder = _StandInFinder()
    sys.meta_path.insert(0, finder)
    try:
        module = _import_plain()
    except Exception:  # anything unexpected: the plain way, with the real ruamel.yaml
        _forget_stand_ins(finder)
        for name in COMPILED:
            sys.modules.pop(name, None)
        import ruamel.yaml  # noqa: F401

        return _import_plain()
    _forget_stand_ins(finder)
    with LOCK:
        for name in {name for _, name in finder.asked}:
            _given[name] = getattr(module, name, None)
        _asked.extend(finder.asked)
    watch = _RealRuamelWatch()
    sys.meta_path.insert(0, watch)
    if PACKAGE in sys.modules:  # another thread imported the real one meanwhile
        if watch in sys.meta_path:
            sys.meta_path.remove(watch)
        _bind()
    return module


def _import_plain() -> Any:
    try:
        import _ruamel_yaml
    except ModuleNotFoundError:
        import _ruamel_yaml_clibz  # type: ignore[import-not-found, unused-ignore]

        return _ruamel_yaml_clibz
    return _ruamel_yaml


def _forget_stand_ins(finder: _StandInFinder) -> None:
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    for name in finder.made:
        if sys.modules.get(name) is finder.made[name]:
            del sys.modules[name]
    parent = sys.modules.get("ruamel")
    made = finder.made.get(PACKAGE)
    if made is not None and parent is not None and getattr(parent, "yaml", None) is made:
        delattr(parent, "yaml")


class _StandInFinder:
    """Answers ``ruamel.yaml`` and ``ruamel.yaml.*`` with stand-in modules while installed."""

    def __init__(self) -> None:
        self.made: dict[str, ModuleType] = {}
        self.asked: list[tuple[str, str]] = []
        self.thread = _thread.get_ident()  # another thread importing ruamel.yaml gets the real one

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> ModuleSpec | None:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        if _thread.get_ident() != self.thread:
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(fullname, self, is_package=fullname == PACKAGE)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        module = type(sys)(spec.name)
        asked = self.asked
        owner = spec.name

        def stand_in(name: str) -> type[StandIn]:
            if name.startswith("__"):
                raise AttributeError(name)
            made = StandInError if name.endswith("Error") else StandIn  # one class does for all
            setattr(module, name, made)
            asked.append((owner, name))
            return made

        module.__getattr__ = stand_in  # type: ignore[method-assign]
        if spec.name == PACKAGE:
            module.__path__ = []
        self.made[spec.name] = module
        return module

    def exec_module(self, module: ModuleType) -> None:
        pass


class _RealRuamelWatch:
    """One-shot: when the real ruamel.yaml has been imported, binds the compiled module's names."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> ModuleSpec | None:
        if fullname != PACKAGE:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for finder in list(sys.meta_path):  # as the import system would find it without us
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _ThenBind(spec.loader)
                return spec  # type: ignore[no-any-return]
        return None


class _ThenBind:
    """A loader that runs the real one, then binds the compiled module's names (:func:`_bind`)."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        made: ModuleType | None = self._loader.create_module(spec)
        return made

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _bind()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


def _bind() -> None:
    """The compiled module's names, as ruamel.yaml's modules define them (now imported)."""
    module = compiled_module()
    if module is None:
        return
    with LOCK:
        for owner, name in _asked:
            real = getattr(sys.modules.get(owner), name, None)
            if real is None:
                continue
            if getattr(module, name, None) is _given.get(name):  # not swapped right now
                setattr(module, name, real)
            _given[name] = real
