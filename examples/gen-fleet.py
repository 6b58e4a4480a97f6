#!/usr/bin/env python3
"""Generate the example fleet in examples/fleet/ (python3, stdlib only).

A small Contoso organisation using the Azure RMS connector:
  EX01-EX04  Exchange Server 2016 CU23 on Windows Server 2016
  EX05-EX10  Exchange Server 2019 CU14 on Windows Server 2019
  SP01, SP02 SharePoint Server 2016 / 2019 (MSIPC client)
  RMSCON01, RMSCON02  RMS connector nodes behind rmsconnector.contoso.com

Each product runs one build on every server (a fleet mid-upgrade would
add version findings and blur the demonstration).

Planted drift: EX07's LicenseServerRedirection sends licensing to
http://rmsconnector.contoso.com while every other Exchange server uses
https (and so the connectors log event 2002, "non-secure HTTP connection",
for CONTOSO\\EX07$).  Everything else is consistent.

The output is in the canonical form irmfleet itself writes (same element
order, attribute order, escaping and indentation), so loading a file and
writing it back gives the same bytes.  Run from anywhere:
    python3 examples/gen-fleet.py [OUTDIR]      (default: examples/fleet)
"""
import os
import sys

TENANT = "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
CONNECTOR = "rmsconnector.contoso.com"
DOMAIN = "contoso.com"
NETBIOS = "CONTOSO"
COLLECTOR = ("irmfleet", "0.1.0")
CERT_PROBE = ("https://%s/_wmcs/certification/servercertification.asmx"
              % CONNECTOR)
DRIFTED = "EX07"

# Exchange builds from Microsoft's public build-number list.
EX2016_CU23 = ("Exchange Server 2016", "15.1.2507.39")    # CU23 Apr24HU
EX2019_CU14 = ("Exchange Server 2019", "15.2.1544.11")    # CU14 Apr24HU
WS2016 = ("Windows Server 2016 Datacenter (10.0.14393)", "10.0.14393.6897")
WS2019 = ("Windows Server 2019 Datacenter (10.0.17763)", "10.0.17763.5696")

EXCHANGE = [
    ("EX01", EX2016_CU23, WS2016), ("EX02", EX2016_CU23, WS2016),
    ("EX03", EX2016_CU23, WS2016), ("EX04", EX2016_CU23, WS2016),
    ("EX05", EX2019_CU14, WS2019), ("EX06", EX2019_CU14, WS2019),
    ("EX07", EX2019_CU14, WS2019), ("EX08", EX2019_CU14, WS2019),
    ("EX09", EX2019_CU14, WS2019), ("EX10", EX2019_CU14, WS2019),
]
SHAREPOINT = [
    ("SP01", ("SharePoint Server 2016", "16.0.4351.1000"), WS2016),
    ("SP02", ("SharePoint Server 2019", "16.0.10337.12109"), WS2019),
]
CONNECTORS = ["RMSCON01", "RMSCON02"]
SP_SERVICE = NETBIOS + "\\svc-spfarm"
MSIPC_VERSION = "1.0.3592.627"
MSIPC_DLL = ("C:\\Program Files\\Active Directory Rights Management "
             "Services Client 2.1\\msipc.dll")

# Get-IRMConfiguration as exported by Exchange 2019 (CSS-Exchange test
# data), with InternalLicensingEnabled True for a connector deployment;
# the same on every Exchange server (it is an organisation setting).
IRM_CONFIG = [
    ("Name", "string", "ControlPoint Config"),
    ("ServiceLocation", "uri", None),
    ("PublishingLocation", "uri", None),
    ("LicensingLocation", "uri-list", []),
    ("InternalLicensingEnabled", "bool", "True"),
    ("ExternalLicensingEnabled", "bool", "False"),
    ("AzureRMSLicensingEnabled", "bool", "False"),
    ("TransportDecryptionSetting", "enum", "Optional"),
    ("JournalReportDecryptionEnabled", "bool", "True"),
    ("SimplifiedClientAccessEnabled", "bool", "False"),
    ("ClientAccessServerEnabled", "bool", "True"),
    ("SearchEnabled", "bool", "True"),
    ("EDiscoverySuperUserEnabled", "bool", "True"),
    ("InternetConfidentialEnabled", "bool", "False"),
    ("RMSOnlineKeySharingLocation", "uri", None),
    ("ServerCertificatesVersion", "int", "0"),
    ("SharedServerBoxRacIdentity", "string", ""),
    ("RMSOnlineVersion", "string", ""),
]


def esc_attr(s):
    """Escape as libxml2 does inside attribute values."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\r", "&#13;").replace("\t", "&#9;"))


def esc_text(s):
    """Escape as libxml2 does in element text."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


