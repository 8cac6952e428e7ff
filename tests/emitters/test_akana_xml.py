"""Akana legacy body in XML: same content as the JSON form; hostile strings survive or are reported."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.core.model import Api, Content, Operation, Parameter, RequestBody, Resource, Restrictions, Server
from migrate.emitters.akana.emit import import_payload
from migrate.emitters.base import EmitOptions, Payload, PayloadFile, emit

#: elements that stand for JSON array items (seed 003 arrays)
REPEATED = {"Tag", "Input", "Endpoint", "Operation", "Policy"}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML = EmitOptions(akana_format="xml")


def xml_to_json(element: ET.Element) -> Any:
    """Read the XML form back into the JSON shape (text values; repeated elements as lists)."""
    children = list(element)
    if not children and element.tag not in ("Endpoints", "Operations", "Policies"):
        return element.text or ""
    out: dict[str, Any] = {}
    for child in children:
        value = xml_to_json(child)
        if child.tag in REPEATED:
            out.setdefault(child.tag, []).append(value)
        else:
            out[child.tag] = value
    return out


def json_as_xml_text(value: Any) -> Any:
    """The JSON document with scalars as the XML form writes them and nulls/empty lists dropped."""
    if isinstance(value, dict):
        return {k: json_as_xml_text(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [json_as_xml_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _api(title: str = "Pets", description: str = "d", tag: str = "t", name: str = "q",
         media_type: str = "application/json", enum_value: str = "e") -> Api:
    op = Operation("POST", operation_id="add", pointer="/paths/~1pets/post", parameters=[
        Parameter(name, "query", pointer="/paths/~1pets/post/parameters/0",
                  restrictions=Restrictions(enum=[enum_value])),
    ], request_body=RequestBody(contents=[Content(media_type, pointer="/paths/~1pets/post/requestBody")]))
    return Api(title=title, version="1.0", description=description, tags=[tag],
               servers=[Server(url="https://api.example.com/v1"), Server(url="https://sandbox.example.com")],
               resources=[Resource("/pets", pointer="/paths/~1pets", operations=[op])])


def test_xml_holds_the_same_content_as_json() -> None:
    api = _api()
    json_doc = emit(api, "akana").main().document
    root = emit(api, "akana", XML).main().document
    assert root.tag == "API"
    assert xml_to_json(root) == json_as_xml_text(json_doc)


def test_xml_starts_with_declaration_and_is_deterministic() -> None:
    text = emit(_api(), "akana", XML).main().text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<API>')
    assert text.endswith("</API>\n")
    assert text == emit(_api(), "akana", XML).main().text


def test_markup_in_values_is_escaped() -> None:
    title = '</Name><Injected a="1"/>&amp; {{ x }}'
    root = emit(_api(title=title), "akana", XML).main().document
    assert root.findtext("Name") == title and root.find(".//Injected") is None


def test_control_characters_are_reported_not_silently_altered() -> None:
    payload = emit(_api(title="bad\x07title", name="q\x1b"), "akana", XML)
    found = {(d.code.name, d.pointer) for d in payload.report}
    assert ("VALUE_INVALID_FOR_TARGET", "/info/title") in found
    assert ("VALUE_INVALID_FOR_TARGET", "/paths/~1pets/post/parameters/0") in found
    assert payload.main().document.findtext("Name") == "bad\ufffdtitle"


def test_control_characters_are_fine_in_json() -> None:
    payload = emit(_api(title="bad\x07title"), "akana")
    assert payload.main().document["Name"] == "bad\x07title"
    assert "VALUE_INVALID_FOR_TARGET" not in payload.report.by_code()


hostile = st.one_of(
    st.sampled_from(['"', "\\", "{{ x }}", "{% if %}", "</x>", "<![CDATA[", "&amp;", "\r\n", "\x00", "\ufffe",
                     "'", "${DropboxFileId}", " ", "ü€😀"]),
    st.text(max_size=20),
).flatmap(lambda first: st.text(max_size=10).map(lambda rest: first + rest))


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, description=hostile, tag=hostile, name=hostile, media_type=hostile, enum_value=hostile)
def test_hostile_strings_survive_both_forms(title: str, description: str, tag: str, name: str,
                                            media_type: str, enum_value: str) -> None:
    api = _api(title, description, tag, name, media_type or "x", enum_value)
    expected = {"Name": title, "Description": description, "Tag": [tag], "Input": name,
                "InputContentType": media_type or "x"}
    doc = emit(api, "akana").main().document
    op = doc["APIVersion"]["Operations"]["Operation"][0]
    got = {"Name": doc["Name"], "Description": doc["Description"], "Tag": doc["APIVersion"]["Tag"],
           "Input": op["Input"][0]["Name"], "InputContentType": op["InputContentType"]}
    assert got == expected
    xml_payload = emit(api, "akana", XML)
    data = xml_to_json(xml_payload.main().document)
    xop = data["APIVersion"]["Operations"]["Operation"][0]
    xgot = {"Name": data["Name"], "Description": data["Description"], "Tag": data["APIVersion"]["Tag"],
            "Input": xop["Input"][0]["Name"], "InputContentType": xop["InputContentType"]}
    assert xgot == {k: _xml_form(v) for k, v in expected.items()}
    invalid = any(XML_INVALID.search(v) for v in (title, description, tag, name, media_type))
    assert ("VALUE_INVALID_FOR_TARGET" in xml_payload.report.by_code()) == invalid


def _xml_form(value: Any) -> Any:
    if isinstance(value, list):
        return [_xml_form(v) for v in value]
    return XML_INVALID.sub("\ufffd", value)


@settings(max_examples=50, deadline=None, database=None)
@given(title=hostile)
def test_hostile_title_survives_the_import_descriptor(title: str) -> None:
    spec = Payload("openapi", [PayloadFile("openapi.json", "{}\n", document={})])
    payload = import_payload(_api(title=title), spec, EmitOptions(akana_mode="import"))
    reference = payload.files[1].document["DLDescriptor"]["ServiceDescriptorReference"]
    assert reference["ServiceName"] == title and reference["DropboxFileId"] == "${DropboxFileId}"


def test_a_lone_surrogate_is_written_as_replacement_character_as_reported(tmp_path: Any) -> None:
    """A JSON spec may hold a lone surrogate (``"A\\ud800B"``); the XML form writes U+FFFD in its
    place and the report says so (one XML-character rule for the filter and the report)."""
    from migrate.conversion.run import convert

    spec = tmp_path / "api.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "A\\ud800B", "version": "1"}, "paths": {"/a": '
                    '{"get": {"responses": {"200": {"description": "ok"}}}}}}', encoding="utf-8")
    payload = convert(spec, "akana", EmitOptions(akana_format="xml")).payload
    assert "<Name>A\ufffdB</Name>" in payload.main().text
    (said,) = [d for d in payload.report if "U+D800" in d.message]
    assert said.pointer == "/info/title" and "written as U+FFFD" in said.message


def test_both_operation_lists_hold_the_same_operations_at_their_own_pads() -> None:
    """The list is rendered once and written at two pads: a NUL or a line break in a value (the
    xml filter writes U+FFFD for the NUL) changes neither list nor their indentation."""
    api = _api(name="q\x00\nr", media_type="application/x\n\x00y", enum_value="a\r\nb")
    payload = emit(api, "akana", XML)
    text, root = payload.main().text, payload.main().document
    assert "\x00" not in text
    target = root.find("APIVersion/TargetAPI/Operations")
    version = root.find("APIVersion/Operations")
    assert target is not None and version is not None
    assert xml_to_json(target) == xml_to_json(version)
    assert xml_to_json(version)["Operation"][0]["Input"][0]["Name"] == "q\ufffd\nr"
    assert "\n        <Operation>\n          <Method>POST</Method>" in text  # TargetAPI's pad
    assert "\n      <Operation>\n        <Method>POST</Method>" in text  # APIVersion's pad
