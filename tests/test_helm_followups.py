"""Helm follow-ups: --set values escaped as Argo CD escapes helm.parameters, --show-files
naming a chart's files as helm, values-driven keys reported in the values file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.sources.helm.render import command, set_parameter
from hooklint.sources.helm.settings import ChartSettings
from tests.helm_tools import HELMS, check, report, write_chart


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


# -- --set as Argo CD passes helm.parameters (cleanSetParameters, util/helm/cmd.go) ---------


@pytest.mark.parametrize(
    ("given", "passed"),
    [
        ("tags=a,b", "tags=a\\,b"),
        ("tags=a\\,b", "tags=a\\,b"),  # already escaped: kept
        ("tags={a,b}", "tags={a,b}"),  # a helm list: kept
        ("a.b=1", "a.b=1"),
        ("k,x=1,2,3", "k,x=1\\,2\\,3"),  # only the value is escaped
        ("url=x=y,z", "url=x=y\\,z"),  # the name ends at the first "="
        ("novalue", "novalue"),
    ],
)
def test_set_values_have_their_commas_escaped_as_argocd_does(given: str, passed: str) -> None:
    assert set_parameter(given) == passed


def test_the_command_escapes_every_set() -> None:
    args = command("helm", "r", ChartSettings(set=("a=1,2", "b={x,y}")))
    assert args[args.index("--set") : args.index("--set") + 4] == ["--set", "a=1\\,2", "--set", "b={x,y}"]


WAVE_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: {{ .Values.wave | quote }}
"""


@pytest.mark.parametrize("helm", HELMS)
def test_a_set_value_with_a_comma_renders_as_in_argocd(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"cm.yaml": WAVE_CM}, values="wave: 0\n")
    found, err = report(["demo", "--helm", helm, "--set", "wave=1,2", "--select", "HL002"], capsys)
    assert "Traceback" not in err
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in found] == [
        ("HL002", "demo/templates/cm.yaml", 6, 35)
    ]
    assert '"1,2"' in found[0]["message"]  # one value, as Argo CD sets it; bare helm fails here


# -- --show-files --------------------------------------------------------------------------