class Doc:
    def __init__(self):
        self.lines = ['<?xml version="1.0" encoding="UTF-8"?>']
        self.depth = 0

    def _attrs(self, attrs):
        return "".join(' %s="%s"' % (k, esc_attr(v))
                       for k, v in attrs if v is not None)

    def open(self, name, *attrs):
        self.lines.append("  " * self.depth + "<%s%s>"
                          % (name, self._attrs(attrs)))
        self.depth += 1

    def close(self, name):
        self.depth -= 1
        self.lines.append("  " * self.depth + "</%s>" % name)

    def empty(self, name, *attrs):
        self.lines.append("  " * self.depth + "<%s%s/>"
                          % (name, self._attrs(attrs)))

    def text(self, name, value):
        if value == "":
            self.empty(name)
        else:
            self.lines.append("  " * self.depth + "<%s>%s</%s>"
                              % (name, esc_text(value), name))

    def write(self, path):
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(self.lines) + "\n")


def generation(d, roles, product):
    """<generation> (format version 2) as irmfleet derives it from this
    fleet's content (collector/snapshot/identity.c): Exchange servers carry
    ExSetup.exe's version, the product build and v15 IRM keys; SharePoint
    servers the product build and MSIPC client keys; connector nodes have
    no generation.  test_snapshot_xml checks it byte for byte."""
    hklm = "reg:HKLM\\SOFTWARE\\Microsoft\\"
    if "exchange" in roles:
        gen, src = "exchange-2013+", "ExSetup.exe"
        evidence = [("file", "file:ExSetup.exe", product[1]),
                    ("product", "Get-ExchangeServer", product[1]),
                    ("config-keys", hklm + "ExchangeServer\\v15\\IRM",
                     "IRM keys under v15")]
    elif "sharepoint" in roles:
        gen, src = "sharepoint-2013+", "product build"
        evidence = [("product", "product build", product[1]),
                    ("config-keys", hklm + "MSIPC\\ServiceLocation",
                     "MSIPC client keys")]
    else:
        return
    d.open("generation", ("name", gen), ("build", product[1]),
           ("buildSource", src), ("buildExact", "true"))
    for rank, source, value in evidence:
        d.empty("evidence", ("rank", rank), ("source", source),
                ("value", value), ("says", gen))
    d.close("generation")


def identity(d, server, roles, product, os_name, minute):
    d.open("identity")
    d.text("server", server)
    d.text("fqdn", "%s.%s" % (server, DOMAIN))
    d.open("roles")
    for r in roles:
        d.text("role", r)
    d.close("roles")
    if product:
        d.empty("product", ("name", product[0]), ("build", product[1]))
    generation(d, roles, product)
    d.text("os", os_name)
    d.text("collectedAt", "2026-03-01T02:%02d:00Z" % minute)
    d.text("method", "ssh")
    d.empty("collector", ("name", COLLECTOR[0]), ("version", COLLECTOR[1]))
    d.close("identity")


def registry(d, keys):
    d.open("registry")
    for path, values in keys:
        d.open("key", ("path", "HKEY_LOCAL_MACHINE\\" + path))
        for name, data in values:
            d.empty("value", ("name", name), ("type", "REG_SZ"),
                    ("data", data))
        d.close("key")
    d.close("registry")


def irm_configuration(d):
    d.open("irmConfiguration")
    for name, typ, value in IRM_CONFIG:
        if value is None:
            d.empty("property", ("name", name), ("type", typ),
                    ("nil", "true"))
        elif isinstance(value, list):
            if value:
                d.open("property", ("name", name), ("type", typ))
                for item in value:
                    d.text("item", item)
                d.close("property")
            else:
                d.empty("property", ("name", name), ("type", typ))
        else:
            d.empty("property", ("name", name), ("type", typ),
                    ("value", value))
    d.close("irmConfiguration")


def security(d, server, groups, service_accounts=()):
    d.open("security")
    d.text("computerAccount", "%s\\%s$" % (NETBIOS, server))
    d.open("groups")
    for g in groups:
        d.text("group", g)
    d.close("groups")
    if service_accounts:
        d.open("serviceAccounts")
        for a in service_accounts:
            d.text("account", a)
        d.close("serviceAccounts")
    d.close("security")


def probes(d, urls):
    d.open("probes")
    for url, status in urls:
        d.empty("probe", ("url", url), ("result", "http"),
                ("status", str(status)))
    d.close("probes")


def root(d):
    d.open("snapshot", ("xmlns", "urn:irmfleet:snapshot:1"),
           ("formatVersion", "2"))


def exchange(outdir, index, server, product, os_info):
    scheme = "http" if server == DRIFTED else "https"
    d = Doc()
    root(d)
    identity(d, server, ["exchange"], product, os_info[0], index)
    registry(d, [
        ("SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\Activation",
         [("", TENANT + "/_wmcs/certification")]),
        ("SOFTWARE\\Microsoft\\MSDRM\\ServiceLocation\\EnterprisePublishing",
         [("", TENANT + "/_wmcs/licensing")]),
        ("SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\"
         "CertificationServerRedirection",
         [(TENANT, "https://" + CONNECTOR)]),
        ("SOFTWARE\\Microsoft\\ExchangeServer\\v15\\IRM\\"
         "LicenseServerRedirection",
         [(TENANT, "%s://%s" % (scheme, CONNECTOR))]),
    ])
    irm_configuration(d)
    d.open("files")
    d.empty("file", ("name", "msdrm.dll"),
            ("path", "C:\\Windows\\System32\\msdrm.dll"),
            ("version", os_info[1]))
    d.empty("file", ("name", "ExSetup.exe"),
            ("path", "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
             "Bin\\ExSetup.exe"),
            ("version", product[1]))
    d.close("files")
    security(d, server, [NETBIOS + "\\Exchange Servers",
                         NETBIOS + "\\Exchange Trusted Subsystem",
                         NETBIOS + "\\Domain Computers"])
    probes(d, [(CERT_PROBE, 401)])
    d.close("snapshot")
    d.write(os.path.join(outdir, server + ".xml"))


