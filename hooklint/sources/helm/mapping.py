"""Rendered documents -> template positions, by matching YAML paths against the masked template.

The rendered document keeps its tree (what Argo CD applies); its PosMap is rebuilt
with the template's marks (see :mod:`hooklint.sources.provenance`):

- a key the template writes literally gets the template key's and value's marks;
- a key a Go action produces (``include``, ``toYaml``, a values-driven block) gets the
  mark of that action (the placeholder the masked read put there);
- a key found nowhere gets its parent's key mark, which is also where
  ``Document.locate`` puts a missing key (``spec:`` for a missing ``backoffLimit``);
- list items are matched by their ``name``, then by index, then to a ``range``'s item.

Several documents from one template file are matched to the template's documents by
kind and name, then by order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from hooklint.model import PosMap, YamlPath
from hooklint.sources.helm.mask import HOLE
from hooklint.sources.provenance import HOLE_TEXT, constant
from hooklint.yaml.reader import ParsedDocument

if TYPE_CHECKING:
    from hooklint.sources.helm.values_files import ValuesMap

_HOLE_RUN = re.compile(HOLE + "+[0-9]*")
_BLOCK = re.compile(HOLE + "[0-9]+")


def _literal(value: Any) -> str | None:
    """A string the template writes without any action, else None."""
    return value if isinstance(value, str) and HOLE not in value else None


@lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern[str]:
    parts = _HOLE_RUN.split(text)
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


def _fits(template: Any, rendered: Any) -> bool:
    """Can a template string with actions render as ``rendered``?"""
    if not isinstance(template, str) or not isinstance(rendered, str) or HOLE not in template:
        return False
    return _pattern(template).fullmatch(rendered) is not None


def match_documents(
    rendered: Sequence[tuple[Any, Any]], template: Sequence[ParsedDocument]
) -> list[int | None]:
    """For each rendered object's (kind, name), the index in ``template`` of its document."""
    out: list[int | None] = []
    last = 0
    for kind, name in rendered:
        best: list[int] = []
        best_score = 0
        for number, doc in enumerate(template):
            value = doc.value if isinstance(doc.value, dict) else {}
            score = _score(value.get("kind"), kind, 4, 1)
            if score < 0:
                continue
            score += max(_score(_name(value), name, 2, 1), 0)
            if score > best_score:
                best, best_score = [number], score
            elif score == best_score and score > 0:
                best.append(number)
        if not best:
            out.append(None)
            continue
        choice = next((n for n in best if n >= last), best[0])
        last = choice
        out.append(choice)
    return out


def _name(obj: dict[str, Any]) -> Any:
    meta = obj.get("metadata")
    return meta.get("name", meta.get("generateName")) if isinstance(meta, dict) else None


def _score(template: Any, rendered: Any, exact: int, loose: int) -> int:
    if _literal(template) is not None:
        return exact if template == rendered else -1
    if template is None or _fits(template, rendered):
        return loose
    return 0 if isinstance(template, str) else -1


def remap(
    rendered: Any,
    positions: PosMap,
    template: ParsedDocument | None,
    fallback: int,
    values: ValuesMap | None = None,
) -> PosMap:
    """``positions``' shape with the template's marks (``fallback`` when nothing matches).

    With ``values``, what a ``toYaml`` of values prints gets the marks of the values
    files where each key is written (:mod:`.values_files`).
    """
    if template is None or template.positions is None:
        return constant(rendered, fallback) or PosMap(fallback, {})
    return _remap(
        rendered, positions, template.value, template.positions, template.start, template.start, values
    )


def _remap(
    rvalue: Any,
    rpos: PosMap,
    tvalue: Any,
    tpos: PosMap | None,
    key_mark: int,
    value_mark: int,
    values: ValuesMap | None,
) -> PosMap:
    if tpos is None or type(rpos.entries) is not type(tpos.entries):
        # the template has a scalar (an action) or another shape here: all of it comes from there
        from_values = values.tree(value_mark, rvalue) if values is not None else None
        if from_values is not None:
            return from_values
        return constant(rvalue, value_mark) or PosMap(value_mark, rpos.entries)
    if isinstance(rpos.entries, dict):
        return _remap_mapping(rvalue, rpos, tvalue, tpos, key_mark, values)
    return _remap_sequence(rvalue, rpos, tvalue, tpos, key_mark, values)


def _remap_mapping(
    rvalue: Any, rpos: PosMap, tvalue: Any, tpos: PosMap, key_mark: int, values: ValuesMap | None
) -> PosMap:
    tentries: dict[Any, tuple[int, int, PosMap | None, int, int]] = tpos.entries
    holes = [(k, e) for k, e in tentries.items() if isinstance(k, str) and HOLE in k]
    blocks = [e[0] for k, e in holes if _BLOCK.fullmatch(k)]  # a block an action prints here
    holes = [(k, e) for k, e in holes if not _BLOCK.fullmatch(k)]
    block = blocks[0] if blocks else None
    out: dict[Any, tuple[int, int, PosMap | None, int, int]] = {}
    tdict = tvalue if isinstance(tvalue, dict) else {}
    for key, (_, _, child, _, _) in rpos.entries.items():
        sub = rvalue.get(key) if isinstance(rvalue, dict) else None
        entry = tentries.get(key)
        if entry is None:
            entry = next((e for k, e in holes if _fits(k, key)), None)
            if entry is None:
                from_values = next(
                    (e for e in (values.entry(b, key, sub) for b in blocks) if e is not None), None
                ) if values is not None else None
                if from_values is not None:  # ``toYaml .Values.x``: where the user wrote the key
                    out[key] = from_values
                    continue
                mark = block if block is not None else key_mark
                out[key] = (mark, mark, constant(sub, mark), 0, 0)
                continue
            tkey = next(k for k, e in holes if e is entry)
        else:
            tkey = key
        tk, tv, tchild, tklen, tvlen = entry
        out[key] = (
            tk,
            tv,
            _remap(sub, child, tdict.get(tkey), tchild, tk, tv, values) if child is not None else None,
            tklen,
            tvlen,
        )
    return PosMap(tpos.start, out)


