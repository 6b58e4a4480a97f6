#!/usr/bin/env python3
"""Synthetic fleet for benchmarking `irmfleet compare` (python3 stdlib).

Writes N Exchange 2019 snapshots (OUTDIR/exNNNNN.xml) that are correct per
the connector documentation (the four Exchange registry settings of the
docs' table), plus GROUPS x PER_GROUP filler settings under
HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Bench\\GroupNN (REG_SZ URLs and
REG_DWORDs), so each server has about 100 settings.  With --plant K it
changes one filler value on K distinct servers and prints each planted
outlier on stdout as "SERVER|SETTING-KEY", the finding irmfleet must
report (and nothing else: fillers are not subject to any connector rule).

    bench/gen-fleet.py OUTDIR N [--plant K] [--seed S]
"""
import argparse
import os
import random
from xml.sax.saxutils import quoteattr

TENANT = "https://contoso.rms.na.aadrm.com"
CONN = "https://rmscon.contoso.com"
HKLM = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\"
GROUPS = 10
PER_GROUP = 10

CORE = [
    ("MSDRM\\ServiceLocation\\Activation", "", TENANT + "/_wmcs/certification"),
    ("MSDRM\\ServiceLocation\\EnterprisePublishing", "", TENANT + "/_wmcs/licensing"),
    ("ExchangeServer\\v15\\IRM\\CertificationServerRedirection", TENANT, CONN),
    ("ExchangeServer\\v15\\IRM\\LicenseServerRedirection", TENANT, CONN),
]


def filler(g, v, planted=False):
    """(type, data) of filler value v of group g."""
    if v % 2:
        return "REG_DWORD", str(1000 * g + v + (7 if planted else 0))
    host = "bench-other" if planted else "bench"
    return "REG_SZ", "https://%s.contoso.com/g%02d/s%02d" % (host, g, v)


def snapshot(name, plant):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<snapshot xmlns="urn:irmfleet:snapshot:1" formatVersion="1">',
           '  <identity>',
           '    <server>%s</server>' % name,
           '    <fqdn>%s.contoso.com</fqdn>' % name.lower(),
           '    <roles>', '      <role>exchange</role>', '    </roles>',
           '    <product name="Exchange Server 2019" build="15.2.1544.11"/>',
           '    <collectedAt>2026-03-01T02:00:00Z</collectedAt>',
           '    <method>ssh</method>',
           '  </identity>', '  <registry>']
    for path, vname, data in CORE:
        out.append('    <key path=%s>' % quoteattr(HKLM + path))
        out.append('      <value name=%s type="REG_SZ" data=%s/>'
                   % (quoteattr(vname), quoteattr(data)))
        out.append('    </key>')
    for g in range(GROUPS):
        out.append('    <key path=%s>'
                   % quoteattr(HKLM + "MSIPC\\Bench\\Group%02d" % g))
        for v in range(PER_GROUP):
            typ, data = filler(g, v, plant == (g, v))
            out.append('      <value name="Setting%02d" type="%s" data=%s/>'
                       % (v, typ, quoteattr(data)))
        out.append('    </key>')
    out += ['  </registry>', '</snapshot>', '']
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--plant", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.plant * 2 >= a.n:
        ap.error("--plant must be less than half of N (outliers need a majority)")
    rnd = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    planted = dict(zip(rnd.sample(range(a.n), a.plant),
                       ((rnd.randrange(GROUPS), rnd.randrange(PER_GROUP))
                        for _ in range(a.plant))))
    for i in range(a.n):
        name = "EX%05d" % i
        plant = planted.get(i)
        with open(os.path.join(a.outdir, name.lower() + ".xml"), "w",
                  newline="\n") as fh:
            fh.write(snapshot(name, plant))
        if plant is not None:
            print("%s|reg:HKLM\\SOFTWARE\\Microsoft\\MSIPC\\Bench\\Group%02d"
                  "\\Setting%02d" % (name, plant[0], plant[1]))


if __name__ == "__main__":
    main()
