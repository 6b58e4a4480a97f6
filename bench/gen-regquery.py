#!/usr/bin/env python3
"""Generate a `reg query HKLM\\SOFTWARE /s` dump of a synthetic whole hive
(CRLF, 4-space columns, the value-type mix of a real SOFTWARE hive) and an
XML file of the same size holding the same kind of records, for
bench/regquery-throughput.sh.  Deterministic for a given --seed."""
import argparse
import random
from xml.sax.saxutils import escape, quoteattr

WORDS = ("Microsoft Windows CurrentVersion Policies Explorer Classes CLSID "
         "Services Parameters Setup Install Components Contoso Fabrikam "
         "ExchangeServer v15 IRM MSIPC MSDRM ServiceLocation Licensing "
         "Uninstall Shell Extensions Settings Options Profiles Drivers "
         "Performance Cache Security Cryptography Providers Default").split()


def records(rng):
    """Yield (key path, [(name, type, data)]) forever."""
    depth_path = ["HKEY_LOCAL_MACHINE", "SOFTWARE"]
    n = 0
    while True:
        n += 1
        # walk the tree: go up a little, then down one level
        keep = rng.randint(2, min(len(depth_path), 9))
        depth_path = depth_path[:keep]
        seg = rng.choice(WORDS)
        if rng.random() < 0.3:
            seg = "{%08X-%04X-%04X-%04X-%012X}" % (
                rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                rng.getrandbits(16), rng.getrandbits(48))
        elif rng.random() < 0.2:
            seg += " " + rng.choice(WORDS)
        depth_path.append("%s%d" % (seg, n))
        values = []
        for i in range(rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 12))):
            name = "(Default)" if i == 0 and rng.random() < 0.3 else \
                rng.choice(WORDS) + ("" if rng.random() < 0.8 else " Name") + str(i)
            r = rng.random()
            if r < 0.55:
                typ, data = "REG_SZ", "C:\\Program Files\\%s\\%s.dll" % (
                    rng.choice(WORDS), rng.choice(WORDS))
            elif r < 0.75:
                typ, data = "REG_DWORD", "0x%x" % rng.getrandbits(rng.choice((1, 8, 32)))
            elif r < 0.82:
                typ, data = "REG_EXPAND_SZ", "%%SystemRoot%%\\system32\\%s.exe" % rng.choice(WORDS)
            elif r < 0.92:
                typ, data = "REG_BINARY", "".join(
                    "%02X" % rng.getrandbits(8) for _ in range(rng.randint(0, 48)))
            elif r < 0.97:
                typ, data = "REG_MULTI_SZ", "\\0".join(
                    "https://%s.contoso.com" % rng.choice(WORDS).lower()
                    for _ in range(rng.randint(1, 4)))
            else:
                typ, data = "REG_QWORD", "0x%x" % rng.getrandbits(64)
            values.append((name, typ, data))
        yield "\\".join(depth_path), values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regquery", required=True)
    ap.add_argument("--xml", required=True)
    a = ap.parse_args()
    target = int(a.mb * 1024 * 1024)

    rng = random.Random(a.seed)
    size = 0
    with open(a.regquery, "w", newline="") as f:
        f.write("\r\n")
        for path, values in records(rng):
            block = path + "\r\n" + "".join(
                "    %s    %s    %s\r\n" % v for v in values) + "\r\n"
            f.write(block)
            size += len(block)
            if size >= target:
                break

    rng = random.Random(a.seed)
    size = 0
    with open(a.xml, "w", newline="") as f:
        head = '<?xml version="1.0" encoding="UTF-8"?>\n<hive>\n'
        f.write(head)
        size = len(head)
        for path, values in records(rng):
            block = "<key path=%s>\n%s</key>\n" % (quoteattr(path), "".join(
                "  <value name=%s type=%s>%s</value>\n" % (
                    quoteattr(n), quoteattr(t), escape(d))
                for n, t, d in values))
            f.write(block)
            size += len(block)
            if size >= target:
                break
        f.write("</hive>\n")


if __name__ == "__main__":
    main()
