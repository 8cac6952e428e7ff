"""Akana API Platform emitter.

Two modes (``EmitOptions.akana_mode``):

``legacy``
    The body of the legacy ``POST /api/apis`` (seed 003) as ``akana.json`` or, with
    ``akana_format="xml"``, ``akana.xml``: Name, Description, Visibility, Tag and an APIVersion
    with Endpoints, Operations, TargetAPI (the backend), Policies and DefaultProfile. Policies,
    visibility and access flags come from ``templates/akana/defaults.j2``, which an organisation
    shadows with ``--templates DIR``. Everything the body cannot hold is reported.
``import``
    ``openapi.json`` (the OpenAPI 3 emitter's output) plus ``akana-descriptor.json``, the
    ``{"DLDescriptor": {"ServiceDescriptorReference": {...}}}`` body of ``POST /api/apis`` (Akana
    8.1+). Its ``DropboxFileId`` is the placeholder ``${DropboxFileId}`` (``DROPBOX_PLACEHOLDER``):
    the push client uploads ``openapi.json`` with ``POST /api/dropbox/readfiledetails`` and puts
    the returned id in its place.
"""

from __future__ import annotations

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.model import Api
from migrate.emitters.akana.body import Body, build
from migrate.emitters.akana.implementations import implementations_file, sandbox_url
from migrate.emitters.akana.losses import report_losses
from migrate.emitters.akana.steps import STEPS
from migrate.emitters.base import EmitOptions, Payload, PayloadFile
from migrate.emitters.base import emit as emit_target
from migrate.emitters.common import parse_back, xml_invalid_chars
from migrate.emitters.render import render
from migrate.transforms import apply

TARGET = "akana"
DROPBOX_PLACEHOLDER = "${DropboxFileId}"
DESCRIPTOR_FILE = "akana-descriptor.json"
FORMATS = {"json": "application/json", "xml": "application/xml"}
MODES = ("legacy", "import")


def emit(api: Api, options: EmitOptions) -> Payload:
    """The Akana payload for ``api`` (see the module docstring for the two modes)."""
    if options.akana_mode not in MODES:
        raise EmitError(TARGET, f"unknown Akana mode {literal(options.akana_mode)}; expected legacy or import")
    if options.akana_format not in FORMATS:
        raise EmitError(TARGET, f"unknown Akana format {literal(options.akana_format)}; expected json or xml")
    if options.akana_mode == "import":
        if options.akana_format != "json":
            raise EmitError(TARGET, "import mode sends a JSON DLDescriptor; --akana-format xml applies "
                            "to the legacy body only")
        return import_payload(api, emit_target(api, "openapi", options), options)
    return legacy_payload(api, options)


def legacy_payload(api: Api, options: EmitOptions) -> Payload:
    """``akana.json`` / ``akana.xml``: the legacy body, with every loss reported."""
    payload = Payload(TARGET)
    shaped = apply(api, STEPS, payload.report)
    body = build(shaped, options, payload.report)
    report_losses(shaped, payload.report)
    fmt = options.akana_format
    if fmt == "xml":
        check_xml_text(body, payload.report)
    text = render(f"akana/api.{fmt}.j2", body.context, options.templates_dir, TARGET)
    payload.files.append(PayloadFile(f"akana.{fmt}", text, FORMATS[fmt], parse_back(text, fmt, TARGET)))
    url, _ = sandbox_url(shaped, options)
    if url is not None:
        payload.files.append(implementations_file(url))
    return payload


def import_payload(api: Api, openapi: Payload, options: EmitOptions) -> Payload:
    """``openapi.json`` (from ``openapi``, the OpenAPI emitter's payload) plus the DLDescriptor."""
    payload = Payload(TARGET)
    payload.report.extend(list(openapi.report))
    _unused_in_import(options, payload.report)
    spec = openapi.main()
    context = {"service_name": api.title, "file_name": spec.name, "dropbox_file_id": DROPBOX_PLACEHOLDER}
    text = render("akana/descriptor.json.j2", context, options.templates_dir, TARGET)
    payload.files.append(spec)
    payload.files.append(PayloadFile(DESCRIPTOR_FILE, text, "application/json", parse_back(text, "json", TARGET)))
    return payload


def _unused_in_import(options: EmitOptions, report: Report) -> None:
    """The DLDescriptor refers to the uploaded document only: endpoint options have no place in it."""
    given = [flag for flag, value in (("--akana-endpoint", options.akana_endpoint), ("--akana-cname",
             options.akana_cname), ("--akana-zone-rule", options.akana_zone_rule), ("--target-url",
             options.target_url), ("--akana-sandbox-url", options.akana_sandbox_url)) if value]
    if options.akana_policies:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, "", "import mode sends only the document and a "
                      "DLDescriptor, which has no policies: the policy mapping (--akana-policy, the profile's "
                      "akana_policies) is not applied; attach the policies on the platform, or use --akana-mode legacy")
    if given:
        report.report(Code.SERVER_DROPPED, "", f"import mode sends only the document and a DLDescriptor: "
                      f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} not used (the document's servers "
                      "are the backend; set the proxy endpoint on the platform, or use --akana-mode legacy)")


def check_xml_text(body: Body, report: Report) -> None:
    """Report every source string with characters XML 1.0 cannot hold (the ``xml`` filter
    writes U+FFFD in their place)."""
    for value, pointer in body.texts:
        bad = xml_invalid_chars(value)
        if bad:
            report.report(Code.VALUE_INVALID_FOR_TARGET, pointer, f"{literal(value)} has characters XML 1.0 "
                          f"cannot hold ({', '.join(bad)}); they were written as U+FFFD")
