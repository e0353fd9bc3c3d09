"""A line-preserving read of a Go/Helm template: its actions masked so it parses as YAML.

Every ``{{ ... }}`` action (multi-line ones, ``{{-``/``-}}`` trimming, comments,
string literals holding ``}}``) is found by a small lexer and replaced in place:

- actions that print nothing (``if``, ``else``, ``end``, ``range``, ``with``,
  ``define``, ``$x := ...``, comments) become spaces;
- an action alone on its line that prints (``{{- include "x.labels" . | nindent 4 }}``,
  ``{{- toYaml .Values.resources | nindent 12 }}``) becomes a placeholder entry at the
  indentation it renders to (``nindent N``/``indent N``, else its column): a key
  ``<HOLE>N: ~``, or a ``- <HOLE>`` item where the lines around it are a list;
- an action inside a line (``name: {{ include "x.fullname" . }}-migrate``) becomes as
  many ``HOLE`` characters, so columns stay right.

Line breaks are kept, so every key the template writes keeps its line and column.
The read also collects, per line, the ``.Values`` key an action prints, and the
calls of nondeterministic functions (HL010).
"""

from __future__ import annotations

import re

from hooklint.sources.helm.functions import NONDETERMINISTIC
from hooklint.sources.provenance import TemplateCall as RandomCall
from hooklint.values import dataclass, field

__all__ = ["HOLE", "NONDETERMINISTIC", "Action", "MaskedTemplate", "find_actions", "mask"]

#: The placeholder character (a private-use code point: it never occurs in real YAML).
HOLE = "\ue000"

_CONTROL_WORDS = frozenset(("if", "else", "end", "range", "with", "define", "break", "continue"))
_OPENERS = frozenset(("if", "range", "with", "define", "block"))
_INDENT_RE = re.compile(r"\bn?indent\s+(\d+)")
_VALUES_RE = re.compile(r"(?<![\w$])\.Values\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)")
_ASSIGN_RE = re.compile(r"^\$([\w]+)\s*:?=")
_DEFINE_RE = re.compile(r'^(?:define|block)\s+"([^"]*)"')
_INCLUDE_RE = re.compile(r'(?<![\w.$])(?:include|template)\s+"([^"]*)"')
_NONDET_RE = re.compile(r"(?<![\w.$])(" + "|".join(NONDETERMINISTIC) + r")\b")
_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'')


@dataclass(frozen=True)
class Action:
    """One ``{{ ... }}``: where it is (0-based offsets into the text) and what it does."""

    start: int
    end: int  # just after the closing braces
    body: str  # the text between the delimiters, trim markers and spaces removed
    prints: bool  # False for control actions, assignments and comments


@dataclass
class MaskedTemplate:
    """The masked text and what the masking saw."""

    text: str
    actions: list[Action]
    values_keys: dict[int, str] = field(default_factory=dict)  # 1-based line -> values key
    random_calls: list[RandomCall] = field(default_factory=list)
    #: helper name -> the nondeterministic function it prints (for helpers files)
    random_defines: dict[str, str] = field(default_factory=dict)
    #: helper name -> the helpers it includes
    define_includes: dict[str, set[str]] = field(default_factory=dict)
    #: ``(0-based line, column, helper)`` of each printing ``include``/``template`` outside defines
    includes: list[tuple[int, int, str]] = field(default_factory=list)
    only_defines: bool = False  # nothing but ``define`` blocks and whitespace (``_helpers.tpl``)
    #: 0-based line -> the ``.Values`` path a ``toYaml`` action there prints whole (:mod:`.values_refs`)
    values_blocks: dict[int, tuple[str, ...]] = field(default_factory=dict)