def sharepoint(outdir, index, server, product, os_info):
    d = Doc()
    root(d)
    identity(d, server, ["sharepoint"], product, os_info[0], 20 + index)
    base = "https://" + CONNECTOR
    registry(d, [
        ("SOFTWARE\\Microsoft\\MSIPC\\CurrentVersion",
         [("", MSIPC_VERSION)]),
        ("SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\"
         "EnterpriseCertification", [("", base + "/_wmcs/certification")]),
        ("SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\EnterprisePublishing",
         [("", base + "/_wmcs/licensing")]),
        ("SOFTWARE\\Microsoft\\MSIPC\\ServiceLocation\\LicensingRedirection",
         [(TENANT + "/_wmcs/licensing", base + "/_wmcs/licensing")]),
    ])
    d.open("files")
    d.empty("file", ("name", "msipc.dll"), ("path", MSIPC_DLL),
            ("version", MSIPC_VERSION))
    d.close("files")
    security(d, server, [NETBIOS + "\\Domain Computers"], [SP_SERVICE])
    probes(d, [(CERT_PROBE, 401)])
    d.close("snapshot")
    d.write(os.path.join(outdir, server + ".xml"))


def connector(outdir, index, server):
    d = Doc()
    root(d)
    identity(d, server, ["connector"], None, WS2019[0], 30 + index)
    security(d, server, [NETBIOS + "\\Domain Computers"])
    d.open("authorizations")
    d.empty("authorization", ("account", NETBIOS + "\\Exchange Servers"),
            ("kind", "group"), ("role", "exchange"))
    d.empty("authorization", ("account", SP_SERVICE), ("kind", "user"),
            ("role", "sharepoint"))
    d.close("authorizations")
    d.open("events")
    # the load balancer spreads requests over both nodes; counts differ
    # per node but every authorized server shows up on each
    for n, (ex, _, _) in enumerate(EXCHANGE):
        count = 40 + 7 * n + 3 * index
        d.empty("event", ("id", "1002"),
                ("account", "%s\\%s$" % (NETBIOS, ex)),
                ("computer", "%s.%s" % (ex, DOMAIN)), ("count", str(count)),
                ("first", "2026-02-01T00:%02d:12Z" % (n + index)),
                ("last", "2026-03-01T01:%02d:47Z" % (50 - n - index)))
    for n, (sp, _, _) in enumerate(SHAREPOINT):
        d.empty("event", ("id", "1002"), ("account", SP_SERVICE),
                ("computer", "%s.%s" % (sp, DOMAIN)),
                ("count", str(12 + 5 * n + index)),
                ("first", "2026-02-01T06:%02d:03Z" % (10 + n)),
                ("last", "2026-02-28T18:%02d:41Z" % (20 + n)))
    # EX07 licenses over http: "non-secure (HTTP) connection"
    d.empty("event", ("id", "2002"),
            ("account", "%s\\%s$" % (NETBIOS, DRIFTED)),
            ("computer", "%s.%s" % (DRIFTED, DOMAIN)),
            ("count", str(1 + index)),
            ("first", "2026-02-17T09:%02d:31Z" % (14 + index)),
            ("last", "2026-02-17T09:%02d:31Z" % (14 + index)))
    # the authorization list is downloaded every 15 minutes: 28 days
    d.empty("event", ("id", "1004"), ("count", str(28 * 96)),
            ("first", "2026-02-01T00:0%d:00Z" % index),
            ("last", "2026-03-01T01:4%d:00Z" % index))
    d.close("events")
    probes(d, [("https://localhost/_wmcs/certification/"
                "servercertification.asmx", 401)])
    d.close("snapshot")
    d.write(os.path.join(outdir, server + ".xml"))


def main():
    import argparse
    ap = argparse.ArgumentParser(
        description="Write the example fleet's snapshots (see the top of "
                    "this file for what the fleet holds).")
    ap.add_argument("outdir", nargs="?",
                    default=os.path.join(
                        os.path.dirname(os.path.abspath(__file__)), "fleet"),
                    help="output directory (default: examples/fleet)")
    outdir = ap.parse_args().outdir
    os.makedirs(outdir, exist_ok=True)
    for i, (server, product, os_info) in enumerate(EXCHANGE):
        exchange(outdir, i, server, product, os_info)
    for i, (server, product, os_info) in enumerate(SHAREPOINT):
        sharepoint(outdir, i, server, product, os_info)
    for i, server in enumerate(CONNECTORS):
        connector(outdir, i, server)


if __name__ == "__main__":
    main()
