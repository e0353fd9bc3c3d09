"""The config's JSON Schema: one file for the validator and for editors, with a stable $id."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from hooklint.cli.app import main
from hooklint.config import SCHEMA_PATH, SCHEMA_URL, validate_config_data
from tests.conftest import REPO

RAW_PREFIX = "https://raw.githubusercontent.com/hooklint/hooklint/main/"


def schema() -> dict[str, object]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_id_is_the_url_of_the_shipped_file() -> None:
    data = schema()
    assert data["$id"] == SCHEMA_URL
    assert SCHEMA_URL.startswith(RAW_PREFIX)
    assert (REPO / SCHEMA_URL.removeprefix(RAW_PREFIX)).resolve() == SCHEMA_PATH
    jsonschema.Draft202012Validator.check_schema(data)


def test_the_readme_documents_the_editor_line() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"# yaml-language-server: $schema={SCHEMA_URL}" in readme


def test_the_validator_reads_the_same_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Change the shipped schema, and the validator changes: there is no second copy."""
    strict = schema()
    strict["properties"]["namespace"]["maxLength"] = 3  # type: ignore[index]
    changed = tmp_path / "schema.json"
    changed.write_text(json.dumps(strict))
    monkeypatch.setattr("hooklint.config.SCHEMA_PATH", changed)
    with pytest.raises(Exception, match="'namespace': 'long' is too long"):
        validate_config_data({"namespace": "long"}, "x")


def test_a_config_with_the_editor_line_and_codes_as_rule_keys_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".hooklint.yaml").write_text(
        f"# yaml-language-server: $schema={SCHEMA_URL}\nrules:\n  HL002: {{severity: info}}\n"
    )
    (tmp_path / "cm.yaml").write_text(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n  annotations:\n    argocd.argoproj.io/sync-wave: "x"\n'
    )
    assert main(["check", ".", "-q"]) == 0  # HL002 is info now, below fail-on
    assert capsys.readouterr().out.startswith("cm.yaml:6:35: HL002 [info]")
