"""The wire itself: parameter sources, content-type rule, XML and JSON shapes, dispatcher errors."""
from __future__ import annotations

import json
import re

import requests
from conftest import admin_ks

XML_HEAD = '<?xml version="1.0" encoding="utf-8"?><xml><result>'


def post(sb, path: str, **kwargs) -> requests.Response:
    return requests.post(sb.service_url + path, timeout=5, **kwargs)


def body_without_time(response: requests.Response) -> str:
    return re.sub(r"<executionTime>[0-9.]+</executionTime>", "<executionTime>T</executionTime>", response.text)


def test_widget_session_over_form_encoding_has_the_exact_xml_envelope(sb):
    r = post(sb, "/api_v3/service/session/action/startWidgetSession", data={"widgetId": f"_{sb.partner_id}"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/xml"
    text = body_without_time(r)
    assert text.startswith(XML_HEAD + "<objectType>KalturaStartWidgetSessionResponse</objectType>"
                           f"<relatedObjects></relatedObjects><partnerId>{sb.partner_id}</partnerId><ks>")
    assert text.endswith("<userId>0</userId></result><executionTime>T</executionTime></xml>")


def test_error_xml_shape_with_args(sb):
    r = post(sb, "/api_v3/service/apptoken/action/get", data={"id": "0_nosuch00", "ks": admin_ks(sb)})
    assert body_without_time(r) == (
        XML_HEAD + "<error><objectType>KalturaAPIException</objectType><code>APP_TOKEN_ID_NOT_FOUND</code>"
        "<message>Application token id &quot;0_nosuch00&quot; not found</message><args><item>"
        "<objectType>KalturaApiExceptionArg</objectType><name>ID</name><value>0_nosuch00</value></item>"
        "</args></error></result><executionTime>T</executionTime></xml>")


def test_json_body_needs_content_type_exactly_application_json(sb):
    params = {"widgetId": "_999"}
    exact = post(sb, "/api_v3/service/session/action/startWidgetSession",
                 data=json.dumps(params), headers={"Content-Type": "application/json"})
    assert "<code>INVALID_WIDGET_ID</code>" in exact.text and "Unknown widget [_999]" in exact.text
    charset = post(sb, "/api_v3/service/session/action/startWidgetSession",
                   data=json.dumps(params), headers={"Content-Type": "application/json; charset=utf-8"})
    assert "<code>MISSING_MANDATORY_PARAMETER</code>" in charset.text
    assert "Missing parameter &quot;widgetId&quot;" in charset.text


def test_url_parameters_win_over_the_body(sb):
    r = post(sb, f"/api_v3/service/session/action/startWidgetSession?widgetId=_{sb.partner_id}",
             data={"widgetId": "_1"})
    assert "<ks>" in r.text


def test_index_php_with_query_string_and_case_insensitive_names(sb):
    r = post(sb, f"/api_v3/index.php?service=SESSION&action=STARTWIDGETSESSION&widgetId=_{sb.partner_id}")
    assert "KalturaStartWidgetSessionResponse" in r.text


def test_colon_and_bracket_nested_form_keys(sb, admin):
    ks = admin_ks(sb)
    flat = post(sb, "/api_v3/service/userrole/action/list",
                data={"ks": ks, "filter:systemNameEqual": "PLAYBACK_BASE_ROLE"})
    assert "<totalCount>1</totalCount>" in flat.text and "PLAYBACK BASE ROLE" in flat.text
    brackets = post(sb, "/api_v3/service/userrole/action/list",
                    data={"ks": ks, "filter[descriptionLike]": "playback base"})
    assert "<totalCount>1</totalCount>" in brackets.text


def test_format_1_answers_json_without_nulls(sb):
    r = post(sb, "/api_v3/service/apptoken/action/add", data={
        "ks": admin_ks(sb), "format": "1", "appToken:objectType": "KalturaAppToken",
        "appToken:description": "json"})
    data = r.json()
    assert data["objectType"] == "KalturaAppToken"
    assert data["hashType"] == "SHA1" and data["status"] == 2 and data["description"] == "json"
    assert "expiry" not in data and "sessionType" not in data
    error = post(sb, "/api_v3/service/apptoken/action/get", data={"ks": admin_ks(sb), "format": "1",
                                                                 "id": "x"}).json()
    assert error == {"code": "APP_TOKEN_ID_NOT_FOUND", "message": 'Application token id "x" not found',
                     "objectType": "KalturaAPIException", "args": {"ID": "x"}}


def test_nulls_are_empty_elements_unless_ignore_null(sb):
    common = {"ks": admin_ks(sb), "appToken:objectType": "KalturaAppToken"}
    plain = post(sb, "/api_v3/service/apptoken/action/add", data=common)
    assert "<expiry></expiry><sessionType></sessionType><sessionUserId></sessionUserId>" in plain.text
    assert "<hashType>SHA1</hashType><description></description>" in plain.text
    omitted = post(sb, "/api_v3/service/apptoken/action/add", data={**common, "ignoreNull": "1"})
    assert "<expiry>" not in omitted.text and "<hashType>SHA1</hashType>" in omitted.text


def test_dispatcher_errors(sb):
    cases = {
        "/api_v3/service/nosuch/action/list": ("SERVICE_DOES_NOT_EXISTS", 'Service "nosuch" does not exists'),
        "/api_v3/service/appToken/action/nosuch": (
            "ACTION_DOES_NOT_EXISTS", 'Action "nosuch" does not exists for service "apptoken"'),
        "/api_v3/index.php": ("SERVICE_NOT_SPECIFIED", "Service name was not specified, please specify one"),
        "/api_v3/service/apptoken": ("ACTION_NOT_SPECIFIED", "Action name was not specified, please specify one"),
    }
    for path, (code, message) in cases.items():
        text = post(sb, path).text.replace("&quot;", '"')
        assert f"<code>{code}</code><message>{message}</message>" in text, path


def test_service_forbidden_sets_the_x_kaltura_header(sb):
    r = post(sb, "/api_v3/service/apptoken/action/list")
    assert r.headers["X-Kaltura"] == "error-SERVICE_FORBIDDEN"
    assert "The access to service [apptoken-&gt;list] is forbidden" in r.text


def test_unknown_format_is_refused(sb):
    r = post(sb, f"/api_v3/service/session/action/startWidgetSession?widgetId=_{sb.partner_id}&format=9")
    assert "<code>UNKNOWN_RESPONSE_FORMAT</code>" in r.text


def test_invalid_xml_character_is_refused(sb):
    r = post(sb, "/api_v3/service/apptoken/action/add", data={
        "ks": admin_ks(sb), "appToken:description": "bell\x07"})
    assert "<code>INVALID_PARAMETER_CHAR</code>" in r.text
    assert sb.tokens() == []


def test_object_parameter_that_is_not_a_map(sb):
    r = post(sb, "/api_v3/service/apptoken/action/add", data={"ks": admin_ks(sb), "appToken": "x"})
    assert "The property &quot;appToken&quot; must match format array" in r.text


def test_request_log_names_each_call(sb):
    post(sb, f"/api_v3/service/session/action/startWidgetSession?widgetId=_{sb.partner_id}")
    assert sb.requests[-1]["calls"] == ["session.startwidgetsession"]
    assert sb.requests[-1]["path"].startswith("/api_v3/service/session/action/startWidgetSession")
