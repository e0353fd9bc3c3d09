"""Core value types: positions, source files, documents, findings."""

from __future__ import annotations

import enum

from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Mapping, Sequence

    from hooklint.sources.provenance import Provenance

#: A step in a YAML path: a mapping key or a sequence index.
PathStep = str | int
YamlPath = tuple[PathStep, ...]


class Severity(enum.Enum):
    """How bad a finding is. Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use one of: error, warning, info") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column (columns count Unicode code points)."""

    line: int
    column: int


def position_from_mark(packed: int) -> Position:
    """Convert a packed 0-based parser mark (see :mod:`hooklint.yaml.reader`) to a Position."""
    return Position(((packed >> 24) & 0xFFFFFF) + 1, (packed & 0xFFFFFF) + 1)



@dataclass(frozen=True, slots=True)
class PosMap:
    """Source positions of one YAML mapping or sequence, mirroring its shape.

    For a mapping, ``entries`` maps each key to ``(key_mark, value_mark, child,
    key_length, value_length)``; for a sequence it is a list of ``(item_mark,
    child, item_length)``.  Marks are packed 0-based ``line << 24 | column``
    ints; a length is the end mark (the scanner's, exclusive) minus the start
    mark, packed alike, so ``mark + length`` is the end (0: unknown).  For a
    scalar on one line it is a small int, which Python shares: ends cost no
    memory beyond their tuple slot.  ``child`` is the PosMap of a nested
    container, or None for a scalar.  Kept apart from the user's data so the
    data stays plain dicts and lists.  Slotted: there is one per mapping and
    sequence read, so its size is most of the memory a run needs.
    """

    start: int
    entries: Any  # dict[key, (int, int, PosMap | None, int, int)] | list[(int, PosMap | None, int)]

    def __reduce__(self) -> tuple[Any, ...]:
        # --jobs sends these between processes: a constructor call pickles faster than slot state
        return (PosMap, (self.start, self.entries))


#: One step's positions: key mark, value mark, the child's PosMap, key length, value length
#: (a list item reads as ``(mark, mark, child, length, length)``).
PositionStep = tuple[int, int, "PosMap | None", int, int]


def position_steps(positions: PosMap | None, path: Sequence[PathStep]) -> list[PositionStep]:
    """The positions of each leading step of ``path`` that exists, stopping at the first that
    does not (a missing key, an index out of range, a step into a scalar)."""
    out: list[PositionStep] = []
    pos = positions
    for step in path:
        if pos is None:
            break
        entries = pos.entries
        if isinstance(entries, dict):
            entry = entries.get(step) if isinstance(step, str) else None
            if entry is None:
                break
            out.append(entry)
            pos = entry[2]
        else:
            if not isinstance(step, int) or not 0 <= step < len(entries):
                break
            mark, pos, length = entries[step]
            out.append((mark, mark, pos, length, length))
    return out


def mark_at(positions: PosMap, path: Sequence[PathStep], key: bool = False) -> tuple[int, int]:
    """:meth:`Document.locate`'s rule as ``(packed mark, length)``: the value at ``path`` (its
    key with ``key``), else the key of the deepest step that exists, else the start."""
    steps = position_steps(positions, path)
    if not steps:
        return positions.start, 0
    kmark, vmark, _, klength, vlength = steps[-1]
    if len(steps) == len(path) and not key:
        return vmark, vlength
    return kmark, klength


@dataclass(frozen=True)
class SuppressionComment:
    """A ``# hooklint: ignore[...]`` comment: its 1-based column, the codes or names it
    lists (``("*",)`` for all rules), and whether it is alone on its line (then it
    covers the next line too)."""

    column: int
    entries: tuple[str, ...]
    alone: bool


@dataclass(frozen=True)
class SourceFile:
    """One input file (or stdin) as the user named it."""

    path: str  # display path, relative when possible, POSIX separators
    suppression_comments: Mapping[int, SuppressionComment] = field(default_factory=dict)  # by line
    ignore_file: bool = False
    #: read as it is from a file on disk (not stdin, not rendered): only these are ever fixed
    plain_file: bool = False


