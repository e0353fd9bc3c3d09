"""Scalars and keys as go-yaml v2 and sigs.k8s.io/yaml type them.

resolve.go ``resolve`` for plain scalars and explicit tags; YAMLToJSON's
``convertToJSONableObject`` for keys (typed, then printed: ``on:`` is ``"true"``,
``1.10:`` is ``"1.1"``) and for what JSON cannot hold (``.inf``, null keys).
"""

from __future__ import annotations

import sys

from hooklint.lazyre import lazy
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

intern = sys.intern

_YAML_TAG = "tag:yaml.org,2002:"

_NAN = float("nan")
_INF = float("inf")
# go-yaml v2 resolve.go resolveMap: the plain scalars typed by their whole text
_RESOLVE_MAP: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), _NAN),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), _INF),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -_INF),
}
_MISS = object()
_NUMERIC_FIRST = frozenset("0123456789-+")
_MAYBE_TYPED_FIRST = frozenset("0123456789-+.~nNyYtTfFoO")
# Go's strconv.ParseInt/ParseUint with base 0 (underscores are removed before)
_GO_INT_RE = lazy(r"([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)")
#: every character _GO_INT_RE and _FLOAT_RE can match: a text with another matches neither
_INT_CHARS = "+-0123456789abcdefABCDEFxXoO"
_FLOAT_CHARS = "+-.0123456789eE"
# go-yaml's yamlStyleFloat
_FLOAT_RE = lazy(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# Go's ParseFloat on a text starting with ".": underscores only between digits
_DOT_FLOAT_RE = lazy(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")
_TIMESTAMP_RE = lazy(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
    r"|[ ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?"
)
_INT64 = 2**63
_UINT64 = 2**64
_GO_TYPE = {bool: "!!bool", int: "!!int", float: "!!float", str: "!!str", type(None): "!!null"}
KEY_CACHE: dict[str, Any] = {}
_KEY_CACHE_LIMIT = 100_000


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar as go-yaml v2 does when decoding into interface{}.

    resolve.go ``resolve``: the fixed words first; a text starting with ``.`` is
    ParseFloat's; one starting with a digit or sign loses its underscores, then is
    an int64, a uint64, or a float when it matches ``yamlStyleFloat``.  Timestamps
    stay strings (go-yaml v2 keeps them so for interface{}).
    """
    if not text:
        return None
    first = text[0]
    if first not in _MAYBE_TYPED_FIRST:
        return text
    hit = _RESOLVE_MAP.get(text, _MISS)
    if hit is not _MISS:
        return hit
    if first == ".":
        if _DOT_FLOAT_RE.fullmatch(text):
            return _finite_float(text.replace("_", ""), text)
        return text
    if first not in _NUMERIC_FIRST:
        return text
    plain = text.replace("_", "") if "_" in text else text
    value = _go_int(plain)
    if value is not None:
        return value
    # a character no float has ("128Mi", "10m"): no regex (its compile costs a small run 0.2 ms)
    if not plain.strip(_FLOAT_CHARS) and _FLOAT_RE.fullmatch(plain):
        return _finite_float(plain, text)
    return text


def _go_int(plain: str) -> int | None:
    """ParseInt(plain, 0, 64), else ParseUint(plain, 0, 64), else None."""
    if plain.isdigit() and plain.isascii() and plain[0] != "0":  # "80", "3": no regex needed
        return go_int_of("", plain)
    if plain.strip(_INT_CHARS):  # a character no int literal has ("128Mi", "1.5")
        return None
    match = _GO_INT_RE.fullmatch(plain)
    return go_int_of(*match.groups()) if match is not None else None


def go_int_of(sign: str, body: str) -> int | None:
    """The int of ``_GO_INT_RE``'s groups (sign, digits with any base prefix) in 64 bits, or None."""
    if len(body) > 70:  # far past 64 bits in any base
        return None
    prefix = body[:2]
    if prefix in ("0x", "0X"):
        value = int(body[2:], 16)
    elif prefix in ("0b", "0B"):
        value = int(body[2:], 2)
    elif prefix in ("0o", "0O"):
        value = int(body[2:], 8)
    elif len(body) > 1 and body[0] == "0":
        value = int(body[1:], 8)
    else:
        value = int(body)
    if sign == "-":
        value = -value
    if -_INT64 <= value < _INT64 or (not sign and value < _UINT64):
        return value
    return None


def _finite_float(plain: str, text: str) -> float | str:
    """go-yaml's ParseFloat: out of range (``1e400``) is an error, so the scalar stays a string."""
    value = float(plain)
    return text if value in (_INF, -_INF) else value


def explicit(tag: str, text: str) -> tuple[Any, str | None, str | None]:
    """A scalar with an explicit tag: its value, a problem to report, and go-yaml's refusal.

    resolve.go ``resolve`` with a tag: ``!!str`` keeps the text, ``!!int``,
    ``!!float``, ``!!bool``, ``!!null`` and ``!!timestamp`` must resolve to that
    type (an int is also a ``!!float``), else the document fails ("cannot decode
    !!float `1.5` as a !!int"); other tags keep the text.
    """
    if tag.startswith("!!"):
        tag = _YAML_TAG + tag[2:]
    if not tag.startswith(_YAML_TAG):
        return text, None, None  # application tags (!Ref, ...) are tolerated; the text is kept
    short = tag[len(_YAML_TAG) :]
    if short == "str":
        return text, None, None
    if short == "binary":
        value, problem = _binary(text)
        return value, None, problem
    if short in ("int", "float", "bool", "null", "timestamp"):
        if short == "timestamp" and _TIMESTAMP_RE.fullmatch(text):
            return text, None, None
        value = resolve_plain(text)
        kind = _GO_TYPE.get(type(value), "!!str")
        if kind == "!!" + short:
            return value, None, None
        if short == "float" and kind == "!!int":
            return float(value), None, None
        return text, None, (
            f"cannot decode {kind} `{text}` as a !!{short}: kubectl and Argo CD refuse the "
            "document; fix the value or drop the tag"
        )
    if short.startswith("python/"):
        return text, (
            f"tag !!{short} is not allowed: hooklint (like kubectl and Argo CD) "
            "never constructs language objects; remove the tag"
        ), None
    return text, None, None


def not_json(raw: str, value: float) -> str:
    go = "NaN" if value != value else ("+Inf" if value > 0 else "-Inf")
    return (
        f"{raw!r} is {'not a number' if go == 'NaN' else 'infinite'}, which JSON cannot hold: "
        f'kubectl and Argo CD fail with "json: unsupported value: {go}"; quote it for a string'
    )


@dataclass(frozen=True)
class BadKey:
    """A key YAMLToJSON refuses: the text it is shown as, and why."""

    text: str
    message: str


def plain_key(raw: str) -> Any:
    """A plain key as sigs.k8s.io/yaml's YAMLToJSON prints it (cached: keys repeat)."""
    key = typed_key(resolve_plain(raw), raw)
    if type(key) is str:
        key = intern(key)
    if len(KEY_CACHE) >= _KEY_CACHE_LIMIT:
        KEY_CACHE.clear()
    KEY_CACHE[raw] = key
    return key


def typed_key(value: Any, raw: str) -> Any:
    """YAMLToJSON's ``convertToJSONableObject`` key conversion; a BadKey when it fails."""
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        if value >= _INT64:
            return BadKey(raw, (
                f"key {raw} is past the int64 range, so go-yaml reads it as a uint64: kubectl and "
                'Argo CD fail with "Unsupported map key of type: uint64"; quote the key'
            ))
        return str(value)
    if kind is float:
        return go_float32_text(value)
    if value is None:
        return BadKey(raw or "<empty>", (
            f"the key {raw or '(empty)'!s} is null: kubectl and Argo CD fail with "
            '"Unsupported map key of type: <nil>"; quote the key'
        ))
    return value


def go_float32_text(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's names for inf and NaN."""
    if value != value:
        return ".nan"
    import struct  # a float key is rare: not imported by every run

    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = _INF if value > 0 else -_INF
    if single in (_INF, -_INF):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if str(value).startswith("-") else "0"
    for precision in range(1, 10):  # the shortest digits that read back as the same float32
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, _, exponent_text = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    if exponent < -4 or exponent >= 6:  # %e: shortest formatting decides with precision 6
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent >= 0:
        whole = digits[: exponent + 1].ljust(exponent + 1, "0")
        fraction = digits[exponent + 1 :]
        return sign + whole + ("." + fraction if fraction else "")
    return f"{sign}0.{'0' * (-exponent - 1)}{digits}"


def key_of(value: Any) -> str:
    """A mapping key as text for a plain YAML stream (configs): no Kubernetes typing."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value)
    return "<complex key>"


def _binary(text: str) -> tuple[Any, str | None]:
    """``!!binary``: go-yaml decodes the base64 (ignoring line breaks) into a string."""
    import base64
    import binascii

    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return text, (
            'this !!binary value is not valid base64: kubectl and Argo CD fail with "!!binary '
            'value contains invalid base64 data"; fix the data or drop the tag'
        )
    return data.decode("utf-8", "replace"), None
