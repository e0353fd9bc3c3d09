"""YAML text -> plain Python values with source positions, as go-yaml v2 reads them.

We read the parser's event stream and build plain dicts/lists ourselves instead
of using a constructor.  That gives, in one pass and without recursion:

- a PosMap beside every mapping and sequence: where each key and value starts
  and where it ends (the scanner's end mark);
- Kubernetes' own scalar typing (go-yaml v2, YAML 1.1: ``yes``/``on``/``y`` are
  booleans, ``0x10`` is an int, ``1_000.5`` a float), which is what decides
  whether kubectl and Argo CD see a string;
- for manifests, keys typed and printed as sigs.k8s.io/yaml's YAMLToJSON
  prints them (``on:`` is ``"true"``, ``0x10:`` is ``"16"``), and the documents
  it refuses (``.inf``, null keys, ``!!int 1.5``) reported and dropped;
- refusal to construct ``!!python/*`` tags (nothing is ever executed);
- merge keys (``<<``), resolved as go-yaml does (explicit keys win);
- duplicate-key detection;
- a bound on alias expansion ("billion laughs"): aliases share the anchored
  value, and a document whose expanded size passes ``MAX_EXPANDED_NODES``, or
  whose aliases take the file's total alias expansion past it, is reported and
  dropped, so no later walk of the data can take more than linear time.

The fast path is ruamel.yaml's C parser (libyaml); a document it refuses is read
again by :mod:`hooklint.yaml.goscanner`.  Marks are packed as
``line << 24 | column`` (0-based) to keep memory flat; an end is kept as its
distance from the start (end mark - start mark, packed the same way), which
for a scalar on one line is its length: a small int Python shares.
"""

from __future__ import annotations

import sys
from bisect import bisect_right

from hooklint.lazyre import lazy
from hooklint.model import PosMap
from hooklint.values import dataclass
from hooklint.yaml.cparser import LOCK, c_parser, compiled_module, errors, given, real_error
from hooklint.yaml.documents import Piece, SeparatorError, split_documents
from hooklint.yaml.scalars import (
    KEY_CACHE,
    BadKey,
    explicit,
    key_of,
    not_json,
    plain_key,
    resolve_plain,
    typed_key,
)

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable


intern = sys.intern

MAX_EXPANDED_NODES = 2_000_000
_COL_MASK = 0xFFFFFF


# Lines that make libyaml's reading of the whole stream differ from apimachinery's
# line-wise cutting: a "---" with text after it, "...", a directive; and the "\/"
# escape, which libyaml 0.1.7 accepts and go-yaml refuses.
# Besides "---" lines libyaml reads otherwise (documents.split_documents tells): lone CRs and
# Unicode line breaks, where libyaml ends a line and apimachinery's reader does not; "\/",
# which libyaml 0.1.7 accepts; "..." and directives at a line start.
# Only blank and comment lines up to the first separator: a document for apimachinery's
# reader (its JSON is null), none for libyaml.
_NO_CONTENT_RE = lazy(r"(?:[ \t]*(?:#[^\n]*)?\n)*---\n")
_CUT_MARKERS = ("\r", "\\/", "\x85", "\u2028", "\u2029", "\n...", "\n%")


def _ascii_cut_marker(text: str) -> bool:
    """Whether ASCII ``text`` holds one of ``_CUT_MARKERS`` (the ASCII ones): a two-character
    needle is looked for only where its rarer character is there at all (found at memchr
    speed; on 10,000 documents the plain searches took 20 ms, these 6)."""
    return (
        "\r" in text
        or ("\\" in text and "\\/" in text)
        or ("%" in text and "\n%" in text)
        or "\n..." in text
    )


# Documents the exact parser reads: libyaml 0.1.7 accepts "\/" and breaks lines unlike go-yaml.
_EXACT_ONLY_RE = lazy(r"\\/|[\x85\u2028\u2029]")
_EDITOR_BREAK_RE = lazy("[\r\n]")  # after CRLF became LF
DOC_DROPPED = "; this document was not linted"

_FILE_BOMB = (
    f"aliases in this file expand past {MAX_EXPANDED_NODES:,} nodes in total (an alias bomb "
    "spread over documents?); this document and later ones that use aliases were not linted"
)
_COMPLEX_KEY = (
    "a mapping or list used as a mapping key: kubectl and Argo CD fail with "
    '"invalid map key"; use a string key'
)
_YAML_TAG = "tag:yaml.org,2002:"
_PYTHON_TAG = _YAML_TAG + "python/"
_MERGE = object()
_UNSEEN = object()
# Plain values as typed (short ones): "true", "80", "IfNotPresent" repeat in every object.
_VALUE_CACHE: dict[str, Any] = {}
_VALUE_CACHE_LIMIT = 100_000
# Plain keys by their text, once typed, when they are strs (interned): the loop's fast path.
_K8S_KEYS: dict[str, str] = {}  # as YAMLToJSON prints them (scalars.plain_key)
_PLAIN_KEYS: dict[str, str] = {}  # as written (parse_yaml)
_KEY_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class ParsedDocument:
    """One YAML document: its value, the PosMap of its root (None for a scalar root)."""

    index: int
    value: Any
    positions: PosMap | None
    start: int  # packed mark


