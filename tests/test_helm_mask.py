"""The line-preserving masked read of Go templates, and matching rendered paths against it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.sources.helm.mapping import unmask
from hooklint.sources.helm.mask import HOLE, find_actions, mask
from hooklint.yaml.reader import parse_yaml


def parsed(text: str) -> object:
    docs, problems = parse_yaml(mask(text).text)
    assert not [p for p in problems if p.fatal], problems
    return docs[0].value


def test_control_actions_become_empty_lines() -> None:
    text = "{{- if .Values.on }}\nkind: Job\n{{- end }}\n"
    masked = mask(text).text
    assert masked.split("\n") == ["", "kind: Job", "", ""]


def test_inline_actions_keep_every_column() -> None:
    text = 'metadata:\n  name: {{ include "x.name" . }}-migrate\n  namespace: prod\n'
    masked = mask(text).text
    assert masked.split("\n")[1] == "  name: " + HOLE * len('{{ include "x.name" . }}') + "-migrate"
    assert masked.split("\n")[2] == "  namespace: prod"


def test_a_printing_action_alone_on_its_line_is_an_entry_at_its_nindent() -> None:
    text = 'metadata:\n  labels:\n      {{- include "x.labels" . | nindent 4 }}\n    team: a\n'
    assert mask(text).text.split("\n")[2] == f"    {HOLE}1: ~"
    assert parsed(text) == {"metadata": {"labels": {f"{HOLE}1": None, "team": "a"}}}


def test_a_printing_action_between_list_items_is_an_item() -> None:
    text = "env:\n  - name: A\n    value: b\n  {{- toYaml .Values.extraEnv | nindent 2 }}\n"
    assert parsed(text) == {"env": [{"name": "A", "value": "b"}, f"{HOLE}1"]}


def test_multi_line_actions_keep_the_lines_after_them() -> None:
    text = "a: {{\n  .Values.x\n  | default 1 }}\nb: 2\n"
    masked = mask(text).text
    assert masked.count("\n") == text.count("\n")
    assert masked.split("\n")[3] == "b: 2"
    assert parsed(text) == {"a": HOLE * 2, "b": 2}


def test_comments_and_strings_holding_braces() -> None:
    text = '{{/* a }} comment\n spanning lines */}}\nk: {{ printf "}}" }}\n'
    actions = find_actions(text)
    assert [a.prints for a in actions] == [False, True]
    assert actions[1].body == 'printf "}}"'
    assert parsed(text) == {"k": HOLE * len('{{ printf "}}" }}')}


def test_trim_markers_are_not_part_of_the_action_body() -> None:
    assert [a.body for a in find_actions("{{- .Values.a -}} {{-.Values.b}} {{ - 1 }}")] == [
        ".Values.a",
        "-.Values.b",
        "- 1",
    ]


def test_block_scalars_keep_their_indentation() -> None:
    text = "data:\n  config: |\n    {{- if .Values.x }}\n    a: {{ .Release.Name }}\n    {{- end }}\n"
    # the masked `if` line is empty, so the scalar keeps the indentation of its content
    assert parsed(text) == {"data": {"config": "\na: " + HOLE * len("{{ .Release.Name }}") + "\n"}}


def test_values_keys_and_random_calls_are_collected() -> None:
    text = (
        "{{- $pw := randAlphaNum 16 }}\n"
        "a: {{ .Values.job.backoffLimit | default 3 }}\n"
        "b: {{ $pw | b64enc }}\n"
        'c: {{ now | date "2006" }}\n'
        'd: {{ printf "randAlpha" }}\n'
        "e: {{ .Values.now }}\n"
    )
    masked = mask(text)
    assert masked.values_keys == {2: "job.backoffLimit", 6: "now"}
    assert [(c.line, c.function, c.via) for c in masked.random_calls] == [
        (2, "randAlphaNum", "$pw"),
        (3, "now", ""),
    ]


def test_helpers_files_are_only_defines() -> None:
    helpers = mask('{{- define "a" -}}\nx: {{ uuidv4 }}\n{{- end }}\n\n{{/* note */}}\n')
    assert helpers.only_defines
    assert helpers.random_defines == {"a": "uuidv4"}
    assert not mask('{{- define "a" }}{{ end }}\nkind: Job\n').only_defines


def test_unmask_drops_placeholder_entries_and_records_holes() -> None:
    text = 'metadata:\n  name: job-{{ .Release.Name }}\n  labels:\n    {{- include "l" . | nindent 4 }}\n    a: b\n'
    docs, _ = parse_yaml(mask(text).text)
    value, _, holes = unmask(docs[0].value, docs[0].positions)
    assert value == {"metadata": {"name": "job-{{…}}", "labels": {"a": "b"}}}
    assert holes == {("metadata", "name"), ("metadata", "labels")}


_FRAGMENTS = st.sampled_from(
    [
        "{{ .Values.a }}",
        "{{- if .Values.b }}",
        "{{- end }}",
        "{{/* c\n */}}",
        '{{ include "x" . | nindent 4 }}',
        "{{\n .Values.d\n }}",
        "key: value",
        "\n",
        "  ",
        "- item",
        '"{{ quoted }}"',
        "# comment {{ x }}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30))
def test_masking_keeps_lines_and_the_text_outside_actions(parts: list[str]) -> None:
    text = "".join(parts)
    masked = mask(text)
    assert masked.text.count("\n") == text.count("\n")
    lines, original = masked.text.split("\n"), text.split("\n")
    touched = {
        line
        for a in masked.actions
        for line in range(text.count("\n", 0, a.start), text.count("\n", 0, max(a.start, a.end - 1)) + 1)
    }
    for number, line in enumerate(original):
        if number not in touched:
            assert lines[number] == line
    assert "{{" not in masked.text.replace(HOLE, "")
