"""Hostile, broken and odd input: a clear message, a defined exit code, in seconds.

Each case runs the real command line (``hooklint.cli.main``) on a fixture written
to a temporary folder (generated here when large) and asserts the exit code, the
message, and a hang guard: a case that takes longer than HANG_GUARD_SECONDS
fails.  The guard catches hangs and runaway (quadratic, exponential) work; it is
not a benchmark.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hooklint.cli.app import main
from hooklint.yaml.nesting import MAX_FLOW_DEPTH, too_deep
from hooklint.yaml.reader import MAX_EXPANDED_NODES

#: CPU seconds, not wall time: a shared, loaded machine stretches wall time, never the work done.
HANG_GUARD_SECONDS = 10.0
#: Wall seconds, for work done in --jobs worker processes, which CPU time here does not count.
HANG_GUARD_WALL_SECONDS = 120.0


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float


Runner = Callable[..., Run]


@pytest.fixture
def hooklint(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runner:
    """``hooklint("check", ...)`` run in ``tmp_path``; asserts the hang guard and no traceback."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> Run:
        start, wall = time.process_time(), time.perf_counter()
        code = main(list(argv))
        seconds = time.process_time() - start
        assert time.perf_counter() - wall < HANG_GUARD_WALL_SECONDS, f"hooklint {' '.join(argv)} hung"
        captured = capsys.readouterr()
        assert seconds < HANG_GUARD_SECONDS, f"hooklint {' '.join(argv)} took {seconds:.1f} s"
        assert "Traceback" not in captured.err
        assert "internal error" not in captured.err, captured.err
        return Run(code, captured.out, captured.err, seconds)

    return run


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "1.5"
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox
"""
JOB_WAVE = (7, 35)  # where HL002 reports the "1.5" wave in JOB


# -- alias bombs ---------------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def alias_bomb(tmp_path: Path) -> Path:
    return write(tmp_path / "bomb.yaml", billion_laughs())


def test_alias_bomb_is_bounded_and_reported(hooklint: Runner, alias_bomb: Path) -> None:
    run = hooklint("check", "--isolated", "bomb.yaml")
    assert run.code == 1
    # a6 is the first level past the bound: 9**7 nodes
    assert f"bomb.yaml:7:5: HL000 [error] aliases expand this document past {MAX_EXPANDED_NODES:,}" in run.out
    assert "alias bomb" in run.out


def shared_containers_job(name: str) -> str:
    """A hook Job whose containers are ~600,000 aliased (shared) container mappings."""
    anchors = ["x-c0: &c0 {name: c, image: busybox, args: [a, b]}"]
    for level in range(1, 6):
        anchors.append(f"x-c{level}: &c{level} [" + ", ".join([f"*c{level - 1}"] * 9) + "]")
    return "\n".join(anchors) + (
        f"\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers: *c5\n      initContainers: *c5\n"
    )


def test_no_rule_or_output_walks_shared_subtrees_exponentially(hooklint: Runner, tmp_path: Path) -> None:
    # Under the per-document bound, but many documents: the file-wide bound stops them adding up.
    write(tmp_path / "shared.yaml", "---\n".join(shared_containers_job(f"j{i}") for i in range(40)))
    run = hooklint("check", "--isolated", "--select", "ALL", "shared.yaml")
    assert run.code == 1
    assert "aliases in this file expand past" in run.out
    assert "shared.yaml:3:" not in run.out  # the first documents are linted normally, no HL000 there
    assert "HL201" in run.out  # and the rules ran on them


# -- size and shape of the text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("[" * 20_000 + "]" * 20_000 + "\n", MAX_FLOW_DEPTH + 1, id="brackets"),
        pytest.param("{a: " * 20_000 + "1" + "}" * 20_000 + "\n", 4 * MAX_FLOW_DEPTH + 1, id="mappings"),
        pytest.param("[" * 20_000 + "\n", MAX_FLOW_DEPTH + 1, id="unclosed"),
    ],
)
def test_deep_nesting_is_refused_fast(hooklint: Runner, tmp_path: Path, text: str, column: int) -> None:
    write(tmp_path / "deep.yaml", text)
    run = hooklint("check", "--isolated", "deep.yaml")
    assert run.code == 1
    assert f"deep.yaml:1:{column}: HL000 [error] flow collections" in run.out
    assert "exceeded max depth of 10000" in run.out
    assert run.seconds < 5  # libyaml alone takes seconds on this: it is never asked


@pytest.mark.parametrize(
    ("text", "too_deep_at_end"),
    [
        pytest.param("[" * MAX_FLOW_DEPTH + "]" * MAX_FLOW_DEPTH, False, id="at-the-limit"),
        pytest.param("key: " + "[" * (MAX_FLOW_DEPTH + 1), True, id="after-a-key"),
        pytest.param("- &a !t " + "[" * (MAX_FLOW_DEPTH + 1), True, id="after-anchor-and-tag"),
        pytest.param("[" * MAX_FLOW_DEPTH + '"[[", ' * 10 + "'{{', [", True, id="quoted-in-flow"),
        pytest.param("key:" + "[" * (MAX_FLOW_DEPTH + 1), False, id="plain-scalar"),
        pytest.param("cmd: echo " + "[" * (MAX_FLOW_DEPTH + 1), False, id="inside-plain-scalar"),
        pytest.param('a: "' + "[" * (MAX_FLOW_DEPTH + 1) + '"', False, id="double-quoted"),
        pytest.param("a: '" + "{" * (MAX_FLOW_DEPTH + 1) + "'", False, id="single-quoted"),
        pytest.param("a: 1 # " + "[" * (MAX_FLOW_DEPTH + 1), False, id="comment"),
        pytest.param("x [" * 30_000, False, id="many-plain-brackets"),
    ],
)
def test_flow_depth_counts_only_real_flow_collections(text: str, too_deep_at_end: bool) -> None:
    assert too_deep(text) == (len(text) - 1 if too_deep_at_end else None)


def test_two_megabyte_line(hooklint: Runner, tmp_path: Path) -> None:
    head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: "
    write(tmp_path / "long.yaml", head + '"' + "a" * 2_000_000 + '"\n')
    run = hooklint("check", "--isolated", "long.yaml")
    assert run.code == 0
    assert "No findings in 1 file (1 object)." in run.out


def test_five_megabytes_of_twenty_thousand_documents(hooklint: Runner, tmp_path: Path) -> None:
    doc = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "{wave}"\ndata:\n  padding: "{pad}"\n'
    )
    text = "---\n".join(
        doc.format(i=i, wave=i % 5 if i % 1000 else "1.5", pad="p" * 130) for i in range(20_000)
    )
    assert 5_000_000 <= len(text) < 5_500_000
    write(tmp_path / "many.yaml", text)
    run = hooklint("check", "--isolated", "--select", "ALL", "--statistics", "many.yaml")
    assert run.code == 1
    assert "20  HL002  [error] invalid-sync-wave" in run.out
    assert "in 1 file (20000 objects)" in run.out


def test_many_parse_problems_in_one_file(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "tags.yaml", "".join(f"k{i}: !!python/name:os.system x\n" for i in range(20_000)))
    run = hooklint("check", "--isolated", "--statistics", "tags.yaml")
    assert run.code == 1
    assert "20000  HL000  [error] parse-error" in run.out


# -- whole-set work that used to be quadratic ----------------------------------------------


def test_thousands_of_namespaces_after_their_resources(hooklint: Runner, tmp_path: Path) -> None:
    n = 8000  # took minutes when each pulled-forward Namespace shifted the whole task list
    docs = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  namespace: ns{i}\n" for i in range(n)
    ]
    docs += [
        f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{i}\n  annotations:\n"
        "    argocd.argoproj.io/sync-wave: '1'\n"
        for i in range(n)
    ]
    write(tmp_path / "ns.yaml", "---\n".join(docs))
    run = hooklint("check", "--isolated", "--select", "ALL", "ns.yaml")
    assert run.code == 0, run.out


def test_thousands_of_gated_waves(hooklint: Runner, tmp_path: Path) -> None:
    n = 6000  # each finding used to scan every later wave
    docs = [
        f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s{i}\n  annotations:\n"
        f"    argocd.argoproj.io/sync-wave: '{i}'\n"
        for i in range(n)
    ]
    write(tmp_path / "waves.yaml", "---\n".join(docs))
    run = hooklint("check", "--isolated", "--statistics", "waves.yaml")
    assert run.code == 1
    assert f"{n - 1:>5}  HL301" in run.out


# -- files and folders ---------------------------------------------------------------------


@pytest.fixture
def symlink_maze(tmp_path: Path) -> Path:
    root = tmp_path / "maze"
    write(root / "app" / "job.yaml", JOB)
    (root / "app" / "loop").symlink_to(root / "app")  # a folder that contains itself
    (root / "up").symlink_to(tmp_path)
    (root / "self.yaml").symlink_to("self.yaml")  # a file symlink loop
    (root / "secret.yaml").symlink_to("/etc/passwd")  # out of bounds: never read
    (root / "dangling.yaml").symlink_to(root / "missing.yaml")
    (root / "inside.yaml").symlink_to(root / "app" / "job.yaml")
    return root


def test_symlink_loops_and_out_of_bounds_links(hooklint: Runner, symlink_maze: Path) -> None:
    run = hooklint("check", "--isolated", "maze")
    assert run.code == 1
    assert f"maze/app/job.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002" in run.out
    assert f"maze/inside.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002" in run.out
    assert "maze/self.yaml: note: cannot be read: Too many levels of symbolic links" in run.err
    assert "maze/secret.yaml: note: symlink to a file outside the folder being linted; not read" in run.err
    assert "maze/dangling.yaml: note: cannot be read: No such file or directory" in run.err
    assert "loop" not in run.out + run.err
    assert "root:" not in run.out + run.err


@pytest.fixture
def binary_yaml(tmp_path: Path) -> Path:
    return write(tmp_path / "image.yaml", bytes(range(256)) * 40)


def test_binary_file_with_a_yaml_name(hooklint: Runner, binary_yaml: Path) -> None:
    run = hooklint("check", "--isolated", "image.yaml")
    assert run.code == 0
    assert "image.yaml: note: binary file (it contains NUL bytes); skipped" in run.err


@pytest.fixture
def latin1_yaml(tmp_path: Path) -> Path:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café\n"
    return write(tmp_path / "latin1.yaml", text.encode("latin-1"))


def test_latin1_bytes(hooklint: Runner, latin1_yaml: Path) -> None:
    run = hooklint("check", "--isolated", "--output-format", "full", "latin1.yaml")
    assert run.code == 1
    assert "latin1.yaml:4:12: HL000 [error] file is not UTF-8 text (invalid byte 0xe9)" in run.out
    assert "iconv -f latin1 -t utf-8" in run.out


@pytest.fixture
def bom_crlf_yaml(tmp_path: Path) -> Path:
    return write(tmp_path / "bom.yaml", b"\xef\xbb\xbf" + JOB.replace("\n", "\r\n").encode())


def test_bom_and_crlf_lint_normally(hooklint: Runner, bom_crlf_yaml: Path, tmp_path: Path) -> None:
    write(tmp_path / "plain.yaml", JOB)
    run = hooklint("check", "--isolated", "--select", "HL002", "bom.yaml", "plain.yaml")
    assert run.code == 1
    lines = run.out.splitlines()
    assert f"bom.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002" in lines[0]
    assert lines[0].split(":", 1)[1] == lines[1].split(":", 1)[1]  # same findings as without BOM/CRLF
    assert len(lines) == 3


def test_bom_on_the_first_line_keeps_columns(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "bom.yaml", b"\xef\xbb\xbfkind: [\r\n")
    run = hooklint("check", "--isolated", "bom.yaml")
    assert run.code == 1
    assert run.out.startswith("bom.yaml:2:1: HL000")


def test_unicode_line_separator_in_a_string_keeps_editor_lines(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "ls.yaml", JOB.replace("name: db-migrate", 'name: "db\u2028migrate"'))
    run = hooklint("check", "--isolated", "ls.yaml")
    assert run.code == 1
    assert run.out.startswith(f"ls.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002")


def test_tabs_for_indentation(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n")
    run = hooklint("check", "--isolated", "tabs.yaml")
    assert run.code == 1
    assert "tabs.yaml:4:1: HL000 [error]" in run.out
    assert "(a tab: YAML indentation must use spaces)" in run.out


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n\n   # and another\n", id="comments"),
        pytest.param("---\n---\n# c\n---\n", id="empty-documents"),
        pytest.param(
            "- a\n- b\n---\njust a string\n---\n42\n---\n3.5\n---\nnull\n---\n[]\n---\n{}\n", id="scalars"
        ),
        pytest.param("apiVersion: v1\n", id="no-kind"),
    ],
)
def test_files_without_objects(hooklint: Runner, tmp_path: Path, text: str) -> None:
    write(tmp_path / "odd.yaml", text)
    run = hooklint("check", "--isolated", "--select", "ALL", "odd.yaml")
    assert run.code == 0
    assert "No findings in 1 file (0 objects)." in run.out


# -- wrong Kubernetes shapes ---------------------------------------------------------------

WRONG_SHAPES = {
    "metadata-string": "apiVersion: batch/v1\nkind: Job\nmetadata: db-migrate\n",
    "metadata-list": "apiVersion: batch/v1\nkind: Job\nmetadata: [a, b]\n",
    "annotations-list": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations: [PreSync]\n",
    "annotations-string": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations: PreSync\n",
    "spec-null": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\nspec:\n",
    "template-list": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\nspec:\n  template: []\n",
    "containers-mapping": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\nspec:\n  containers: {name: a, image: b}\n"
    ),
    "containers-of-strings": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: [a, 1, null]\n"
    ),
    "kind-list": "apiVersion: batch/v1\nkind: [Job]\nmetadata:\n  name: a\n",
    "kind-number": "apiVersion: batch/v1\nkind: 5\nmetadata:\n  name: a\n",
    "name-mapping": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {a: b}\n  generateName: [x]\n",
    "namespace-number": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: 7\n",
    "crd-spec-string": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\nspec: x\n"
    ),
    "list-items-scalars": "apiVersion: v1\nkind: List\nitems: [1, a, null, [], {kind: Job}]\n",
    "list-items-mapping": "apiVersion: v1\nkind: List\nitems: {a: b}\n",
    "service-type-list": (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: [LoadBalancer]\n"
    ),
    "deployment-paused-string": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec: {paused: 'yes'}\n"
    ),
    "complex-keys": "? [a, b]\n: c\n? {x: 1}\n: d\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
}


@pytest.mark.parametrize("text", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_wrong_kubernetes_shapes_never_crash(hooklint: Runner, tmp_path: Path, text: str) -> None:
    # next to a well-formed hook and waves, so whole-set rules have something to compare with
    write(tmp_path / "app" / "odd.yaml", text)
    write(tmp_path / "app" / "job.yaml", JOB.replace('"1.5"', '"2"'))
    run = hooklint("check", "--isolated", "--select", "ALL", "app")
    assert run.code in (0, 1)
    assert "Found" in run.out or "No findings" in run.out


def test_hook_annotation_that_is_a_list(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "job.yaml", JOB.replace("hook: PreSync", "hook: [PreSync, PostSync]"))
    run = hooklint("check", "--isolated", "--select", "ALL", "job.yaml")
    assert run.code == 1
    assert (
        'job.yaml:6:30: HL001 [error] annotation "argocd.argoproj.io/hook" on Job/db-migrate is a list'
        in run.out
    )
    assert "HL002" not in run.out  # Argo CD sees no annotations at all: HL001 says it


# -- tags ----------------------------------------------------------------------------------


def test_python_tags_are_never_constructed(hooklint: Runner, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write(
        tmp_path / "evil.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
        f'  a: !!python/object/apply:os.system ["touch {marker}"]\n'
        f"  b: !!python/object/apply:os.system {{args: [touch {marker}]}}\n"
        f"  c: !!python/object/new:os.system [touch {marker}]\n"
        "  d: !!python/name:os.system\n"
        f"  e: !!python/object/apply:subprocess.check_call [[touch, {marker}]]\n"
        "  f: !!python/module:os\n",
    )
    run = hooklint("check", "--isolated", "evil.yaml")
    assert run.code == 1
    assert not marker.exists()
    for line, column, tag in [
        (6, 6, "python/object/apply:os.system"),
        (7, 6, "python/object/apply:os.system"),
        (8, 6, "python/object/new:os.system"),
        (9, 6, "python/name:os.system"),
        (10, 6, "python/object/apply:subprocess.check_call"),
        (11, 6, "python/module:os"),
    ]:
        assert f"evil.yaml:{line}:{column}: HL000 [error] tag !!{tag} is not allowed" in run.out


def test_application_tags_are_tolerated(hooklint: Runner, tmp_path: Path) -> None:
    write(
        tmp_path / "cfn.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n"
        "    argocd.argoproj.io/sync-wave: !Ref Wave\n"
        "data:\n  a: !Ref Bucket\n  b: !GetAtt [Bucket, Arn]\n  c: !Sub {x: 1}\n"
        "  d: !<tag:example.com,2000:x> y\n",
    )
    run = hooklint("check", "--isolated", "cfn.yaml")
    assert run.code == 1
    # go-yaml keeps a scalar with an unknown tag as its text: Argo CD reads the wave "Wave" as 0
    assert 'cfn.yaml:6:35: HL002 [error] wave "Wave" on ConfigMap/x is not an integer' in run.out
    assert "HL000" not in run.out


def test_binary_tag_is_decoded_like_go_yaml(hooklint: Runner, tmp_path: Path) -> None:
    write(
        tmp_path / "bin.yaml",
        JOB.replace('"1.5"', "!!binary MS41")  # base64 of "1.5"
        + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  k: !!binary '@@@'\n",
    )
    run = hooklint("check", "--isolated", "bin.yaml")
    assert run.code == 1
    assert f'bin.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002 [error] wave "1.5" on Job/db-migrate' in run.out
    assert "bin.yaml:22:6: HL000 [error] this !!binary value is not valid base64" in run.out


# -- merge keys ----------------------------------------------------------------------------


def test_merge_keys_resolve_as_go_yaml_v2(hooklint: Runner, tmp_path: Path) -> None:
    write(
        tmp_path / "merge.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "1"\n'  # overridden: the merge comes after it
        '    <<: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "one"}\n'
        "spec: {backoffLimit: 0}\n"
        "---\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n  annotations:\n"
        '    <<: [{argocd.argoproj.io/sync-wave: "first"}, {argocd.argoproj.io/sync-wave: "second"}]\n'
        "spec: {backoffLimit: 0}\n"
        "---\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: c\n  annotations:\n"
        '    <<: {argocd.argoproj.io/sync-wave: "merged"}\n'
        '    argocd.argoproj.io/sync-wave: "2"\n'  # explicit key after the merge wins: valid
        "spec: {backoffLimit: 0}\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  <<: 5\n",
    )
    run = hooklint("check", "--isolated", "--select", "HL000,HL002", "merge.yaml")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].startswith('merge.yaml:7:74: HL002 [error] wave "one" on Job/a')
    assert lines[1].startswith('merge.yaml:15:41: HL002 [error] wave "first" on Job/b')
    assert lines[2].startswith("merge.yaml:31:3: HL000 [error] the value of a '<<' merge key must be a")
    assert len(lines) == 4


# -- templates, paths, limits --------------------------------------------------------------


def test_helm_template(hooklint: Runner, tmp_path: Path) -> None:
    write(
        tmp_path / "templates" / "job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n"
        '  annotations:\n    {{- include "chart.annotations" . | nindent 4 }}\n',
    )
    run = hooklint("check", "--isolated", "templates")
    assert run.code == 0
    assert "templates/job.yaml: note: Go/Helm template ('{{ ... }}'); not linted: render it first" in run.err
    assert "HL000" not in run.out


def test_missing_path(hooklint: Runner) -> None:
    run = hooklint("check", "--isolated", "no/such/dir")
    assert run.code == 2
    assert run.err == "hooklint: error: no/such/dir: no such file or directory\n"


def test_folder_without_yaml(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "README.md", "# nothing here\n")
    write(tmp_path / "docs" / ".hidden" / "x.yaml", JOB)
    run = hooklint("check", "--isolated", "docs")
    assert run.code == 0
    assert "No findings in 0 files (0 objects)." in run.out
    assert "docs: note: no *.yaml or *.yml files here" in run.err


def test_unreadable_paths(hooklint: Runner, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # reading it would block forever
    run = hooklint("check", "--isolated", ".")
    assert run.code == 0
    assert "pipe.yaml: note: not a regular file; skipped" in run.err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_file_without_read_permission(hooklint: Runner, tmp_path: Path) -> None:
    path = write(tmp_path / "secret.yaml", JOB)
    path.chmod(0)
    try:
        run = hooklint("check", "--isolated", "secret.yaml")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert run.code == 0
    assert "secret.yaml: note: cannot be read: Permission denied" in run.err


def test_files_over_max_file_size_are_skipped(hooklint: Runner, tmp_path: Path) -> None:
    write(tmp_path / "big.yaml", JOB + "#" + "x" * 2_000_000 + "\n")
    run = hooklint("check", "--isolated", "--max-file-size", "1", "big.yaml")
    assert run.code == 0
    assert "big.yaml: note: file is 1.9 MB, over the --max-file-size limit of 1.0 MB; skipped" in run.err


def test_hostile_bytes_on_stdin(hooklint: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO(billion_laughs().encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    run = hooklint("check", "--isolated", "-", "--stdin-filename", "rendered.yaml")
    assert run.code == 1
    assert "rendered.yaml:7:5: HL000" in run.out


# -- nothing is written, nothing is imported -----------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every path under ``folder`` with its bytes (files), modification time and mode."""
    out: dict[str, tuple[bytes, int, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        out[path.relative_to(folder).as_posix()] = (data, info.st_mtime_ns, info.st_mode)
    return out


def test_input_files_are_byte_identical_after_a_run(hooklint: Runner, tmp_path: Path) -> None:
    app = tmp_path / "app"
    write(app / "job.yaml", JOB)
    write(app / "bom.yaml", b"\xef\xbb\xbf" + JOB.replace("\n", "\r\n").encode())
    write(app / "bomb.yaml", billion_laughs())
    write(app / "latin1.yaml", "kind: café\n".encode("latin-1"))
    write(app / "tabs.yaml", "kind: Job\nmetadata:\n\tname: x\n")
    write(app / "suppressed.yaml", JOB.replace('"1.5"', '"1.5"  # hooklint: ignore[HL002]'))
    write(app / "helm.yaml", "metadata:\n  name: {{ .Release.Name }}\n")
    before = snapshot(tmp_path)
    for argv in (
        ("check", "--isolated", "app"),
        ("check", "--isolated", "--select", "ALL", "--statistics", "app"),
        ("check", "--isolated", "--include-suppressed", "--exit-zero", "app/job.yaml", "--context", "app"),
    ):
        assert hooklint(*argv).code in (0, 1)
    assert snapshot(tmp_path) == before  # same files, bytes, times and modes: nothing written


BAIT = "open({marker!r}, 'a').write({name!r} + '\\n')\n"


@pytest.fixture
def baited_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repository full of Python files a careless linter might import, and the marker they write."""
    repo = tmp_path / "repo"
    marker = tmp_path / "imported.txt"
    for name in (
        "hooklint/__init__.py",
        "hooklint/checks/__init__.py",
        "hooklint_plugins.py",
        "plugins.py",
        "evil.py",
        "conftest.py",
        "sitecustomize.py",
        "usercustomize.py",
        ".hooklint.py",
        "rules/evil.py",
    ):
        write(repo / name, BAIT.format(marker=str(marker), name=name))
    write(
        repo / "rules" / "evil.md",
        "---\ncode: HL999\nname: evil\nsummary: Evil\nseverity: error\ndefault: true\n"
        "remediation: None.\n---\n## What it does\n",
    )
    write(repo / "deploy" / "job.yaml", JOB)
    return repo, marker


def test_config_cannot_name_code_to_import(hooklint: Runner, baited_repo: tuple[Path, Path]) -> None:
    repo, marker = baited_repo
    for config, error in (
        ("plugins: [evil]\n", "unknown key 'plugins'"),
        ("select: [ALL]\nrules:\n  evil: {}\n", "rules.evil: unknown rule 'evil'"),
        (
            "select: !!python/object/apply:evil.boom []\n",
            "tag !!python/object/apply:evil.boom is not allowed",
        ),
        ("select: [ALL]\nrules: !!python/name:plugins.x\n", "tag !!python/name:plugins.x is not allowed"),
    ):
        write(repo / ".hooklint.yaml", config)
        run = hooklint("check", "--config", str(repo / ".hooklint.yaml"), str(repo / "deploy"))
        assert run.code == 2, config
        assert error in run.err, run.err
    assert not marker.exists()


def test_nothing_is_imported_from_the_linted_repository(baited_repo: tuple[Path, Path]) -> None:
    """The installed console script, run inside the repository, as pre-commit and CI run it."""
    import subprocess
    import sys

    repo, marker = baited_repo
    write(repo / ".hooklint.yaml", "select: [ALL]\nexclude: [rules/]\n")
    script = Path(sys.executable).parent / "hooklint"
    if not script.is_file():
        pytest.skip("the hooklint console script is not installed next to this Python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    checked = subprocess.run(
        [str(script), "check", "deploy"], cwd=repo, env=env, capture_output=True, text=True, timeout=60
    )
    listed = subprocess.run(
        [str(script), "rules"], cwd=repo, env=env, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 1, checked.stderr
    assert f"deploy/job.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002" in checked.stdout
    assert listed.returncode == 0 and "HL002" in listed.stdout
    assert "HL999" not in listed.stdout  # a rules/ folder in the repository is not the rule set
    assert not marker.exists(), marker.read_text()


def test_control_characters_in_values_cannot_forge_output(hooklint: Runner, tmp_path: Path) -> None:
    forged = "1\\n::error file=app.yaml,line=1::forged\\e[2J\\u202eevil\\r"
    write(tmp_path / "app" / "job.yaml", JOB.replace('"1.5"', f'"{forged}"'))
    write(tmp_path / "app" / "x\n::warning::y.yaml", b"\x00")  # even a file name
    run = hooklint("check", "--isolated", "--select", "HL002", "app")
    assert run.code == 1
    lines = run.out.splitlines()
    assert len(lines) == 2  # one finding, the summary: nothing forged
    assert lines[0].startswith(f"app/job.yaml:{JOB_WAVE[0]}:{JOB_WAVE[1]}: HL002 [error] wave ")
    assert '"1\\n::error file=app.yaml,line=1::forged\\x1b[2J\\u202eevil\\r"' in lines[0]
    assert run.err == "app/x\\n::warning::y.yaml: note: binary file (it contains NUL bytes); skipped\n"
    assert "\x1b" not in run.out + run.err and "\u202e" not in run.out + run.err


@pytest.mark.parametrize("size", ["0", "-1", "nan", "inf"])
def test_max_file_size_must_be_positive(hooklint: Runner, size: str) -> None:
    run = hooklint("check", "--isolated", "--max-file-size", size, ".")
    assert run.code == 2
    assert run.err.startswith("hooklint: error: --max-file-size must be a number of megabytes above 0")


def test_stdin_over_max_file_size(hooklint: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# " + b"x" * 2_000_000)))
    run = hooklint("check", "--isolated", "--max-file-size", "1", "-")
    assert run.code == 0
    assert "<stdin>: note: input is over the --max-file-size limit of 1.0 MB; skipped" in run.err


def test_complex_mapping_keys(hooklint: Runner, tmp_path: Path) -> None:
    write(
        tmp_path / "keys.yaml",
        "? [a, b]\n: c\n? {x: 1}\n: d\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    )
    run = hooklint("check", "--isolated", "keys.yaml")
    assert run.code == 1
    lines = run.out.splitlines()
    # go-yaml refuses the whole document at its first complex key, so kubectl and Argo CD do
    assert lines[0] == (
        'keys.yaml:1:3: HL000 [error] a mapping or list used as a mapping key: kubectl and Argo CD '
        'fail with "invalid map key"; use a string key; this document was not linted'
    )
    assert "duplicate" not in run.out
    assert lines[1] == "Found 1 finding (1 error) in 1 file (0 objects)."


def test_numbers_with_thousands_of_digits(hooklint: Runner, tmp_path: Path) -> None:
    # Python refuses int() on more than 4,300 digits; Go's Atoi reports a range error, and go-yaml
    # keeps an out-of-range float such as 1e400 as a string.
    digits = "1" * 5000
    write(
        tmp_path / "big.yaml",
        JOB.replace('"1.5"', f'"{digits}"').replace("backoffLimit: 1", f"backoffLimit: {digits}")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
        f'    argocd.argoproj.io/sync-wave: 1e400\n    helm.sh/hook-weight: "-{"0" * 5000}7"\n'
        f"data:\n  a: {'9' * 5000}\n  b: 0{'7' * 5000}\n",
    )
    run = hooklint("check", "--isolated", "--select", "HL002", "big.yaml")
    assert run.code == 1
    lines = run.out.splitlines()
    assert "is out of the 64-bit integer range; Argo CD silently reads it as 0" in lines[0]
    assert lines[1].startswith(
        'big.yaml:22:35: HL002 [error] wave "1e400" on ConfigMap/c is not a whole decimal number; '
        "Argo CD silently uses helm.sh/hook-weight -7 instead"
    )
    assert len(lines) == 3


def test_many_documents_nested_just_under_the_limit(hooklint: Runner, tmp_path: Path) -> None:
    deep = "[" * (MAX_FLOW_DEPTH - 1) + "]" * (MAX_FLOW_DEPTH - 1)
    write(tmp_path / "deep.yaml", "\n---\n".join([deep] * 30))  # libyaml: about 30 s
    write(tmp_path / "one.yaml", deep)  # a single one is parsed
    write(tmp_path / "wide.yaml", "[" + "[1], {a: [2]}, " * 5_000 + "]")  # many shallow brackets
    run = hooklint("check", "--isolated", "deep.yaml", "one.yaml", "wide.yaml")
    assert run.code == 0
    assert run.err == (
        "deep.yaml: note: flow collections ('[', '{') nest thousands of levels deep so many times "
        "that parsing would take minutes; not linted (flatten the data)\n"
    )
    assert "No findings in 3 files (0 objects)." in run.out


@pytest.mark.parametrize(
    ("config", "error"),
    [
        pytest.param(billion_laughs(), "aliases expand this document past", id="alias-bomb"),
        pytest.param("select: " + "[" * 20_000, "nested far too deeply to be a hooklint config", id="deep"),
        pytest.param("# " + "x" * 1_100_000, "over 1024 KB: not a hooklint config", id="huge"),
        pytest.param(b"select: [caf\xe9]\n", "cannot be read", id="latin1"),
        pytest.param("select: [ALL]\nselect: [HL0]\n", "duplicate key 'select'", id="duplicate-key"),
    ],
)
def test_hostile_config_files(hooklint: Runner, tmp_path: Path, config: str | bytes, error: str) -> None:
    write(tmp_path / ".hooklint.yaml", config)
    write(tmp_path / "job.yaml", JOB)
    run = hooklint("check", "job.yaml")
    assert run.code == 2
    assert run.err.startswith("hooklint: error: ") and error in run.err, run.err


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs a file stat() says is empty")
def test_a_file_larger_than_stat_says_is_read_to_its_end_or_the_limit() -> None:
    # procfs files are regular files of size 0: the read goes on past what stat() said
    from hooklint.sources.files import InputFile, read_input

    item = InputFile(Path("/proc/self/status"), "status")
    data = read_input(item, 1_000_000)
    assert isinstance(data, bytes) and data.startswith(b"Name:") and data.endswith(b"\n")
    assert read_input(item, 10) == "file is over the --max-file-size limit of 0.0 MB; skipped (raise the limit to lint it)"


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    from hooklint.sources.files import InputFile, read_input

    text = b"a: 1\n" * 1000
    path = tmp_path / "f.yaml"
    path.write_bytes(text)
    assert read_input(InputFile(path, "f.yaml"), len(text)) == text
    assert isinstance(read_input(InputFile(path, "f.yaml"), len(text) - 1), str)