@dataclass(frozen=True)
class ParseProblem:
    """Something that stops kubectl or Argo CD from reading the YAML."""

    message: str
    mark: int  # packed 0-based mark
    document: int  # index of the document it is in
    fatal: bool  # True when the rest of the file could not be read


def pack(line: int, column: int) -> int:
    return (line << 24) | (column if column < _COL_MASK else _COL_MASK)


def parse_yaml(text: str) -> tuple[list[ParsedDocument], list[ParseProblem]]:
    """Parse every document of a plain YAML stream (configs, front matter); never raises.

    Values are typed as go-yaml v2 types them, keys stay as written.  For
    Kubernetes manifests use :func:`read_manifests`, which also cuts documents,
    types keys and refuses what kubectl and Argo CD refuse, as they do.
    """
    docs: list[ParsedDocument] = []
    problems: list[ParseProblem] = []
    try:
        _build(_fast_events(text), 0, docs, problems, False, False, _Totals())
    except errors() as error:
        fast = real_error(error, text)
        docs, problems = [], []
        try:
            _build(_exact_events(text), 0, docs, problems, False, False, _Totals())
        except Exception as exact:  # the pure parser: never a traceback
            problems.append(_better_problem(fast, exact, 0, len(docs)))
    return docs, problems


def read_manifests(text: str, *, bom: bool = False) -> tuple[list[ParsedDocument], list[ParseProblem]]:
    """Read a file of Kubernetes manifests exactly as kubectl and Argo CD do; never raises.

    Documents are cut as apimachinery's reader cuts them (see
    :mod:`hooklint.yaml.documents`) and each is read as go-yaml v2 reads it, then
    checked as sigs.k8s.io/yaml's YAMLToJSON checks it: keys are typed and printed
    (``on:`` is the key ``"true"``), and a document go refuses (``.inf`` values,
    null keys, contradictory tags) is reported and dropped, the others kept.
    Fast path: one libyaml pass over the whole file when nothing in it needs the
    line-wise cutting; otherwise document by document, falling back to the exact
    pure-Python scanner (:mod:`hooklint.yaml.goscanner`) for a document libyaml refuses.

    ``bom``: the file started with a byte order mark (``text`` has it removed), so
    its first line is no separator for apimachinery's reader.
    """
    if "\r" in text and "\r\n" in text:  # one character is found at memchr speed, two are not
        text = text.replace("\r\n", "\n")  # bufio.ReadLine: same lines and columns
    if text and not text.endswith("\n"):
        text += "\n"  # the line reader ends the last line too: `|` at EOF keeps its newline
    if bom and text.startswith("---"):
        return _read_pieces(text, *split_documents(text, first_is_content=True)[:2])
    # Fast path: every separator a bare "---" line, none of the markers
    separators, bare, empty = _separator_lines(text)
    if (
        bare
        and not text.startswith(("...", "%"))
        and not (_ascii_cut_marker(text) if text.isascii() else any(m in text for m in _CUT_MARKERS))
    ):
        docs: list[ParsedDocument] = []
        problems: list[ParseProblem] = []
        try:
            _build(_fast_events(text), 0, docs, problems, True, False, _Totals())
        except errors():
            pass
        else:
            if empty:
                _renumber(split_documents(text)[0], docs, problems)  # empty documents
            # comments before the first "---" are a document (the pattern matches only from a
            # blank or a "#", which also tells that the text does not start with "---")
            elif separators and text[0] in " \t#\n" and _NO_CONTENT_RE.match(text):
                _shift_indexes(docs, problems)
            return docs, problems
    pieces, cut, _ = split_documents(text)
    return _read_pieces(text, pieces, cut)


def _separator_lines(text: str) -> tuple[int, bool, bool]:
    """The lines that start with ``---``: how many; whether the fast path reads the text (every
    one a bare ``---`` line, and no two in a row past the first line: those documents are read
    one by one); whether the text starts with two (an empty document the fast path renumbers).

    The fast path is taken for exactly the texts it always was, when the ``---`` lines were
    counted with ``str.count`` (non-overlapping, so two bare lines in a row counted once), in
    one search over the text instead of three: a search for two or more characters is a pass
    at about a nanosecond a character (9 ms of a run on 10,000 documents).
    """
    count = bare_lines = 0
    if text.startswith("---"):
        count = 1
        bare_lines = text.startswith("---\n")
    counted_to = 0  # where the last "\n---\n" counted ended: the matches do not overlap
    at = text.find("\n---")
    while at >= 0:
        count += 1
        if at >= counted_to and text.startswith("\n", at + 4):
            bare_lines += 1
            counted_to = at + 5
        at = text.find("\n---", at + 4)
    return count, count == bare_lines, text.startswith("---\n---\n")