def find_actions(text: str) -> list[Action]:
    """Every action in ``text``, in order (an unterminated ``{{`` runs to the end)."""
    actions: list[Action] = []
    position = 0
    length = len(text)
    while True:
        start = text.find("{{", position)
        if start < 0:
            return actions
        i = start + 2
        comment = text.startswith("/*", i) or text.startswith("- /*", i)
        end = length
        while i < length:
            char = text[i]
            if comment:
                close = text.find("*/", i)
                if close < 0:
                    break
                brace = text.find("}}", close + 2)
                end = brace + 2 if brace >= 0 else length
                break
            if char in "\"`'":
                match = _STRING_RE.match(text, i)
                i = match.end() if match else i + 1
                continue
            if char == "}" and text.startswith("}}", i):
                end = i + 2
                break
            i += 1
        raw = (
            text[start + 2 : end - 2] if end <= length and text.endswith("}}", 0, end) else text[start + 2 :]
        )
        body = raw
        if body.startswith("-") and body[1:2] in (" ", "\t", "\n", "\r", "/"):
            body = body[1:]
        if body.endswith("-") and body[-2:-1] in (" ", "\t", "\n", "\r", "/"):
            body = body[:-1]
        body = body.strip()
        actions.append(Action(start, end, body, _prints(body)))
        position = end


def _prints(body: str) -> bool:
    if not body or body.startswith("/*"):
        return False
    word = re.split(r"[\s(]", body, maxsplit=1)[0]
    if word in _CONTROL_WORDS:
        return False
    return _ASSIGN_RE.match(body) is None


def _code(body: str) -> str:
    """The action's code with string literals blanked (function names inside strings are text)."""
    return _STRING_RE.sub(lambda m: '""', body)