def _identity(root: Any) -> dict[str, Any]:
    """What :class:`Document` reads of its object's identity (see its ``kind`` and the rest):
    each string field, or "" when missing or not a string; ``metadata`` and ``annotations``,
    or {} when not a mapping."""
    if not isinstance(root, dict):
        root = {}
    kind, api, meta = root.get("kind"), root.get("apiVersion"), root.get("metadata")
    kind = kind if isinstance(kind, str) else ""
    api = api if isinstance(api, str) else ""
    if isinstance(meta, dict):
        name, generate_name = meta.get("name"), meta.get("generateName")
        namespace, annotations = meta.get("namespace"), meta.get("annotations")
        name = name if isinstance(name, str) else ""
        generate_name = generate_name if isinstance(generate_name, str) else ""
        namespace = namespace if isinstance(namespace, str) else ""
        annotations = annotations if isinstance(annotations, dict) else {}
    else:
        meta, annotations = {}, {}
        name = generate_name = namespace = ""
    strings: dict[str, Any] = annotations
    for value in annotations.values():
        if not isinstance(value, str):
            if any(v is not None and not isinstance(v, str) for v in annotations.values()):
                strings = {}
            else:
                strings = {k: ("" if v is None else v) for k, v in annotations.items()}
            break
    return {
        "kind": kind,
        "api_version": api,
        "group": api.rpartition("/")[0] if "/" in api else "",
        "metadata": meta,
        "name": name,
        "generate_name": generate_name,
        "namespace": namespace,
        "annotations": annotations,
        "string_annotations": strings,
    }


class _Identity:
    """One of :class:`Document`'s identity attributes: a non-data descriptor whose first read
    on a document stores all of them (:func:`_identity`) in its ``__dict__``, which every
    later read finds first.  (``functools.cached_property`` per attribute cost a call and,
    on Python 3.11, a lock per attribute and document.)"""

    __slots__ = ("name",)

    def __init__(self) -> None:
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, doc: Any, owner: Any = None) -> Any:
        if doc is None:
            return self
        found = _identity(doc.root)
        fields = doc.__dict__
        found.update(fields)  # a value already there (assigned) is kept
        fields.update(found)
        return fields[self.name]