def _read_pieces(
    text: str, pieces: list[Piece], cut: SeparatorError | None
) -> tuple[list[ParsedDocument], list[ParseProblem]]:
    docs: list[ParsedDocument] = []
    problems: list[ParseProblem] = []
    lines = _EditorLines(text)
    totals = _Totals()
    for index, piece in enumerate(pieces):
        base = lines.at(piece.start, piece.line) << 24
        first_doc, first_problem = len(docs), len(problems)
        _read_piece(text[piece.start : piece.end], index, docs, problems, totals)
        if base:  # the piece's marks count from its own first line
            for i in range(first_doc, len(docs)):
                doc = docs[i]
                positions = _shifted(doc.positions, base) if doc.positions is not None else None
                docs[i] = ParsedDocument(doc.index, doc.value, positions, doc.start + base)
            for i in range(first_problem, len(problems)):
                p = problems[i]
                problems[i] = ParseProblem(p.message, p.mark + base, p.document, p.fatal)
    if cut is not None:
        column = cut.offset - (text.rfind("\n", 0, cut.offset) + 1)
        problems.append(
            ParseProblem(
                f'text after "---" on a document separator line: kubectl and Argo CD fail with '
                f'"invalid Yaml document separator: {cut.rest}"; move it to the next line',
                pack(lines.at(cut.offset, cut.line), column),
                len(pieces),
                True,
            )
        )
    return docs, problems


def _read_piece(
    body: str, index: int, docs: list[ParsedDocument], problems: list[ParseProblem], totals: _Totals
) -> None:
    """One document: libyaml first, the exact parser when libyaml refuses it or cannot be trusted."""
    fast: Exception | None = None
    if _EXACT_ONLY_RE.search(body) is None:
        try:
            _build(_fast_events(body), index, docs, problems, True, True, totals)
            return
        except errors() as error:
            fast = real_error(error, body)
            _drop_document(docs, problems, index)
    try:
        _build(_exact_events(body), index, docs, problems, True, True, totals)
    except Exception as exact:  # the pure parser: never a traceback
        _drop_document(docs, problems, index)
        problem = _better_problem(fast, exact, 0, index)
        problems.append(ParseProblem(problem.message + DOC_DROPPED, problem.mark, index, False))


def _drop_document(docs: list[ParsedDocument], problems: list[ParseProblem], index: int) -> None:
    """Forget what a failed attempt at document ``index`` left behind."""
    while docs and docs[-1].index == index:
        docs.pop()
    while problems and problems[-1].document == index and not problems[-1].fatal:
        problems.pop()


