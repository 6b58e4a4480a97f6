#!/usr/bin/python3
"""Build the data of a fake Windows fleet for responder.py.

usage: mkfleet.py FIXTURES FLEETDIR SPEC INVENTORY

SPEC lines: `name role address port [mode] [flag...]` (role: exchange or
connector; mode: normal, hang, die, garbage, fail-irm, slow=S; flags, for
Exchange servers: `drift` makes the LicenseServerRedirection point at
http:// instead of https://, the one planted difference; `noirm` leaves
out the whole ExchangeServer\v15\IRM key (absent); `lang=de` makes the
server a German Windows (reg.exe's errors in German); `irm-present` /
`irm-denied` make the registry key existence check say the v15\IRM key is
present / denied whatever reg query says, `irm-omit` leaves the key out of
its answer and `irm-fail` makes the whole check fail; `org-fail` makes
the server's Exchange endpoint refuse the organisation's session;
`irm-off` gives it CSS-Exchange's Get-IRMConfiguration, where
InternalLicensingEnabled is false).  For each
host, FLEETDIR/hosts/<address>_<port>/ receives the outputs a real server
of that role would give, taken from the parsers' fixtures
(tests/fixtures/regquery, clixml, wevtutil), with the server's own name
put in where Windows would print it.  INVENTORY is written as an Ansible
INI inventory of the same hosts.
"""
import os
import sys

HKLM = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"


def reg_file(key):
    return key.replace("\\", "_") + ".txt"


def fixture(fx, rel):
    with open(os.path.join(fx, rel), "rb") as f:
        return f.read()


def put(d, rel, data):
    path = os.path.join(d, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def exchange(fx, d, name, drift, noirm, irm_off=False):
    put(d, "reg/" + reg_file(HKLM + "MSDRM\\ServiceLocation"),
        fixture(fx, "regquery/irmf-msdrm-s.txt"))
    irm = fixture(fx, "regquery/irmf-exchange-irm-s.txt")
    if drift:
        # only the license redirection (the last value) goes to http
        head, sep, tail = irm.rpartition(b"https://rmsconnector.contoso.com")
        assert sep, "fixture changed: no connector URL"
        irm = head + b"http://rmsconnector.contoso.com" + tail
    if not noirm:
        put(d, "reg/" + reg_file(HKLM + "ExchangeServer\\v15\\IRM"), irm)
    put(d, "ps/irm-config.xml", fixture(fx, "clixml/" + (
        "CSS-Exchange__E19__Exchange__GetIrmConfiguration.xml" if irm_off
        else "irmconfig-connector-utf16.xml")))
    srv = fixture(fx, "clixml/CSS-Exchange__E19__Exchange__GetExchangeServer.xml")
    text = srv.decode("utf-8-sig")
    text = text.replace("Solo-E19A.Solo.com", name + ".contoso.com")
    text = text.replace("SOLO-E19A", name.upper())
    put(d, "ps/exchange-server.xml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    put(d, "ps/files.xml", fixture(fx, "clixml/getitem-msdrm-utf16.xml"))
    groups = fixture(fx, "clixml/groups.xml").replace(
        b"CONTOSO\\EX01$", b"CONTOSO\\" + name.upper().encode() + b"$")
    put(d, "ps/groups.xml", groups)
    put(d, "ps/probes.xml", fixture(fx, "clixml/probes.xml"))
    put(d, "ps/msipc-acl.xml", fixture(fx, "clixml/msipc-server-acl.xml"))
    put(d, "ps/irm-test.txt",
        fixture(fx, "irmtext/onprem-Test-IRMConfiguration-fail.txt"))


def connector(fx, d):
    put(d, "reg/" + reg_file(HKLM + "AADRM\\Connector"),
        b"\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\AADRM\\Connector\r\n"
        b"    ProxyAddress    REG_SZ    http://proxy.contoso.com:8080\r\n\r\n")
    put(d, "events.xml", fixture(fx, "wevtutil/rms-connector-rootless.xml"))


def main():
    fx, fleet, spec, inventory = sys.argv[1:5]
    groups = {"exchange": [], "connector": []}
    with open(spec) as f:
        for line in f:
            w = line.split()
            if not w or w[0].startswith("#"):
                continue
            name, role, addr, port = w[:4]
            mode = w[4] if len(w) > 4 else "normal"
            flags = w[5:]
            drift = "drift" in flags
            d = os.path.join(fleet, "hosts", "%s_%s" % (addr, port))
            os.makedirs(d, exist_ok=True)
            put(d, "name", name.encode())   # the one-script plan's document
            if role == "exchange":
                exchange(fx, d, name, drift, "noirm" in flags,
                         "irm-off" in flags)
                for f in flags:
                    if f.startswith("lang="):
                        put(d, "lang", f[5:].encode())
                    elif f == "org-fail":
                        put(d, "org", b"fail")
                    elif f in ("irm-present", "irm-denied", "irm-omit",
                               "irm-fail"):
                        put(d, "exist", ("%s\t%sExchangeServer\\v15\\IRM\n"
                                         % (f[4:], HKLM)).encode())
            else:
                connector(fx, d)
            if mode != "normal":
                put(d, "mode", mode.encode())
            line = "%s ansible_host=%s ansible_port=%s" % (name, addr, port)
            if "irmtest" in flags:
                line += " irmfleet_irm_test_sender=admin@contoso.com"
            groups[role].append(line)
    with open(inventory, "w") as f:
        f.write("# generated by mkfleet.py\n")
        for role, hosts in groups.items():
            f.write("[%s]\n" % role)
            for h in hosts:
                f.write(h + "\n")


if __name__ == "__main__":
    main()