@dataclass(eq=False)
class Document:
    """One Kubernetes object read from a file.

    ``root`` is the object as plain dicts/lists/scalars.  ``positions`` mirrors
    it (see PosMap).  ``index`` is the document's 0-based index in its file;
    ``item`` is set for objects taken from a ``kind: List``'s ``items``.
    ``provenance`` is set by sources that render (Helm): the marks in ``positions``
    are then the repository text's (see :mod:`hooklint.sources.provenance`).
    """

    file: SourceFile
    index: int
    root: dict[str, Any]
    positions: PosMap
    is_target: bool = True
    item: int | None = None
    provenance: Provenance | None = None

    # -- identity (computed once: a document's root never changes) ---------------------
    # Every rule reads most of these of every document, so the first read of any of them
    # computes them all in one call (:func:`_identity`) and stores them in the instance's
    # ``__dict__``, where later reads find them without calling anything.
    if TYPE_CHECKING:  # the checker sees properties; at run time they are _Identity slots

        @property
        def kind(self) -> str: ...
        @property
        def api_version(self) -> str: ...
        @property
        def group(self) -> str:
            """The API group: ``apiVersion`` before its ``/`` ("" for the core group)."""
        @property
        def metadata(self) -> dict[str, Any]:
            """``metadata`` when it is a mapping, else {}."""
        @property
        def name(self) -> str: ...
        @property
        def generate_name(self) -> str: ...
        @property
        def namespace(self) -> str: ...
        @property
        def annotations(self) -> dict[str, Any]:
            """The raw annotation mapping (values may be non-strings), or {}."""
        @property
        def string_annotations(self) -> dict[str, str]:
            """The annotations as Kubernetes' Go code sees them (apimachinery
            ``GetAnnotations``: ``NestedNullCoercingStringMap``,
            pkg/apis/meta/v1/unstructured/helpers.go): a null value reads as ``""``; any
            other non-string value makes the whole map unreadable, so none at all.  It is
            ``annotations`` itself exactly when every value is a string (rules test that)."""

    else:
        kind = _Identity()
        api_version = _Identity()
        group = _Identity()
        metadata = _Identity()
        name = _Identity()
        generate_name = _Identity()
        namespace = _Identity()
        annotations = _Identity()
        string_annotations = _Identity()

    @property
    def null_annotations(self) -> tuple[str, ...]:
        """Keys of the annotations written with no value (null)."""
        return tuple(k for k, v in self.annotations.items() if v is None)

    def annotation(self, key: str) -> str | None:
        """An annotation's value when it is a string, else None."""
        value = self.annotations.get(key)
        return value if isinstance(value, str) else None

    @property
    def display_name(self) -> str:
        """``name``, or ``generateName*`` for generated names, or ``<unnamed>``."""
        if self.name:
            return self.name
        if self.generate_name:
            return self.generate_name + "*"
        return "<unnamed>"

    @property
    def ref(self) -> str:
        """``Kind/name``, as used in messages (``Job/db-migrate``)."""
        return f"{self.kind or '<no kind>'}/{self.display_name}"

    @property
    def qualified_ref(self) -> str:
        """``apiVersion Kind namespace/name``: the object's identity for logs and SARIF."""
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.api_version} {self.kind} {ns}{self.display_name}"

    # -- positions ------------------------------------------------------------------
    @property
    def start(self) -> Position:
        return position_from_mark(self.positions.start)

    def locate(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where ``path`` is in the source.

        For an existing path, the value's position (or the key's, with
        ``key=True``).  A path that does not fully exist resolves to the key of
        the deepest step that does, which is where the user types the fix; a path
        with no existing step resolves to the document's start.
        """
        return self.span(path, key=key)[0]

    def where(self, path: YamlPath, *, key: bool = False) -> tuple[SourceFile, Position]:
        """The repository file and position of ``path`` (``locate``, plus the file it is in)."""
        file, position, _ = self.where_span(path, key=key)
        return file, position

    def span(self, path: YamlPath, *, key: bool = False) -> tuple[Position, Position | None]:
        """:meth:`locate`'s position and where that text ends (exclusive), when known.

        The end of a scalar is where the scanner ends it (after a closing quote; for
        a block scalar, after its last line break); of a flow collection, after its
        closing bracket; of a block collection, the end of its last value.  The
        document's start has no end.
        """
        _, position, end = self.where_span(path, key=key)
        return position, end

    def where_span(
        self, path: YamlPath, *, key: bool = False
    ) -> tuple[SourceFile, Position, Position | None]:
        """The repository file of ``path``, its position and its end (see :meth:`span`)."""
        mark, length = self._mark(path, key)
        index = mark >> 48
        files = self.provenance.files if self.provenance is not None else ()
        file = files[index - 1] if 0 < index <= len(files) else self.file
        return file, position_from_mark(mark), (position_from_mark(mark + length) if length else None)

    def _mark(self, path: YamlPath, key: bool) -> tuple[int, int]:
        provenance = self.provenance
        if provenance is not None and provenance.resolve is not None:  # computed on first use
            self.positions, self.provenance = provenance.resolve(self)
        return mark_at(self.positions, path, key)

    def get(self, path: YamlPath) -> Any:
        """The value at ``path``, or None when any step is missing or of the wrong shape."""
        node: Any = self.root
        for step in path:
            if isinstance(node, dict) and isinstance(step, str):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node


@dataclass(frozen=True)
class RelatedLocation:
    """The other end of a whole-set finding."""

    path: str
    position: Position
    message: str


@dataclass(frozen=True)
class Finding:
    """A rule's verdict at one place, stamped by the engine. Formatters see only these."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    position: Position
    object_ref: str = ""
    yaml_path: YamlPath = ()
    related: tuple[RelatedLocation, ...] = ()
    suppression: str | None = None  # the reason, when suppressed
    end: Position | None = None  # just after the flagged text (exclusive), when known
    fix: str | None = None  # "safe" or "unsafe" when --fix can fix it (hooklint.fix)
    #: the Argo CD Application whose app the finding is in (``--scope app``): ``web (apps/web.yaml)``
    application: str | None = None

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.position.line, self.position.column, self.code, self.message)


def yaml_path_text(path: Sequence[PathStep]) -> str:
    """``metadata.annotations["argocd.argoproj.io/hook"]``-style text for a YAML path."""
    out = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif step.replace("_", "").replace("-", "").isalnum():
            out.append(f".{step}" if out else step)
        else:
            out.append(f'["{step}"]')
    return "".join(out)
