#!/usr/bin/env python3
"""gen-audit-fleet.py - a synthetic fleet of Exchange snapshots for the
history store's bench and reliability tests.

usage: gen-audit-fleet.py OUTDIR NSERVERS [--variant V] [--fail NAME...]
                          [--collected ISO]

Writes OUTDIR/SRVnnnnn.xml (snapshot format 1), each with 84 registry
values (the 4 the connector requires and 80 more), 17 IRM properties, 2 file versions and 3 groups (~100 settings).
--variant V changes all 80 extra registry values on every server (V=0 is the base
fleet), so alternating variants makes every audit write many changes.
--fail NAME writes NAME's snapshot as a failed host (a "host" error).
Output is deterministic.
"""
import argparse
import os

TENANT = "https://5c6bb73b-1038-4eec-863d-49bded473437.rms.na.aadrm.com"
KEYS = [
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSDRM",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSDRM\ServiceLocation",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSIPC",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\MSIPC\ServiceLocation",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\ExchangeServer\v15\IRM",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\AADRM",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\MSDRM",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\MSIPC",
]
PROPS = [
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
    ("RMSOnlineVersion", "string", ""),
    ("SharedServerBoxRacIdentity", "string", ""),
    ("DecryptAttachmentForEncryptOnly", "bool", "False"),
    ("DecryptAttachmentFromPortal", "bool", "False"),
    ("RejectIfRecipientHasNoRights", "bool", "False"),
    ("EnablePdfEncryption", "bool", "False"),
    ("AutomaticServiceUpdateEnabled", "bool", "True"),
]


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def snapshot(name, variant, failed, collected):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<snapshot xmlns="urn:irmfleet:snapshot:1" formatVersion="1">',
           "  <identity>", f"    <server>{name}</server>",
           f"    <fqdn>{name}.contoso.com</fqdn>",
           "    <roles>", "      <role>exchange</role>", "    </roles>",
           '    <product name="Exchange Server 2019" build="15.2.1544.11"/>',
           "    <os>Windows Server 2019 Datacenter (10.0.17763)</os>",
           f"    <collectedAt>{collected}</collectedAt>",
           "    <method>ssh</method>",
           '    <collector name="irmfleet" version="0.1.0"/>',
           "  </identity>"]
    if failed:
        out += ["  <errors>",
                '    <error item="host" reason="connection">'
                "<message>connect: connection refused</message></error>",
                "  </errors>", "</snapshot>"]
        return "\n".join(out) + "\n"
    out.append("  <registry>")
    # what the connector documentation requires of an Exchange server
    for key, vname, data in [
            (r"MSDRM\ServiceLocation\Activation", "",
             TENANT + "/_wmcs/certification"),
            (r"MSDRM\ServiceLocation\EnterprisePublishing", "",
             TENANT + "/_wmcs/licensing"),
            (r"ExchangeServer\v15\IRM\CertificationServerRedirection",
             TENANT, "https://rmsconnector.contoso.com"),
            (r"ExchangeServer\v15\IRM\LicenseServerRedirection",
             TENANT, "https://rmsconnector.contoso.com")]:
        out.append('    <key path="HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\'
                   f'{esc(key)}">')
        out.append(f'      <value name="{esc(vname)}" type="REG_SZ" '
                   f'data="{esc(data)}"/>')
        out.append("    </key>")
    for k, key in enumerate(KEYS):
        out.append(f'    <key path="{esc(key)}">')
        for v in range(10):
            changed = variant != 0
            if v % 3 == 2:
                data = str(v + (variant if changed else 0))
                out.append(f'      <value name="Setting{v:02d}" '
                           f'type="REG_DWORD" data="{data}"/>')
            else:
                data = f"{TENANT}/_wmcs/k{k}/v{v}"
                if changed:
                    data += f"/variant{variant}"
                out.append(f'      <value name="Setting{v:02d}" '
                           f'type="REG_SZ" data="{esc(data)}"/>')
        out.append("    </key>")
    out.append("  </registry>")
    out.append("  <irmConfiguration>")
    for p, t, val in PROPS:
        out.append(f'    <property name="{p}" type="{t}" value="{val}"/>')
    out.append("  </irmConfiguration>")
    out += ["  <files>",
            '    <file name="msdrm.dll" version="10.0.17763.5696"/>',
            '    <file name="ExSetup.exe" version="15.2.1544.11"/>',
            "  </files>",
            "  <security>",
            f"    <computerAccount>CONTOSO\\{name}$</computerAccount>",
            "    <groups>",
            "      <group>CONTOSO\\Exchange Servers</group>",
            "      <group>CONTOSO\\Exchange Trusted Subsystem</group>",
            "      <group>CONTOSO\\Domain Computers</group>",
            "    </groups>",
            "  </security>",
            "</snapshot>"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--variant", type=int, default=0)
    ap.add_argument("--fail", nargs="*", default=[])
    ap.add_argument("--collected", default="2026-03-01T02:00:00Z")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    for i in range(a.n):
        name = f"SRV{i:05d}"
        with open(os.path.join(a.outdir, name + ".xml"), "w",
                  encoding="utf-8") as f:
            f.write(snapshot(name, a.variant, name in a.fail, a.collected))


if __name__ == "__main__":
    main()
