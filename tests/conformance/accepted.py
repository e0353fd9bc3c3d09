"""The differences from go-yaml that hooklint accepts, each with its reason.

The conformance suite classifies every difference it finds with ACCEPTED; one no
entry matches fails the suite, and so does an entry the inputs never exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tests.conformance.compare import Difference


@dataclass(frozen=True)
class Accepted:
    name: str
    reason: str
    matches: Callable[[Difference], bool]
    random: bool = False  # go's result depends on Go's random map order: it may not show


ACCEPTED: tuple[Accepted, ...] = (
    Accepted(
        "duplicate-key-warning",
        "go-yaml v2's Unmarshal, used by sigs.k8s.io/yaml.YAMLToJSON, keeps the last of two equal "
        "keys silently; hooklint reads the same value but reports the duplicate (HL000), since "
        "strict decoders (kubectl's field validation, the API server) refuse it",
        lambda d: d.kind == "hooklint-error-only" and d.hooklint.startswith("duplicate key "),
    ),
    Accepted(
        "python-tag-warning",
        "go-yaml keeps the text of an unknown tag such as !!python/name:os.system; hooklint reads "
        "the same string but reports the tag, which only a Python loader would act on",
        lambda d: d.kind == "hooklint-error-only" and "is not allowed: hooklint" in d.hooklint,
    ),
    Accepted(
        "typed-key-collision",
        "two keys that go-yaml types apart but YAMLToJSON prints alike (1: and '1':) are two "
        "entries of a Go map, and YAMLToJSON keeps whichever Go's random map order gives last; "
        "hooklint keeps the last in the file and reports the duplicate key",
        lambda d: d.kind == "value" and any(n.startswith("duplicate key ") for n in d.notes),
        random=True,
    ),
    Accepted(
        "json-stream",
        "a stream whose first non-blank character is '{' is read by apimachinery's "
        "YAMLOrJSONDecoder (kubectl, and Argo CD's kube.SplitYAMLToString) as JSON values first, "
        "so JSON-only syntax ('\\/', '{..}' '{..}' as two documents) reads there and not in "
        "hooklint, which reads every stream as YAML; JSON that is also YAML reads alike",
        lambda d: d.json_stream,
    ),
    Accepted(
        "unicode-line-break-in-plain-scalar",
        "go-yaml (YAML 1.1) ends a line at U+2028 outside quotes, so 'a: <LS>b' is a key 'b' with "
        "no ':' and the document fails; libyaml and ruamel's scanner keep 'b' as the value. Such "
        "a character outside quotes is invisible in editors and absent from real manifests",
        lambda d: d.kind == "go-error-only" and d.unicode_breaks,
    ),
)


def classify(difference: Difference) -> Accepted | None:
    for accepted in ACCEPTED:
        if accepted.matches(difference):
            return accepted
    return None