def _remap_sequence(
    rvalue: Any, rpos: PosMap, tvalue: Any, tpos: PosMap, key_mark: int, values: ValuesMap | None
) -> PosMap:
    titems: list[tuple[int, PosMap | None, int]] = tpos.entries
    tlist = tvalue if isinstance(tvalue, list) else []
    if not titems:
        return constant(rvalue, key_mark) or PosMap(key_mark, [])
    rlist = rvalue if isinstance(rvalue, list) else []
    same_length = len(titems) == len(rpos.entries)
    hole_items = [n for n, v in enumerate(tlist) if not isinstance(v, (dict, list)) and _literal(v) is None]
    out: list[tuple[int, PosMap | None, int]] = []
    for index, (_, child, _) in enumerate(rpos.entries):
        item = rlist[index] if index < len(rlist) else None
        choice = _item_choice(item, index, tlist, same_length, hole_items, len(titems))
        tmark, tchild, tlen = titems[choice]
        tsub = tlist[choice] if choice < len(tlist) else None
        if values is not None and len(titems) == 1 and _HOLE_RUN.fullmatch(str(tsub)):
            from_values = values.item(tmark, index, item)  # a list only ``toYaml .Values.x`` prints
            if from_values is not None:
                out.append(from_values)
                continue
        mapped = _remap(item, child, tsub, tchild, tmark, tmark, values) if child is not None else None
        out.append((tmark, mapped, tlen))
    return PosMap(tpos.start, out)


def _item_choice(
    item: Any, index: int, tlist: list[Any], same_length: bool, hole_items: list[int], count: int
) -> int:
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        for number, candidate in enumerate(tlist):
            if isinstance(candidate, dict) and (
                candidate.get("name") == item["name"] or _fits(candidate.get("name"), item["name"])
            ):
                return number
    if same_length:
        return index
    if not isinstance(item, (dict, list)):
        for number, candidate in enumerate(tlist):
            if candidate == item and _literal(candidate) is not None:
                return number
    if hole_items:
        return hole_items[0]
    return min(index, count - 1)


# -- templates linted without rendering ---------------------------------------------------


def unmask(value: Any, positions: PosMap | None) -> tuple[Any, PosMap | None, frozenset[YamlPath]]:
    """A masked template document as a manifest: placeholders shown as ``{{…}}``, and its holes.

    Placeholder entries (a block an action prints) are dropped, and the paths of
    the mappings and lists they were in are holes; so are strings with actions.
    """
    holes: set[YamlPath] = set()
    new_value, new_positions = _unmask(value, positions, (), holes)
    return new_value, new_positions, frozenset(holes)


def _unmask(
    value: Any, positions: PosMap | None, path: YamlPath, holes: set[YamlPath]
) -> tuple[Any, PosMap | None]:
    if isinstance(value, str):
        if HOLE in value:
            holes.add(path)
            return _HOLE_RUN.sub(HOLE_TEXT, value), positions
        return value, positions
    if isinstance(value, dict) and positions is not None and isinstance(positions.entries, dict):
        out: dict[Any, Any] = {}
        entries: dict[Any, tuple[int, int, PosMap | None, int, int]] = {}
        for key, sub in value.items():
            entry = positions.entries.get(key)
            if isinstance(key, str) and HOLE in key:
                holes.add(path)
                if _HOLE_RUN.fullmatch(key):
                    continue
                shown = _HOLE_RUN.sub(HOLE_TEXT, key)
            else:
                shown = key
            new_sub, new_child = _unmask(sub, entry[2] if entry else None, (*path, shown), holes)
            out[shown] = new_sub
            if entry is not None:
                entries[shown] = (entry[0], entry[1], new_child, entry[3], entry[4])
        return out, PosMap(positions.start, entries)
    if isinstance(value, list) and positions is not None and isinstance(positions.entries, list):
        items: list[Any] = []
        marks: list[tuple[int, PosMap | None, int]] = []
        for number, (sub, (mark, child, length)) in enumerate(zip(value, positions.entries, strict=False)):
            if isinstance(sub, str) and _HOLE_RUN.fullmatch(sub):
                holes.add(path)
                continue
            new_sub, new_child = _unmask(sub, child, (*path, len(items)), holes)
            del number
            items.append(new_sub)
            marks.append((mark, new_child, length))
        return items, PosMap(positions.start, marks)
    return value, positions