class _EditorLines:
    """0-based editor line numbers of increasing offsets: a lone CR ends a line too.

    Manifests are read with editor lines throughout: the fast path never sees a
    file with a CR or a Unicode line break (they go document by document), libyaml
    ends lines at a lone CR as editors do, and the exact parser, which reads the
    documents holding U+0085/U+2028/U+2029, counts only CR and LF.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._cr = "\r" in text
        self._offset = 0
        self._line = 0

    def at(self, offset: int, newline_line: int) -> int:
        if not self._cr:
            return newline_line
        self._line += len(_EDITOR_BREAK_RE.findall(self._text, self._offset, offset))
        self._offset = offset
        return self._line


def _renumber(pieces: list[Piece], docs: list[ParsedDocument], problems: list[ParseProblem]) -> None:
    """Give the fast path's documents the index apimachinery's reader gives them.

    libyaml counts an empty document between two ``---`` lines, the reader does
    not; both cut at the same lines (the fast path runs only when they do), so a
    document's index is that of the piece its first line is in.
    """
    if not pieces:
        return
    firsts = [p.line for p in pieces]
    for i, doc in enumerate(docs):
        line = (doc.positions.start if doc.positions is not None else doc.start) >> 24
        index = max(0, bisect_right(firsts, line) - 1)
        if index != doc.index:
            docs[i] = ParsedDocument(index, doc.value, doc.positions, doc.start)
    for i, problem in enumerate(problems):
        index = max(0, bisect_right(firsts, problem.mark >> 24) - 1)
        if index != problem.document:
            problems[i] = ParseProblem(problem.message, problem.mark, index, problem.fatal)


def _shift_indexes(docs: list[ParsedDocument], problems: list[ParseProblem]) -> None:
    """Every document one index later: the reader counted one libyaml did not."""
    for i, doc in enumerate(docs):
        docs[i] = ParsedDocument(doc.index + 1, doc.value, doc.positions, doc.start)
    for i, p in enumerate(problems):
        problems[i] = ParseProblem(p.message, p.mark, p.document + 1, p.fatal)


def _fast_events(text: str) -> Callable[[], Any]:
    get_event: Callable[[], Any] = c_parser()(text).get_event
    return get_event if len(text) < _COL_MASK else _clamped(get_event)


def _exact_events(text: str) -> Callable[[], Any]:
    from hooklint.yaml.goscanner import events

    get_event = events(text)
    return get_event if len(text) < _COL_MASK else _clamped(get_event)


def _better_problem(
    fast: Exception | None, exact: Exception, base: int, index: int
) -> ParseProblem:
    """The exact parser's error, in libyaml's words (go-yaml's are a port of them) when
    both parsers stop on the same line."""
    problem = _problem(exact, base, index)
    if fast is not None:
        first = _problem(fast, base, index)
        if first.mark >> 24 == problem.mark >> 24:
            return first
    return problem


def _problem(exc: Exception, base: int, index: int) -> ParseProblem:
    problem_mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    mark = base + pack(problem_mark.line, problem_mark.column) if problem_mark else base
    return ParseProblem(_yaml_error_text(exc), mark, index, True)


def _build(
    get_event: Callable[[], Any],
    index: int,
    docs: list[ParsedDocument],
    problems: list[ParseProblem],
    kubernetes: bool,
    first_only: bool,
    totals: _Totals,
) -> None:
    """Turn one parser's events into documents; raises the parser's YAMLError.

    Marks count from ``get_event``'s text (see :func:`_shifted`); ``kubernetes`` types keys and
    refuses what YAMLToJSON refuses; ``first_only`` stops after the first document,
    as go-yaml's Unmarshal does.
    """
    with _LIGHT_EVENTS:
        _build_events(get_event, index, docs, problems, kubernetes, first_only, totals)


def _build_events(
    get_event: Callable[[], Any],
    index: int,
    docs: list[ParsedDocument],
    problems: list[ParseProblem],
    kubernetes: bool,
    first_only: bool,
    totals: _Totals,
) -> None:
    """:func:`_build`'s loop, over light events (see :class:`_LightEvents`).

    Every name the loop reads per event is a local (a global or an attribute costs a lookup
    each time), and the commonest events (a plain key, a plain value into a mapping or a list
    with nothing special about it) are done in place and ``continue``; the general tail
    handles the rest.  Sizes for the alias bound are counted once per document (``count``:
    every node so far, aliases at their expanded size): a frame's size when a child of it
    completes is ``count`` less the count before the frame began, so only a document past
    ``MAX_EXPANDED_NODES`` in all needs the per-frame test.  A plain scalar found in the caches
    (which keep only one-line ones, :func:`_one_line`) has its text's length, read without its
    end mark's two attributes; another scalar on one line takes its length from its columns
    (small ints); another end is computed as
    ``line * 2**24 + column``, the same int as ``line << 24 | column`` (the interpreter
    specialises an int multiply and add, not a shift and an or), a start as the latter: an
    int made by an add keeps a spare digit's memory, and starts are kept (8 MB of the 140 MB
    10,000 documents take), ends only for the lengths computed from them.  Columns are not clamped to the
    mark's 24 bits here: only a text with a line that long can pass them, and its events come
    through :func:`_clamped`.
    """
    resolve = resolve_plain
    keys = KEY_CACHE if kubernetes else None
    good_keys = _K8S_KEYS if kubernetes else _PLAIN_KEYS
    values = _VALUE_CACHE
    no_key = _NO_KEY
    item = _ITEM
    merge = _MERGE
    unseen = _UNSEEN
    cmask = _COL_MASK
    limit = MAX_EXPANDED_NODES
    scalar_event = _Scalar
    mapping_start = _MappingStart
    sequence_start = _SequenceStart
    mapping_end = _MappingEnd
    sequence_end = _SequenceEnd
    pos_map = PosMap
    new_object = object.__new__
    set_start, set_entries = _POSMAP_SETTERS
    # A frame: [container, entries, pending_key, kmark, start_mark, count_before, merges,
    #           anchor, key_length, flow, last_end, parent]; pending_key is _ITEM for a list,
    #           merges is [] after a duplicate key (see below), parent the enclosing frame
    anchors: dict[str, tuple[Any, PosMap | None, int]] = {}
    doc_start = 0
    count = 0  # nodes in this document so far (aliases expanded)
    document: list[Any] = []  # the document's frame: a list frame its root is the item of
    oversized = False
    doc_aliases = False
    refused: tuple[str, int] | None = None
    top: Any = None  # the innermost open frame: in a document, never None (its own is outermost)
    first = get_event()
    if type(first) is not _StreamStart:  # ruamel's own event objects: made light one by one
        get_event = _lightened(get_event)
        cached = True
    else:  # a text with a line past the marks' 24 bits: every length from its (clamped) marks
        cached = type(first.args[0]) is not _ClampedMark
    if not cached:
        good_keys = {}
        values = {}
    while True:
        event = get_event()
        etype = type(event)
        if etype is scalar_event:
            anchor, tag, implicit, raw, m, em, style = event.args
            line = m.line
            c = m.column
            mark = (line << 24) | c
            count += 1
            if tag is None and not style and not anchor:
                # plain, untagged, unanchored: the commonest events of all (both parsers make
                # an untagged plain scalar plain-implicit)
                key = top[2]
                if key is no_key:
                    key = good_keys.get(raw)  # only str keys, interned, on one line; never "<<"
                    if key is not None:
                        top[2] = key
                        top[3] = mark
                        top[8] = len(raw)  # small ints up to 256 are shared: no allocation
                        continue
                    # a key not seen yet, or not a plain str key: the general path types it
                elif key is not merge and count <= limit:
                    value = values.get(raw, unseen)
                    if value is not unseen:
                        length = len(raw)  # a cached plain scalar is on one line: its text
                    else:
                        # on one line (the commonest case) a length of small ints: no big int made
                        length = em.column - c if em.line == line else em.line * 16777216 + em.column - mark
                        value = resolve(raw)
                        if type(value) is float and value - value != 0:  # .inf, .nan: never cached
                            if kubernetes and refused is None:
                                refused = (not_json(raw, value), mark)
                        elif len(raw) < 40 and cached and _one_line(raw):  # short values repeat
                            if type(value) is str:  # typed once, one str each
                                value = intern(value)
                            if len(values) >= _VALUE_CACHE_LIMIT:
                                values.clear()
                            values[raw] = value
                    if key is item:
                        top[0].append(value)
                        top[1].append((mark, None, length))
                        top[10] = mark + length
                        continue
                    entries = top[1]
                    if key not in entries:
                        top[2] = no_key
                        top[0][key] = value
                        entries[key] = (top[3], mark, None, top[8], length)
                        top[10] = mark + length
                        continue
                    # a duplicate key: the general path below reports it
            length = em.column - c if em.line == line else em.line * 16777216 + em.column - mark
            end = mark + length
            is_key = top[2] is no_key
            if tag is not None:
                tag = str(tag)  # the exact parser's Tag objects
            if tag is None:
                if not style and implicit[0]:
                    if is_key:
                        if raw == "<<":
                            value = merge
                        else:
                            if keys is None:
                                value = intern(raw)
                            else:
                                value = keys.get(raw)
                                if value is None:
                                    value = plain_key(raw)  # interned when a str
                            if type(value) is str and cached and _one_line(raw):  # the fast path's
                                if len(good_keys) >= _KEY_CACHE_LIMIT:
                                    good_keys.clear()
                                good_keys[raw] = value
                    else:
                        value = values.get(raw, unseen)
                        if value is unseen:
                            value = resolve(raw)
                            if type(value) is float and value - value != 0:  # never cached
                                if kubernetes and refused is None:
                                    refused = (not_json(raw, value), mark)
                            elif len(raw) < 40 and cached and _one_line(raw):  # short ones repeat
                                if type(value) is str:  # typed once, one str each
                                    value = intern(value)
                                if len(values) >= _VALUE_CACHE_LIMIT:
                                    values.clear()
                                values[raw] = value
                else:
                    value = intern(raw) if len(raw) < 40 else raw
            elif tag == "!":
                value = intern(raw) if len(raw) < 40 else raw  # non-specific: always a string
            else:
                value, problem, refusal = explicit(tag, raw)
                if problem:
                    problems.append(ParseProblem(problem, mark, index, False))
                if kubernetes:
                    if refusal and refused is None:
                        refused = (refusal, mark)
                    elif type(value) is float and value - value != 0 and refused is None:
                        refused = (not_json(raw, value), mark)
                    if is_key:
                        value = typed_key(value, raw)
            child = None
            if anchor:
                anchors[anchor] = (value, None, 1)
        elif etype is mapping_start:
            anchor, tag, _, m, _, flow = event.args
            mark = (m.line << 24) | m.column
            if tag is not None and str(tag).startswith(_PYTHON_TAG):
                _, problem, _ = explicit(str(tag), "")
                problems.append(ParseProblem(str(problem), mark, index, False))
            top = [{}, {}, no_key, 0, mark, count, None, anchor, 0, flow, 0, top]
            count += 1
            continue
        elif etype is mapping_end or etype is sequence_end:
            frame = top
            value, entries, _, _, mark, before, merges, anchor, _, flow, end, top = frame
            if flow:  # True, or False/None for block style
                m = event.args[1]
                end = m.line * 16777216 + m.column
            elif merges is not None:  # a block collection ends where its last value ends
                end = _last_end(entries, mark)  # the last in the entries' order
            elif end <= mark:
                end = 0
            if merges:
                for message, merge_mark in _apply_merges(value, entries, merges):
                    if not kubernetes:
                        problems.append(ParseProblem(message, merge_mark, index, False))
                    elif refused is None:  # go-yaml fails the document
                        refused = (message, merge_mark)
            child = new_object(pos_map)  # PosMap(mark, entries), without its __init__'s frame
            set_start(child, mark)
            set_entries(child, entries)
            if anchor:
                anchors[anchor] = (value, child, count - before)  # its size
        elif etype is sequence_start:
            anchor, tag, _, m, _, flow = event.args
            mark = (m.line << 24) | m.column
            if tag is not None and str(tag).startswith(_PYTHON_TAG):
                _, problem, _ = explicit(str(tag), "")
                problems.append(ParseProblem(str(problem), mark, index, False))
            top = [[], [], item, 0, mark, count, None, anchor, 0, flow, 0, top]
            count += 1
            continue
        elif etype is _Alias:
            anchor, m, em = event.args
            mark = (m.line << 24) | m.column
            end = em.line * 16777216 + em.column
            target = anchors.get(anchor)
            if target is None:  # go-yaml: "unknown anchor 'x' referenced"
                if refused is None:
                    refused = (f"found undefined alias {anchor!r}", mark)
                target = (None, None, 1)
            value, child, size = target
            totals.aliased += size
            count += size
            doc_aliases = True
        elif etype is _DocumentStart:
            m = event.args[0]
            doc_start = pack(m.line, m.column)
            anchors = {}
            count = 0
            # the root's frame: its count before is past any count, so it is never too big
            document = top = [[], [], item, 0, doc_start, _NEVER, None, None, 0, None, 0, None]
            oversized = False
            doc_aliases = False
            refused = None
            continue
        elif etype is _DocumentEnd:
            if refused is not None:
                problems.append(ParseProblem(refused[0] + DOC_DROPPED, refused[1], index, False))
            elif document[0] and not oversized and (document[0][0] is not None or not kubernetes):
                if doc_aliases and totals.aliased > MAX_EXPANDED_NODES:
                    if not totals.bomb_reported:
                        totals.bomb_reported = True
                        problems.append(ParseProblem(_FILE_BOMB, doc_start, index, False))
                else:
                    docs.append(ParsedDocument(index, document[0][0], document[1][0][1], doc_start))
            if first_only:
                return
            index += 1
            continue
        elif etype is _StreamEnd:
            return
        else:
            continue

        frame = top
        # the frame's size now: 1 + its completed children (every node counted since it began)
        if count > limit and not oversized and count - frame[5] > limit:
            oversized = True
            problems.append(
                ParseProblem(
                    f"aliases expand this document past {MAX_EXPANDED_NODES:,} nodes "
                    "(a 'billion laughs' alias bomb?); it was not linted",
                    frame[4],
                    index,
                    False,
                )
            )
        container = frame[0]
        key = frame[2]
        if key is item:
            container.append(value)
            frame[1].append((mark, child, end - mark))
            frame[10] = end
            continue
        if key is no_key:
            frame[3] = mark
            frame[8] = end - mark  # small ints up to 256 are shared: no allocation
            if type(value) is str:
                # keys repeat in every object: one shared str each keeps memory flat
                frame[2] = intern(value)
            elif value is merge:
                frame[2] = value
            elif child is None:
                if type(value) is BadKey:
                    if kubernetes and refused is None:
                        refused = (value.message, mark)
                    frame[2] = value.text
                else:
                    frame[2] = key_of(value)
            else:  # a mapping or list as a key: go-yaml fails on it
                frame[2] = f"<complex key at {(mark >> 24) + 1}:{(mark & cmask) + 1}>"
                if kubernetes:
                    if refused is None:
                        refused = (_COMPLEX_KEY, mark)
                else:
                    problems.append(ParseProblem(_COMPLEX_KEY, mark, index, False))
            continue
        frame[2] = no_key
        if key is merge:
            if frame[6] is None:
                frame[6] = []
            frame[6].append((value, child, frame[3], len(frame[1])))
            continue
        entries = frame[1]
        if key in entries:
            if frame[6] is None:
                frame[6] = []  # the key keeps its place: the last value may not be last
            problems.append(
                ParseProblem(
                    f"duplicate key {key!r} (first at line "
                    f"{(entries[key][0] >> 24) + 1}); kubectl rejects the object "
                    "and other tools silently keep the last value",
                    frame[3],
                    index,
                    False,
                )
            )
        container[key] = value
        entries[key] = (frame[3], mark, child, frame[8], end - mark)
        frame[10] = end


# Light events.  The C parser makes each event by calling the event classes it imported from
# ruamel.yaml.events (module globals of the compiled module, _ruamel_yaml.pyx
# ``_event_to_object``); their Python ``__init__`` chains cost more than libyaml's parsing.
# While hooklint reads, those globals name the types below instead: builtin exception types,
# which keep any positional arguments as given (``.args``) without running Python code, so an
# event is one C-level call.  Builtin ones, not subclasses of our own: a builtin type is
# static, so its objects are made and freed without a heap type's reference counting and
# ``subtype_dealloc`` (57 against 97 ns an event, 2.5% of a run on 10,000 documents).  They
# are never raised: each only stands for one event class, its arguments the C parser's, in its
# order (below).  Warning types, which nothing in a read raises.  Events of another parser (the
# exact one, or a C parser whose classes could not be swapped) are turned into these by
# :func:`_lightened`.
_StreamStart: type[Exception] = UserWarning  # (start_mark, end_mark, encoding)
_StreamEnd: type[Exception] = FutureWarning  # (start_mark, end_mark)
_DocumentStart: type[Exception] = ImportWarning  # (start_mark, end_mark, explicit, version, tags)
_DocumentEnd: type[Exception] = SyntaxWarning  # (start_mark, end_mark, explicit)
_Alias: type[Exception] = RuntimeWarning  # (anchor, start_mark, end_mark)
# (anchor, tag, (plain_implicit, quoted_implicit), value, start_mark, end_mark, style)
_Scalar: type[Exception] = DeprecationWarning
_SequenceStart: type[Exception] = PendingDeprecationWarning  # (anchor, tag, implicit, start, end, flow)
_MappingStart: type[Exception] = UnicodeWarning  # (anchor, tag, implicit, start_mark, end_mark, flow)
_SequenceEnd: type[Exception] = BytesWarning  # (start_mark, end_mark)
_MappingEnd: type[Exception] = ResourceWarning  # (start_mark, end_mark)


_LIGHT: dict[str, type[Exception]] = {
    "StreamStartEvent": _StreamStart,
    "StreamEndEvent": _StreamEnd,
    "DocumentStartEvent": _DocumentStart,
    "DocumentEndEvent": _DocumentEnd,
    "AliasEvent": _Alias,
    "ScalarEvent": _Scalar,
    "SequenceStartEvent": _SequenceStart,
    "MappingStartEvent": _MappingStart,
    "SequenceEndEvent": _SequenceEnd,
    "MappingEndEvent": _MappingEnd,
}


class _LightEvents:
    """While entered (by any thread, any number of times), the C parser makes light events.

    Only names that hold the classes the compiled module was given are swapped (ruamel.yaml's
    own, or :mod:`hooklint.yaml.cparser`'s stand-ins), and each is put back when the last
    reader leaves: as what the module holds by then (the real class, if ruamel.yaml was
    imported meanwhile).  Code outside hooklint that drives ruamel's C parser in
    another thread at that very time would get light events: nothing in hooklint does.
    """

    __slots__ = ("_module", "_readers", "_swapped")

    def __init__(self) -> None:
        self._readers = 0
        self._module: Any = None
        self._swapped: list[str] = []  # names that hold a light class now

    def __enter__(self) -> None:
        with LOCK:
            self._readers += 1
            if self._module is None:  # the first reader, or the first since the module was imported
                module = compiled_module()
                if module is None:
                    return
                self._module = module
                for name, light in _LIGHT.items():
                    original = getattr(module, name, None)
                    if original is not None and original is given(name):
                        self._swapped.append(name)
                        setattr(module, name, light)

    def __exit__(self, *_: object) -> None:
        with LOCK:
            self._readers -= 1
            if self._readers == 0 and self._module is not None:
                for name in self._swapped:  # what it holds now: the real class once bound (cparser)
                    setattr(self._module, name, given(name))
                self._swapped.clear()
                self._module = None


_LIGHT_EVENTS = _LightEvents()


def reading() -> _LightEvents:
    """A context that keeps the C parser making light events across a loop of reads (over
    files): each read in it then skips swapping the compiled module's event classes in and
    back (1% of a run on 1,000 files).  Around reading only, never around rules (a third
    party's may drive ruamel.yaml's C parser itself)."""
    return _LIGHT_EVENTS


def _lightened(get_event: Callable[[], Any]) -> Callable[[], Any]:
    """``get_event`` over ruamel.yaml event objects, returning light events."""

    def get() -> Any:
        event = get_event()
        light = _LIGHT.get(type(event).__name__)
        start, end = event.start_mark, event.end_mark
        if light is _Scalar:
            return _Scalar(
                event.anchor, event.ctag, event.implicit, event.value, start, end, event.style
            )
        if light is _MappingStart or light is _SequenceStart:
            return light(event.anchor, event.ctag, event.implicit, start, end, event.flow_style)
        if light is _Alias:
            return _Alias(event.anchor, start, end)
        if light is None:
            from ruamel.yaml.error import YAMLError

            raise YAMLError(f"unexpected parser event {type(event).__name__}")
        return light(start, end)  # the marks are all the loop reads of the others

    return get


def _one_line(raw: str) -> bool:
    """Whether a plain scalar whose value is ``raw`` is on one line, so its length is
    ``len(raw)``: a plain scalar over lines is folded, each break a space or newlines (or, in
    libyaml, a U+2028/U+2029 break kept as it is)."""
    return " " not in raw and "\n" not in raw and (raw.isascii() or not ("\u2028" in raw or "\u2029" in raw))


class _ClampedMark:
    """A mark whose column is cut to the packed mark's 24 bits (see :func:`pack`)."""

    __slots__ = ("column", "line")

    def __init__(self, mark: Any) -> None:
        self.line = mark.line
        self.column = min(mark.column, _COL_MASK)


#: Where each light event keeps its start and end marks.
_MARK_ARGS: dict[type[Exception], tuple[int, int]] = {
    _Scalar: (4, 5),
    _MappingStart: (3, 4),
    _SequenceStart: (3, 4),
    _Alias: (1, 2),
}


def _clamped(get_event: Callable[[], Any]) -> Callable[[], Any]:
    """Light events of ``get_event`` with every column past the packed mark's 24 bits cut to
    them, as :func:`pack` cuts them: for a text with a line that long (the loop does not test
    every column for what no line under 16 million characters reaches)."""
    light: Callable[[], Any] | None = None

    def get() -> Any:
        nonlocal light
        if light is None:
            first = get_event()
            light = get_event if type(first) is _StreamStart else _lightened(get_event)
            event = first if light is get_event else _lightened(lambda: first)()
        else:
            event = light()
        if event is None:
            return None
        args = list(event.args)
        for i in _MARK_ARGS.get(type(event), (0, 1)):
            args[i] = _ClampedMark(args[i])
        return type(event)(*args)

    return get


def _last_end(entries: Any, start: int) -> int:
    """Where a block collection's last value ends (0 when not after ``start``)."""
    if not entries:
        return 0
    if isinstance(entries, dict):
        _, vmark, _, _, vlength = next(reversed(entries.values()))
        end: int = vmark + vlength
    else:
        mark, _, length = entries[-1]
        end = mark + length
    return end if end > start else 0


def _shifted(root: PosMap, base: int) -> PosMap:
    """A copy of ``root`` with every start mark moved down by ``base`` (a packed line).

    Lengths are relative, so they stay; shared subtrees (aliases) stay shared.
    """
    done: dict[int, PosMap] = {}
    stack: list[tuple[PosMap, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in done:
            continue
        entries = node.entries
        if not ready:
            stack.append((node, True))
            items = entries.values() if isinstance(entries, dict) else entries
            for item in items:
                child = item[2] if isinstance(entries, dict) else item[1]
                if child is not None and id(child) not in done:
                    stack.append((child, False))
            continue
        new: Any
        if isinstance(entries, dict):
            new = {
                k: (km + base, vm + base, done[id(c)] if c is not None else None, kl, vl)
                for k, (km, vm, c, kl, vl) in entries.items()
            }
        else:
            new = [(m + base, done[id(c)] if c is not None else None, ln) for m, c, ln in entries]
        done[id(node)] = PosMap(node.start + base, new)
    return done[id(root)]


class _Totals:
    """What one read of a file counts across its documents."""

    __slots__ = ("aliased", "bomb_reported")

    def __init__(self) -> None:
        self.aliased = 0  # nodes added by aliases: many small bombs are one big one
        self.bomb_reported = False


class _NoKey:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()
_NEVER = 1 << 62  # the count before a document's own frame: no count passes the bound from it


def _posmap_setters() -> tuple[Callable[[Any, Any], None], Callable[[Any, Any], None]]:
    """The slot setters of PosMap's two fields: an object made by ``object.__new__`` and set
    through them is ``PosMap(start, entries)``, built without a Python ``__init__`` call (there
    is one per mapping and sequence read)."""
    slots = vars(PosMap)
    return slots["start"].__set__, slots["entries"].__set__


_POSMAP_SETTERS = _posmap_setters()
_ITEM: Any = object()  # a list frame's pending key: its values are items


def _apply_merges(
    container: dict[Any, Any], entries: dict[Any, Any], merges: list[tuple[Any, Any, int, int]]
) -> list[tuple[str, int]]:
    """Merge ``<<`` values into a mapping as go-yaml v2 (sigs.k8s.io/yaml) does.

    go-yaml v2 decodes a mapping's pairs in document order and a merge writes its
    keys over what is already there (decode.go ``mapping``/``merge``): a merge
    overrides the explicit keys before it, the explicit keys after it override
    the merge, and in ``<<: [*a, *b]`` the earlier mapping wins.  Each merge is
    ``(value, child, key_mark, explicit_keys_before_it)``.  Returns the problems
    (message, mark) of merges whose value is not a mapping or a list of them.
    """
    problems: list[tuple[str, int]] = []
    explicit = list(entries.items())
    values = dict(container)
    container.clear()
    entries.clear()
    done = 0
    for value, child, kmark, before in merges:
        for key, entry in explicit[done:before]:
            container[key] = values[key]
            entries[key] = entry
        done = max(done, before)
        sources = _merge_sources(value, child)
        if sources is None:
            problems.append(
                (
                    "the value of a '<<' merge key must be a mapping or a list of mappings: "
                    "kubectl and Argo CD fail with \"map merge requires map or sequence of maps "
                    'as the value"',
                    kmark,
                )
            )
            continue
        for source, source_pos in reversed(sources):
            source_entries = source_pos.entries if source_pos is not None else {}
            for key, item in source.items():
                container[key] = item
                entries[key] = source_entries.get(key, (kmark, kmark, None, 0, 0))
    for key, entry in explicit[done:]:
        container[key] = values[key]
        entries[key] = entry
    return problems


def _merge_sources(value: Any, child: Any) -> list[tuple[dict[Any, Any], Any]] | None:
    """The mappings a ``<<`` value merges, or None when it is not a mapping or a list of them."""
    if isinstance(value, dict):
        return [(value, child)]
    if not isinstance(value, list) or child is None:
        return None
    sources: list[tuple[dict[Any, Any], Any]] = []
    for item, (_, item_child, _) in zip(value, child.entries, strict=False):
        if not isinstance(item, dict):
            return None
        sources.append((item, item_child))
    return sources


def _yaml_error_text(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        text = f"{context} {problem}" if context and context not in problem else problem
    else:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return " ".join(text.split())