def test_show_files_names_chart_files_helm_and_plain_files_manifest(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(
        here / "charts" / "shop",
        {"job.yaml": "kind: Job\n", "_helpers.tpl": '{{- define "x" }}{{- end }}\n', "NOTES.txt": "hi\n"},
        name="web",
    )
    (here / "charts" / "shop" / "crds").mkdir()
    (here / "charts" / "shop" / "crds" / "crd.yaml").write_text("kind: CustomResourceDefinition\n")
    (here / "plain").mkdir()
    (here / "plain" / "cm.yaml").write_text("kind: ConfigMap\n")
    code, out, err = check(["--show-files", "."], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "plain/cm.yaml\tmanifest\tconfig: (none: defaults)",
        "charts/shop/templates/job.yaml\thelm (web)\tconfig: (none: defaults)",
        "charts/shop/crds/crd.yaml\thelm (web)\tconfig: (none: defaults)",
    ]
    # a named template (pre-commit): only it is linted, as part of its chart
    code, out, _ = check(["--show-files", "charts/shop/templates/job.yaml", "plain/cm.yaml"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "plain/cm.yaml\tmanifest\tconfig: (none: defaults)",
        "charts/shop/templates/job.yaml\thelm (web)\tconfig: (none: defaults)",
    ]


# -- values-driven keys are reported in the values file that sets them ----------------------

JOB_FROM_VALUES = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    {{- toYaml .Values.job.annotations | nindent 4 }}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: busybox
"""
JOB_VALUES = """\
job:
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "1.5"
"""
WAVE_MESSAGE = 'wave "{}" on Job/migrate is not a whole decimal number; Argo CD silently reads it as 0'


def wave_findings(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, int, str]]:
    found, err = report([*args, "--select", "HL002"], capsys)
    assert "Traceback" not in err
    return [(f["path"], f["line"], f["column"], f["message"]) for f in found]


@pytest.mark.parametrize("helm", HELMS)
def test_to_yaml_of_a_nested_values_key_is_reported_at_its_value_in_values_yaml(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB_FROM_VALUES}, values=JOB_VALUES)
    assert wave_findings(["demo", "--helm", helm], capsys) == [
        ("demo/values.yaml", 4, 35, WAVE_MESSAGE.format("1.5"))
    ]


@pytest.mark.parametrize("helm", HELMS)
def test_to_yaml_of_a_top_level_map(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    template = JOB_FROM_VALUES.replace(".Values.job.annotations", ".Values.annotations")
    values = (
        "replicas: 1\nannotations:\n  argocd.argoproj.io/hook: PreSync\n"
        "  argocd.argoproj.io/hook-delete-policy: Never\n"
    )
    write_chart(here / "demo", {"job.yaml": template}, values=values)
    found, _ = report(["demo", "--helm", helm, "--select", "HL004"], capsys)
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in found] == [
        ("HL004", "demo/values.yaml", 4, 42)
    ]


@pytest.mark.parametrize("helm", HELMS)
def test_with_and_to_yaml_of_the_dot(here: Path, helm: str, capsys: pytest.CaptureFixture[str]) -> None:
    template = JOB_FROM_VALUES.replace(
        "    {{- toYaml .Values.job.annotations | nindent 4 }}\n",
        "    {{- with .Values.job }}\n    {{- toYaml .annotations | nindent 4 }}\n    {{- end }}\n",
    )
    write_chart(here / "demo", {"job.yaml": template}, values=JOB_VALUES)
    assert wave_findings(["demo", "--helm", helm], capsys) == [
        ("demo/values.yaml", 4, 35, WAVE_MESSAGE.format("1.5"))
    ]


@pytest.mark.parametrize("helm", HELMS)
def test_an_inline_to_yaml_lands_in_values_yaml(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    template = JOB_FROM_VALUES.replace(
        "  annotations:\n    {{- toYaml .Values.job.annotations | nindent 4 }}\n",
        "  annotations: {{ toYaml .Values.job.annotations | nindent 4 }}\n",
    )
    write_chart(here / "demo", {"job.yaml": template}, values=JOB_VALUES)
    assert wave_findings(["demo", "--helm", helm], capsys) == [
        ("demo/values.yaml", 4, 35, WAVE_MESSAGE.format("1.5"))
    ]


@pytest.mark.parametrize("helm", HELMS)
def test_the_last_values_file_that_sets_the_key_wins(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB_FROM_VALUES}, values=JOB_VALUES)
    (here / "a.yaml").write_text('job:\n  annotations:\n    argocd.argoproj.io/sync-wave: "2.5"\n')
    (here / "b.yaml").write_text("other: 1\n")  # later, but does not set it
    args = ["demo", "--helm", helm, "--values", "a.yaml", "--values", "b.yaml"]
    expected = [("a.yaml", 3, 35, WAVE_MESSAGE.format("2.5"))]
    assert wave_findings(args, capsys) == expected
    assert wave_findings(args, capsys) == expected  # warm: documents from the cache, same place
    (here / "sub").mkdir()
    monkeypatch.chdir(here / "sub")  # another working directory: the values file shown from there
    args = ["../demo", "--helm", helm, "--values", "../a.yaml", "--values", "../b.yaml"]
    assert [f[0] for f in wave_findings(args, capsys)] == ["../a.yaml"]


@pytest.mark.parametrize("helm", HELMS)
def test_a_key_in_no_values_file_stays_on_the_action_line(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"job.yaml": JOB_FROM_VALUES}, values=JOB_VALUES)
    # --set overrides values.yaml's key, and sets one values.yaml does not have
    found = wave_findings(
        ["demo", "--helm", helm, "--set", "job.annotations.argocd\\.argoproj\\.io/sync-wave=3.5"], capsys
    )
    assert found == [
        ("demo/templates/job.yaml", 6, 5, WAVE_MESSAGE.format("3.5") + " (set by values key job.annotations)")
    ]
    # a values path the template cannot name (a default built in the template): the action line
    template = JOB_FROM_VALUES.replace(
        "toYaml .Values.job.annotations",
        'toYaml (.Values.missing | default (dict "argocd.argoproj.io/sync-wave" "4.5"))',
    )
    write_chart(here / "other", {"job.yaml": template}, values=JOB_VALUES, name="other")
    found = wave_findings(["other", "--helm", helm], capsys)
    assert [(p, line, column) for p, line, column, _ in found] == [("other/templates/job.yaml", 6, 5)]


@pytest.mark.parametrize("helm", HELMS)
def test_a_suppression_comment_in_values_yaml_applies(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    values = JOB_VALUES.replace('"1.5"\n', '"1.5"  # hooklint: ignore[HL002] fixed in the next release\n')
    write_chart(here / "demo", {"job.yaml": JOB_FROM_VALUES}, values=values)
    assert wave_findings(["demo", "--helm", helm], capsys) == []
    args = ["demo", "--helm", helm, "--select", "HL002", "--include-suppressed", "--quiet"]
    code, out, _ = check(args, capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("demo/values.yaml:4:35: HL002 "), out


@pytest.mark.parametrize("helm", HELMS)
def test_a_subchart_key_lands_in_the_parent_values_that_override_it(
    here: Path, helm: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "demo", {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"})
    write_chart(here / "demo/charts/db", {"job.yaml": JOB_FROM_VALUES}, values=JOB_VALUES, name="db")
    assert wave_findings(["demo", "--helm", helm], capsys) == [
        ("demo/charts/db/values.yaml", 4, 35, WAVE_MESSAGE.format("1.5"))
    ]
    parent = 'db:\n  job:\n    annotations:\n      argocd.argoproj.io/sync-wave: "x"\n'
    (here / "demo" / "values.yaml").write_text(parent)
    assert wave_findings(["demo", "--helm", helm, "--no-cache"], capsys) == [
        ("demo/values.yaml", 4, 37, 'wave "x" on Job/migrate is not an integer; Argo CD silently reads it as 0')
    ]


# -- which values path an action prints (no helm needed) ------------------------------------


def test_values_blocks_follow_the_dot_through_blocks() -> None:
    from hooklint.sources.helm.mask import mask

    template = """\
metadata:
  annotations:
    {{- toYaml .Values.a.b | nindent 4 }}
  {{- with .Values.podAnnotations }}
  labels:
    {{- toYaml . | nindent 8 }}
    {{- .x | toYaml | nindent 8 }}
  {{- else }}
    {{- toYaml .Values.other | nindent 8 }}
  {{- end }}
  {{- range .Values.list }}
  {{ toYaml . }}
  {{- end }}
  {{ toYaml $.Values.z }}
  {{ tpl (toYaml .Values.z) . }}
  {{ include "x" (toYaml .Values.z) }}
  {{- with .Values.inner }}{{ toYaml $.Values.outer.y | nindent 2 }}{{ end }}
  {{ toYaml .Values.q }}
"""
    assert mask(template).values_blocks == {
        2: ("a", "b"),
        5: ("podAnnotations",),
        6: ("podAnnotations", "x"),
        8: ("other",),  # `else` of a `with`: the outer dot
        13: ("z",),
        16: ("outer", "y"),
        17: ("q",),  # after every block closed: the root again
    }
    assert mask("a: {{ toYaml .Values.x }}\n").values_blocks == {0: ("x",)}
    assert mask("a: {{ .Values.x }}\n").values_blocks == {}


@pytest.mark.parametrize(
    ("item", "key"),
    [
        ("a.b=1", ("a", "b")),
        ("a\\.b/c.d=1", ("a.b/c", "d")),
        ("list[0].name=x", ("list", 0, "name")),
        ("m[1][2]=x", ("m", 1, 2)),
    ],
)
def test_set_keys_name_the_values_path_they_override(item: str, key: tuple[object, ...]) -> None:
    from hooklint.sources.helm.values_files import set_key

    assert set_key(item) == key


def test_values_lookup_takes_the_last_file_and_skips_set_keys(tmp_path: Path) -> None:
    from hooklint.model import position_from_mark
    from hooklint.sources.helm.values_files import ValuesFile, ValuesLayers, ValuesLookup
    from hooklint.sources.provenance import file_index

    (tmp_path / "values.yaml").write_text("a:\n  b: 1\n  c: [x, y]\n")
    (tmp_path / "prod.yaml").write_text("# prod\na: {b: 2}\n")
    files = tuple(ValuesFile(str(tmp_path / name), name) for name in ("values.yaml", "prod.yaml"))
    lookup = ValuesLookup(ValuesLayers(files))
    found = lookup.find(("a", "b"))
    assert found is not None and file_index(found[1]) == 2
    assert (position_from_mark(found[0]).line, position_from_mark(found[0]).column) == (2, 5)
    found = lookup.find(("a", "c", 1))
    assert found is not None and file_index(found[1]) == 1
    assert (position_from_mark(found[1]).line, position_from_mark(found[1]).column) == (3, 10)
    assert lookup.find(("a", "missing")) is None and lookup.find(("a", "b", "deeper")) is None
    assert [s.path for s in lookup.sources] == ["values.yaml", "prod.yaml"]
    overridden = ValuesLookup(ValuesLayers(files, (("a",),)))
    assert overridden.find(("a", "b")) is None
    missing = ValuesLookup(ValuesLayers((ValuesFile(str(tmp_path / "none.yaml"), "none.yaml"),)))
    assert missing.find(("a",)) is None


# -- --skip-unknown-files (the pre-commit hook's) ------------------------------------------


def test_skip_unknown_files_drops_named_files_outside_charts(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_chart(here / "shop", {"job.yaml": "kind: Job\n", "_helpers.tpl": '{{- define "x" }}{{- end }}\n'})
    (here / "web").mkdir()
    (here / "web" / "index.html").write_text("<p>{{ user }}: &x</p>\n")
    (here / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    named = ["shop/templates/_helpers.tpl", "web/index.html", "cm.yaml"]
    code, out, _ = check(["--show-files", "--skip-unknown-files", *named], capsys)
    assert code == 0
    assert out.splitlines() == [
        "cm.yaml\tmanifest\tconfig: (none: defaults)",
        "shop/templates/job.yaml\thelm (demo)\tconfig: (none: defaults)",
    ]
    code, out, _ = check(["--show-files", *named], capsys)  # without it, a named file is read
    assert "web/index.html\tmanifest" in out
    code, out, err = check(["--skip-unknown-files", "--no-render", "web/index.html", "cm.yaml"], capsys)
    assert (code, "HL000" in out) == (0, False), out + err


_KEYS = st.text(alphabet="abcxyz-./_", min_size=1, max_size=6)
_TREES = st.recursive(
    st.integers(0, 9) | st.booleans(),
    lambda children: st.dictionaries(_KEYS, children, min_size=1, max_size=4),
    max_leaves=12,
).filter(lambda tree: isinstance(tree, dict))


def _paths(tree: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(tree, dict):
        return []
    out = []
    for key, sub in tree.items():
        out.append((*prefix, key))
        out.extend(_paths(sub, (*prefix, key)))
    return out


@given(tree=_TREES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_values_key_is_found_on_its_own_line(tmp_path: Path, tree: dict[str, object]) -> None:
    """Values written one key a line (JSON is YAML): each path is found at its key's line and column."""
    import json
    import uuid

    from hooklint.model import position_from_mark
    from hooklint.sources.helm.values_files import ValuesFile, ValuesLayers, ValuesLookup

    text = json.dumps(tree, indent=2)
    path = tmp_path / f"{uuid.uuid4().hex}.yaml"  # a new file each example: reads are cached by path
    path.write_text(text)
    lines = text.splitlines()
    lookup = ValuesLookup(ValuesLayers((ValuesFile(str(path), "values.yaml"),)))
    seen: set[int] = set()
    for keys in _paths(tree):
        found = lookup.find(keys)
        assert found is not None, keys
        where = position_from_mark(found[0])
        line = lines[where.line - 1]
        assert line[where.column - 1 :].startswith(json.dumps(keys[-1]) + ":"), (keys, line)
        seen.add(where.line)
    assert len(seen) == len(_paths(tree))  # every key its own line


@pytest.mark.parametrize(
    "line",
    [
        "    {{- toYaml .Values.tolerations | nindent 4 }}\n",
        "  {{- with .Values.tolerations }}\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n",
    ],
)
def test_a_list_printed_from_values_maps_item_by_item(tmp_path: Path, line: str) -> None:
    """No helm: the rendered text is given; each item and key gets its values.yaml mark."""
    from hooklint.model import position_from_mark
    from hooklint.sources.helm.lazy import masked_read
    from hooklint.sources.helm.mapping import remap
    from hooklint.sources.helm.values_files import ValuesFile, ValuesLayers, ValuesLookup, ValuesMap
    from hooklint.sources.provenance import file_index
    from hooklint.yaml.reader import parse_yaml

    (tmp_path / "values.yaml").write_text("tolerations:\n  - key: a\n    value: b\n  - key: c\n")
    (tmp_path / "t.yaml").write_text("spec:\n  tolerations:\n" + line)
    read = masked_read(str(tmp_path / "t.yaml"))
    assert read.masked is not None
    rendered = parse_yaml("spec:\n  tolerations:\n    - key: a\n      value: b\n    - key: c\n")[0][0]
    assert rendered.positions is not None
    lookup = ValuesLookup(ValuesLayers((ValuesFile(str(tmp_path / "values.yaml"), "values.yaml"),)))
    values = ValuesMap(lookup, read.masked.values_blocks)
    positions = remap(rendered.value, rendered.positions, read.docs[0], read.docs[0].start, values)
    items = positions.entries["spec"][2].entries["tolerations"][2].entries

    def at(mark: int) -> tuple[int, int, int]:
        where = position_from_mark(mark)
        return file_index(mark), where.line, where.column

    assert [at(mark) for mark, _, _ in items] == [(1, 2, 5), (1, 4, 5)]
    assert {k: at(e[1]) for k, e in items[0][1].entries.items()} == {"key": (1, 2, 10), "value": (1, 3, 12)}
