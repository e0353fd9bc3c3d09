"""The attrs -> JSON writer for sarif-om objects."""

from __future__ import annotations

import sarif_om as om

from hooklint.output.sarif_json import sarif_data


def test_uses_schema_property_names_and_drops_defaults() -> None:
    result = om.Result(message=om.Message(text="m"), rule_id="HL001", rule_index=0)
    # kind ("fail"), level ("warning"), rank (-1) equal their defaults and are left out.
    assert sarif_data(result) == {"message": {"text": "m"}, "ruleId": "HL001", "ruleIndex": 0}


def test_keeps_a_value_that_differs_from_the_default() -> None:
    result = om.Result(message=om.Message(text="m"), level="error", kind="review", rank=10.0)
    assert sarif_data(result) == {"message": {"text": "m"}, "level": "error", "kind": "review", "rank": 10.0}


def test_keep_writes_named_properties_even_at_their_default() -> None:
    result = om.Result(message=om.Message(text="m"), level="warning")
    assert "level" not in sarif_data(result)
    assert sarif_data(result, keep={"level"}) == {"message": {"text": "m"}, "level": "warning"}


def test_required_properties_are_written_and_factory_defaults_dropped() -> None:
    driver = om.ToolComponent(name="x")  # contents defaults to a factory-made list
    assert sarif_data(driver) == {"name": "x"}
    driver = om.ToolComponent(name="x", contents=["localizedData"])
    assert sarif_data(driver) == {"name": "x", "contents": ["localizedData"]}
    assert sarif_data(om.Invocation(execution_successful=False)) == {"executionSuccessful": False}


def test_dollar_schema_name_and_empty_list_kept() -> None:
    log = om.SarifLog(version="2.1.0", schema_uri="https://x/schema.json", runs=[])
    assert sarif_data(log) == {"runs": [], "version": "2.1.0", "$schema": "https://x/schema.json"}
    run = om.Run(tool=om.Tool(driver=om.ToolComponent(name="x")), results=[])
    assert sarif_data(run) == {"tool": {"driver": {"name": "x"}}, "results": []}


def test_plain_dicts_and_nested_lists_are_walked() -> None:
    rule = om.ReportingDescriptor(
        id="HL1",
        properties={"problem.severity": "error", "tags": ("a", "b")},
        default_configuration=om.ReportingConfiguration(level="note"),
    )
    assert sarif_data(rule) == {
        "id": "HL1",
        "defaultConfiguration": {"level": "note"},
        "properties": {"problem.severity": "error", "tags": ["a", "b"]},
    }


def test_bool_is_not_mistaken_for_an_equal_number() -> None:
    # enabled defaults to True; 1 == True in Python but not in JSON.
    assert sarif_data(om.ReportingConfiguration(enabled=1)) == {"enabled": 1}
    assert sarif_data(om.ReportingConfiguration(enabled=True)) == {}
    # rank defaults to -1.0: the int -1 is the same JSON number.
    assert sarif_data(om.ReportingConfiguration(rank=-1)) == {}
