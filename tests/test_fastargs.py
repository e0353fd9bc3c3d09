"""The quick `check` argument parser agrees with typer, or steps aside."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.cli.app import app, check, main
from hooklint.cli.fastargs import CHECK_TABLE, parse_check, table_from_command


def typer_params(args: list[str]) -> dict[str, Any]:
    """The keyword arguments typer hands ``run_check`` for ``check ARGS`` (converted to the
    declared types: lists, Paths), whatever typer version parses them."""
    seen: dict[str, Any] = {}

    def capture(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("hooklint.cli.app.run_check", capture)
        with contextlib.suppress(typer.Exit):
            app(args=["check", *args], prog_name="hooklint", standalone_mode=False)
    # typer < 0.29 passes None for a list option not given; run_check reads None and () alike
    empty = {key for key, default in CHECK_TABLE[2].items() if default == ()}
    return {
        key: tuple(value) if isinstance(value, list) else (() if value is None and key in empty else value)
        for key, value in seen.items()
    }


VALUES = st.sampled_from(["HL1", "HL101,HL201", "a b", "x.yaml", "-", "0", "7", "2.5", ".5", "-3", "1e3", ""])
OPTIONS = st.sampled_from(
    [
        "--format", "-f", "--select", "--ignore", "--config", "--context", "--exclude", "--fail-on",
        "--stdin-filename", "--scope", "--argocd-version", "--max-file-size", "--jobs", "-j",
        "--output", "-o", "--sarif-category", "--namespace", "-n", "--output-format", "--color",
    ]
)  # fmt: skip
FLAGS = st.sampled_from(
    [
        "--isolated",
        "--force-exclude",
        "--exit-zero",
        "--quiet",
        "-q",
        "--statistics",
        "--include-suppressed",
        "--fail-if-no-objects",
        "--show-settings",
        "--show-files",
    ]
)
TOKENS = st.one_of(
    FLAGS.map(lambda f: [f]),
    st.tuples(OPTIONS, VALUES).map(list),
    st.tuples(OPTIONS, VALUES).map(lambda ov: [f"{ov[0]}={ov[1]}"] if ov[0].startswith("--") else list(ov)),
    st.sampled_from(["manifests/", "a.yaml", "-"]).map(lambda p: [p]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_agrees_with_typer(tokens: list[list[str]]) -> None:
    args = [arg for token in tokens for arg in token]
    fast = parse_check(["check", *args])
    if fast is None:
        return  # typer parses it (odd values such as 1e3 or -3 for --jobs end up here)
    assert normal(fast) == typer_params(args)


def normal(params: dict[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in params.items()}


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["a.yaml", "-q", "--select", "HL1,HL2", "--select=HL3", "--max-file-size", "2.5"],
        ["-j", "3", "--config", "c.yaml", "-f", "text", "--", "-q"],
        ["--jobs=1", "-", "--stdin-filename", "chart.yaml", "--exit-zero"],
    ],
)
def test_common_command_lines_take_the_quick_path(args: list[str]) -> None:
    fast = parse_check(["check", *args])
    assert fast is not None
    assert normal(fast) == typer_params(args)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--unknown"],
        ["check", "-qj2"],  # bundled short options: typer's job
        ["check", "--quiet=yes"],
        ["check", "--jobs"],  # missing value
        ["check", "--jobs", "x"],
        ["check", "--max-file-size", "nan"],
        ["rules"],
        ["--version"],
        [],
    ],
)
def test_anything_unusual_goes_to_typer(argv: list[str]) -> None:
    assert parse_check(argv) is None


def test_quick_path_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = Path("bad.yaml")
    bad.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "1.5"\n',
        encoding="utf-8",
    )
    assert main(["check", str(bad), "--isolated", "-q"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("bad.yaml:6:35: HL002 [error]")
    assert main(["check", str(bad), "--isolated", "-q", "--exit-zero"]) == 0
    assert main(["check", "missing.yaml", "--isolated"]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["check", str(bad), "--jobs", "x"]) == 2  # typer's own usage error


def test_static_table_is_the_typer_declaration() -> None:
    """The launcher parses with CHECK_TABLE to avoid importing typer: it must equal
    what hooklint/cli.py declares, option for option and default for default."""
    assert table_from_command(check) == CHECK_TABLE


def test_a_plain_check_does_not_import_typer(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', 'a.yaml']); "
        "print(rc, 'typer' in sys.modules, 'pydantic' in sys.modules, 'jsonschema' in sys.modules); "
        "heavy = ('hooklint.fix', 'hooklint.sources.helm', 'hooklint.server', 'hooklint.output.sarif', "
        "'hooklint.planview', 'hooklint.baseline', 'hooklint.sources.kustomize', "
        "'hooklint.sources.kustomize_source', 'hooklint.sources.kustomize_locate', "
        "'hooklint.parallel_sets', 'hooklint.forked'); "
        "print(sorted(m for m in sys.modules if m in heavy or m.startswith(tuple(h + '.' for h in heavy)))); "
        # start-up costs a plain run avoids (hooklint.values, hooklint.lazyre, hooklint.cachedir)
        "slow = ('dataclasses', 'inspect', 'hashlib', 'pickle', 'json', 'contextlib', 'struct', 'math'); "
        "print(sorted(m for m in slow if m in sys.modules)); "
        # typing is for the type checker only; ruamel.yaml's Python modules are not needed to
        # parse (hooklint.yaml.cparser); a run the lint cache answers imports no check module
        "from hooklint.yaml.cparser import compiled_module; "
        "print(sorted(m for m in sys.modules if m == 'typing' or m.startswith('ruamel.yaml') "
        "and sys.modules[m] is not compiled_module())); "
        "print(sorted(m for m in sys.modules if m.startswith('hooklint.checks.'))[:1])"
    )
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(tmp_path / "cache")}
    for run in ("cold", "warm"):  # the second run is answered by the lint cache
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, env=env
        )
        lines = result.stdout.splitlines()
        assert lines[-5:-1] == ["0 False False False", "[]", "[]", "[]"], run
        assert lines[-1] == ("[]" if run == "warm" else "['hooklint.checks.annotation_keys']"), run
    assert (tmp_path / "cache" / "lint").is_dir()
