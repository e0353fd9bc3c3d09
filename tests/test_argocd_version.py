"""``argocd-version``: lenient parsing, clear errors (exit 2) from the CLI and the config,
and the version-dependent HL206."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.cli.app import main
from hooklint.cli.commands import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

HOOK_JOB_WITH_TTL = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  activeDeadlineSeconds: 60
  backoffLimit: 0
  ttlSecondsAfterFinished: 300
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: n
          image: example/n:1
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2.10", ArgoVersion(2, 10, 0)),
        ("v2.10.3", ArgoVersion(2, 10, 3)),
        ("V3.4", ArgoVersion(3, 4, 0)),
        ("3", ArgoVersion(3, 0, 0)),
        (" 3.5.1 ", ArgoVersion(3, 5, 1)),
        ("v3.5.0-rc1", ArgoVersion(3, 5, 0)),
        ("3.6.0+build.7", ArgoVersion(3, 6, 0)),
        ("latest", LATEST),
        ("Latest", LATEST),
    ],
)
def test_lenient_parsing(text: str, want: ArgoVersion) -> None:
    assert ArgoVersion.parse(text) == want


@pytest.mark.parametrize("text", ["", "v", "2.x", "2..1", "1.2.3.4", "two", "latest-1", "-3", "3.0 beta"])
def test_bad_versions_raise_a_clear_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"invalid Argo CD version .*: use 'latest' or a version like"):
        ArgoVersion.parse(text)


versions = st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))


@given(versions, st.sampled_from(["", "v"]), st.integers(1, 3))
def test_parse_round_trips_and_pads_missing_parts(
    parts: tuple[int, int, int], prefix: str, given_parts: int
) -> None:
    text = prefix + ".".join(str(p) for p in parts[:given_parts])
    padded = parts[:given_parts] + (0,) * (3 - given_parts)
    assert ArgoVersion.parse(text) == ArgoVersion(*padded)
    assert ArgoVersion.parse(str(ArgoVersion(*parts))) == ArgoVersion(*parts)


@given(versions, versions)
def test_order_is_numeric_not_textual(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    va, vb = ArgoVersion.parse("{}.{}.{}".format(*a)), ArgoVersion.parse("{}.{}.{}".format(*b))
    assert (va < vb) == (a < b)
    assert va < LATEST


def test_latest_prints_as_latest() -> None:
    assert str(LATEST) == "latest"
    assert str(ArgoVersion.parse("v2.9")) == "2.9.0"


# -- the CLI and the config ------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "job.yaml").write_text(HOOK_JOB_WITH_TTL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "job.yaml", "--select", "HL206", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_bad_version_exits_2_with_one_line(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--isolated", "--argocd-version", "2.x")
    assert code == EXIT_ERROR
    assert out == ""
    assert err == (
        "hooklint: error: --argocd-version: invalid Argo CD version '2.x': "
        "use 'latest' or a version like 2.10 or v3.5.1\n"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("argocd-version: soon", "'argocd-version': invalid Argo CD version 'soon'"),
        ("argocd-version: 2.10", "the unquoted number 2.1 is ambiguous, since YAML reads 2.10 as 2.1"),
        ("argocd-version: true", "'argocd-version': True is not of type 'string', 'number'"),
    ],
)
def test_config_bad_version_exits_2(
    app: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    (app / ".hooklint.yaml").write_text(line + "\n", encoding="utf-8")
    code, out, err = run(capsys)
    assert code == EXIT_ERROR
    assert out == ""
    assert err.startswith("hooklint: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "line", ["", 'argocd-version: "latest"', 'argocd-version: "3.0"', "argocd-version: 3"]
)
def test_hook_ttl_is_fine_from_3_0_and_by_default(
    app: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    (app / ".hooklint.yaml").write_text(line + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "--quiet")
    assert (code, out) == (EXIT_OK, "")


@pytest.mark.parametrize("line", ['argocd-version: "2.14"', 'argocd-version: "v2.14.3"', "argocd-version: 2"])
def test_hook_ttl_is_flagged_before_3_0_from_config(
    app: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    (app / ".hooklint.yaml").write_text(line + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "--quiet")
    assert code == EXIT_FINDINGS
    assert out.startswith("job.yaml:10:28: HL206 [warning] hook Job/notify (PostSync) sets ")


def test_cli_version_overrides_the_config(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (app / ".hooklint.yaml").write_text('argocd-version: "2.14"\n', encoding="utf-8")
    assert run(capsys, "--quiet", "--argocd-version", "latest")[0] == EXIT_OK
    (app / ".hooklint.yaml").write_text('argocd-version: "3.5"\n', encoding="utf-8")
    code, out, _ = run(capsys, "--quiet", "--argocd-version", "v2.9.1", "--output-format", "full")
    assert code == EXIT_FINDINGS
    assert "argocd-version is 2.9.1" in out