def mask(text: str) -> MaskedTemplate:
    """Mask every action of ``text`` (see the module doc); never raises."""
    actions = find_actions(text)
    chars = list(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    block_lines: dict[int, int] = {}  # 0-based line -> indentation of its placeholder
    for number, action in enumerate(actions):
        start, end = action.start, min(action.end, len(text))
        first_line = _line_of(line_starts, start)
        if not action.prints:
            _blank(chars, start, end)
            continue
        line_start = line_starts[first_line]
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = "".join(chars[line_start:start])
        after = text[end:line_end]
        if not before.strip() and not _has_text_outside(after, actions, number + 1, end, line_end):
            _blank(chars, start, end)
            indent = _INDENT_RE.search(action.body)
            block_lines[first_line] = int(indent.group(1)) if indent else start - line_start
            continue
        # inline: same-length placeholder on the first line, blanks on the others
        first_end = text.find("\n", start, end)
        first_end = end if first_end < 0 else first_end
        for i in range(start, first_end):
            chars[i] = HOLE
        _blank(chars, first_end, end)
        if first_end - start >= 5 and before.rstrip().endswith("-") and _INDENT_RE.search(action.body):
            # ``- {{ toYaml $item | nindent 8 | trim }}``: a mapping item, more keys may follow
            chars[first_end - 3 : first_end] = [":", " ", "~"]
    masked = "".join(chars)
    if actions:  # lines left blank by masking must be empty: a block scalar takes its indent from them
        touched: set[int] = set()
        for a in actions:
            last = _line_of(line_starts, max(a.start, min(a.end, len(text)) - 1))
            touched.update(range(_line_of(line_starts, a.start), last + 1))
        lines = masked.split("\n")
        for number in touched:
            if number < len(lines) and not lines[number].strip():
                lines[number] = "\r" if lines[number].endswith("\r") else ""
        masked = "\n".join(lines)
    if block_lines:
        masked = _place_blocks(masked, block_lines)
    result = MaskedTemplate(masked, actions)
    _collect(text, line_starts, result)
    if "toYaml" in text:
        from hooklint.sources.helm.values_refs import values_blocks

        result.values_blocks = values_blocks(actions, [_line_of(line_starts, a.start) for a in actions])
    return result


def _has_text_outside(after: str, actions: list[Action], first: int, offset: int, line_end: int) -> bool:
    """Is there text on the rest of the line that is not a (non-printing) action?"""
    if not after.strip():
        return False
    rest = list(after)
    for action in actions[first:]:
        if action.start >= line_end:
            break
        if action.prints:
            return True
        for i in range(action.start - offset, min(action.end, line_end) - offset):
            rest[i] = " "
    return bool("".join(rest).strip())


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, min(end, len(chars))):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _line_of(line_starts: list[int], offset: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if line_starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _place_blocks(masked: str, block_lines: dict[int, int]) -> str:
    """Write each printing action that stands alone as an entry of the mapping or list around it."""
    lines = masked.split("\n")
    counter = 0
    for number in sorted(block_lines):
        indent = block_lines[number]
        item = False
        orphan = indent > 0  # nothing before it in the document: an action printing nothing there
        for previous in range(number - 1, -1, -1):
            text = lines[previous].rstrip("\r")
            stripped = text.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("---"):
                break
            orphan = False
            own = len(text) - len(stripped)
            if own == indent and (stripped == "-" or stripped.startswith("- ")):
                item = True
            opens = stripped.split(" #")[0].rstrip().endswith(":") or stripped.startswith("- ")
            if own < indent and not opens:
                orphan = True  # deeper than any block that could hold it
            if own <= indent:
                break
        if orphan:
            continue
        if not item:  # a list that starts here: the next entry line tells
            for following in range(number + 1, len(lines)):
                stripped = lines[following].lstrip(" ")
                if not stripped.strip() or stripped.startswith("#"):
                    continue
                own = len(lines[following]) - len(stripped)
                item = own == indent and (stripped.rstrip() == "-" or stripped.startswith("- "))
                break
        counter += 1
        cr = "\r" if lines[number].endswith("\r") else ""
        entry = f"- {HOLE}{counter}" if item else f"{HOLE}{counter}: ~"
        lines[number] = " " * indent + entry + cr
    return "\n".join(lines)


def _collect(text: str, line_starts: list[int], result: MaskedTemplate) -> None:
    """Values keys per line, nondeterministic calls, helper definitions."""
    stack: list[str | None] = []  # open blocks; a define's name, None for other blocks
    define_starts: list[int] = []
    define_spans: list[tuple[int, int]] = []
    assigned: dict[str, str] = {}  # $var -> the function whose result it holds
    only_defines = True
    printed_outside = False
    for action in result.actions:
        code = _code(action.body)
        word = re.split(r"[\s(]", action.body, maxsplit=1)[0] if action.body else ""
        define = next((name for name in reversed(stack) if name is not None), None)
        line = _line_of(line_starts, action.start)
        column = action.start - line_starts[line]
        if word in _OPENERS:
            name = _DEFINE_RE.match(action.body)
            is_define = bool(name) and word == "define"
            stack.append(name.group(1) if name and word in ("define", "block") else None)
            if is_define:
                define_starts.append(action.start)
        elif word == "end" and stack:
            closed = stack.pop()
            if closed is not None and define_starts and not any(n is not None for n in stack):
                define_spans.append((define_starts.pop(), action.end))
        if (
            define is None
            and word not in ("define", "end")
            and action.body
            and not action.body.startswith("/*")
        ):
            only_defines = False
        if action.prints and define is None:
            printed_outside = True
        random = _NONDET_RE.search(code)
        assignment = _ASSIGN_RE.match(action.body)
        if assignment and random:
            assigned[assignment.group(1)] = random.group(1)
            continue
        if define is not None:
            includes = set(_INCLUDE_RE.findall(action.body))
            if includes:
                result.define_includes.setdefault(define, set()).update(includes)
            if random and action.prints:
                result.random_defines.setdefault(define, random.group(1))
            continue
        if not action.prints:
            continue
        result.includes.extend((line, column, name) for name in _INCLUDE_RE.findall(action.body))
        values = _VALUES_RE.findall(code)
        if len(set(values)) == 1:
            result.values_keys[line + 1] = values[0]
        if random:
            result.random_calls.append(RandomCall(line, column, random.group(1)))
            continue
        for var, function in assigned.items():
            if re.search(r"\$" + re.escape(var) + r"\b", code):
                result.random_calls.append(RandomCall(line, column, function, f"${var}"))
                break
    chars = list(text)
    for action in result.actions:
        _blank(chars, action.start, action.end)
    for start, end in define_spans:
        _blank(chars, start, end)
    result.only_defines = only_defines and not printed_outside and not "".join(chars).strip()
