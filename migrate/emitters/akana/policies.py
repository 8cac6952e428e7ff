"""The spec's security schemes as the organisation's Akana policies (seed 003: the version's
``Policies.Policy[]`` of ``{"PolicyKey", "PolicyType": "Operational Policy"}``).

Akana applies security through policies the organisation has set up (its key for "application
security", for OAuth, ...); a spec's scheme cannot be turned into one. The profile therefore maps
schemes to policy keys (``akana_policies`` in the profile, ``--akana-policy KEY=POLICYKEY`` on the
command line, the command line first). A mapping key names one scheme (``api_key``) or a kind
of scheme (``apiKey``, ``oauth2``, ``openIdConnect``, ``oauth1``, ``mutualTLS``, ``http-basic``,
``http-bearer``, ``http-<scheme>``); the scheme's name wins over its kind.

Every scheme is reported: one with a policy with what the policy, not the scheme, now decides;
one without a mapping as not carried, with the kind to map it by.
"""

from __future__ import annotations

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.model import Api, SecurityScheme
from migrate.emitters.common import scheme_holds

#: seed 003:145-156: the type of every policy in the samples
POLICY_TYPE = "Operational Policy"


#: the kinds a mapping key may name besides a scheme's name (``http-<scheme>`` too)
KINDS = ("apiKey", "oauth2", "openIdConnect", "oauth1", "mutualTLS")


def scheme_kind(scheme: SecurityScheme) -> str:
    """The mapping key of a scheme's kind: its type, ``http-<scheme>`` for HTTP schemes."""
    if scheme.type == "http":
        return f"http-{(scheme.scheme or '').lower()}"
    return scheme.type


def parse_mapping(entries: tuple[str, ...]) -> dict[str, str]:
    """``KEY=POLICYKEY`` entries as a mapping; the first entry for a key wins (the command line's
    come before the profile's)."""
    mapping: dict[str, str] = {}
    for entry in entries:
        key, sep, policy = entry.partition("=")
        if not sep or not key.strip() or not policy.strip():
            raise EmitError("akana", f"--akana-policy {literal(entry)}: write SCHEME=POLICYKEY, for example "
                            "apiKey=10001-ApplicationSecurityPolicy (akana_policies in the profile)")
        mapping.setdefault(key.strip(), policy.strip())
    return mapping


def policy_for(scheme: SecurityScheme, mapping: dict[str, str]) -> str | None:
    return mapping.get(scheme.name) or mapping.get(scheme_kind(scheme))


def policies(api: Api, entries: tuple[str, ...], report: Report) -> list[dict[str, str]]:
    """The version's policies for ``api``'s schemes, in scheme order, each key once; every scheme
    reported (see the module docstring)."""
    mapping = parse_mapping(entries)
    names = {s.name for s in api.security_schemes}
    strays = sorted(k for k in mapping if k not in names and k not in KINDS and not k.startswith("http-"))
    stray = (f"; the mapping's {', '.join(literal(k) for k in strays)} names no scheme of this spec and no kind "
             f"(a misspelt scheme name?)") if strays else ""
    keys: dict[str, None] = {}
    for scheme in api.security_schemes:
        key = policy_for(scheme, mapping)
        held = scheme_holds(scheme)
        what = f"security scheme {literal(scheme.name)} ({scheme.type}{'; ' + held if held else ''})"
        if key is None:
            report.report(Code.SECURITY_SCHEME_UNSUPPORTED, scheme.pointer,
                          f"{what} is not carried: Akana applies security through the organisation's policies "
                          f"and the profile maps no policy to it (akana_policies: {scheme_kind(scheme)} = "
                          f"\"POLICYKEY\" or {scheme.name} = \"POLICYKEY\"; or --akana-policy){stray}")
            continue
        keys[key] = None
        report.report(Code.SECURITY_POLICY_MAPPED, scheme.pointer,
                      f"{what} became the organisation's policy {literal(key)}: that policy's configuration, not "
                      "the scheme, decides what is checked, on every operation of the version")
    _requirements(api, mapping, report)
    return [{"PolicyKey": k, "PolicyType": POLICY_TYPE} for k in keys]


def _requirements(api: Api, mapping: dict[str, str], report: Report) -> None:
    """The API's default requirement is carried when it is one set of mapped schemes."""
    if not api.security:
        return
    by_name = {s.name: s for s in api.security_schemes}
    named = [name for requirement in api.security for name in requirement]
    mapped = all(name in by_name and policy_for(by_name[name], mapping) for name in named)
    if mapped and len(api.security) == 1:
        return
    raml = api.source is not None and api.source.format == "raml"
    why = ("its alternatives (any one of them suffices) cannot be told apart: every mapped policy applies"
           if mapped else "not every scheme it names has a policy")
    report.report(Code.SECURITY_SCHEME_UNSUPPORTED, "/securedBy" if raml else "/security",
                  f"the API's default security requirement is not carried: {why}")
