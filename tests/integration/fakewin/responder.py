#!/usr/bin/python3
"""Fake Windows server for irmfleet's SSH collection tests.

sshd runs this as ForceCommand: the command the client asked for is in
$SSH_ORIGINAL_COMMAND.  It is matched against the exact shapes of the
commands in docs/remote-commands.md with regular expressions -- never
handed to a shell -- and answered from the fixture data of the server this
sshd listener plays (FLEET/hosts/<server-ip>_<server-port>/), in the
formats Windows emits: CRLF text for reg query, raw Export-Clixml bytes
(UTF-16LE with BOM) for PowerShell, event XML for wevtutil, and cmd's or
reg's error messages on stderr with their exit statuses.

The registry key existence check (the script calling OpenSubKey) is
answered for exactly the keys its script lists, as .NET would: `present`
when the host has reg query data for the key, else `absent`, unless the
host's file `exist` (lines `state<TAB>HKEY_LOCAL_MACHINE\...`) says
otherwise.  A host whose file `lang` says `de` plays a German Windows:
reg.exe's errors are in German, in the console's OEM code page 850.

A host directory may hold a file `mode` to misbehave:
  hang      every command sleeps (the client must time out)
  die       the PowerShell IRM command prints half its output, then the
            ssh session process is killed (host dies mid-command)
  garbage   every command answers random bytes with exit status 0
  fail-irm  Get-IRMConfiguration fails as PowerShell does (exit 1)
  slow=S    sleep S seconds before answering each command (benchmarks)
"""
import base64
import os
import random
import re
import signal
import sys
import time

REG_RE = re.compile(r'^reg query "(HKEY_LOCAL_MACHINE\\[^"]+)" (/s|/v ([A-Za-z]+))$')
PS_RE = re.compile(r'^powershell\.exe -NoProfile -NonInteractive -EncodedCommand ([A-Za-z0-9+/=]+)$')
EVT_RE = re.compile(r'''^wevtutil qe Application /q:"\*\[System\[Provider\[@Name='Microsoft RMS connector'\] and \(EventID=[0-9]+(?: or EventID=[0-9]+)*\)\]\]" /f:xml /rd:true /c:([0-9]+)$''')
EVT_ID_RE = re.compile(r'EventID=([0-9]+)')
PRELUDE = "$ErrorActionPreference='Stop';"

# which PowerShell item a script is, by a marker it must contain
PS_ITEMS = [
    ("Test-IRMConfiguration -Sender", "irm-test.txt"),
    (".OpenSubKey(", "regexist"),
    ("Get-IRMConfiguration", "irm-config.xml"),
    ("Get-ExchangeServer -Identity", "exchange-server.xml"),
    (").VersionInfo", "files.xml"),
    ("irmfleet.Groups", "groups.xml"),
    ("irmfleet.Probe", "probes.xml"),
    ("irmfleet.KeyAcl", "msipc-acl.xml"),
]


def out(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def err(text, status, encoding="ascii"):
    sys.stderr.buffer.write(text.encode(encoding, "replace"))
    sys.stderr.buffer.flush()
    sys.exit(status)


# reg.exe's messages, as a cmd console writes them (OEM code page)
REG_ERRORS = {
    "en": ("cp437", {
        "absent": "ERROR: The system was unable to find the specified "
                  "registry key or value.\r\n",
        "denied": "ERROR: Access is denied.\r\n"}),
    "de": ("cp850", {
        "absent": "FEHLER: Der angegebene Registrierungsschl\u00fcssel bzw. "
                  "Wert wurde nicht gefunden.\r\n",
        "denied": "FEHLER: Zugriff verweigert\r\n"}),
}


def exist_overrides(d):
    """The host's `exist` file: {key (lower case): state}."""
    over = {}
    for line in (read(d, "exist") or b"").decode().splitlines():
        if line.strip():
            state, key = line.split("\t", 1)
            over[key.lower()] = state
    return over


def answer_regexist(d, script):
    """One `state<TAB>HKEY_LOCAL_MACHINE\\key` line per key the script
    asks about, as UTF-8 bytes with LF (what the script writes).  The
    override state `omit` leaves a key's line out; a key overridden as
    `fail` makes the whole script fail as PowerShell does."""
    over = exist_overrides(d)
    if "fail" in over.values():
        err("Exception calling \"OpenSubKey\" with \"2\" argument(s): "
            "\"Der Registrierungsschl\u00fcssel ist ung\u00fcltig.\"\r\n", 1,
            "cp850")
    lines = []
    for sub in re.findall(r"'(SOFTWARE\\[^']+)'", script):
        key = "HKEY_LOCAL_MACHINE\\" + sub
        state = over.get(key.lower())
        if state is None:
            state = "present" if read(d, "reg", reg_file(key)) is not None \
                else "absent"
        if state != "omit":
            lines.append("%s\t%s\n" % (state, key))
    out("".join(lines).encode("utf-8"))


def ssh_session_pid():
    """The nearest ancestor process that is sshd: killing it drops the
    connection as a crashing server would."""
    pid = os.getppid()
    while pid > 1:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        if comm.startswith("sshd"):
            return pid
        pid = int(stat[stat.rindex(")") + 2:].split()[1])
    return None


def host_dir(fleet):
    conn = os.environ.get("SSH_CONNECTION", "").split()
    if len(conn) != 4:
        err("responder: no SSH_CONNECTION\r\n", 2)
    d = os.path.join(fleet, "hosts", "%s_%s" % (conn[2], conn[3]))
    if not os.path.isdir(d):
        err("responder: no fixture data for %s port %s\r\n" % (conn[2], conn[3]), 2)
    return d


def read(d, *parts):
    try:
        with open(os.path.join(d, *parts), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def reg_file(key):
    return key.replace("\\", "_") + ".txt"


def sleep_while_connected(seconds):
    """Sleep, but end when the ssh session goes away (orphaned), so no
    stray process outlives the test's servers."""
    parent = os.getppid()
    end = time.time() + seconds
    while time.time() < end and os.getppid() == parent:
        time.sleep(0.1)


def events_answer(data, cmd, cap):
    """What wevtutil's query answers: the <Event>s of the asked IDs,
    newest first as in the file, at most cap of them."""
    ids = set(EVT_ID_RE.findall(cmd.split("/f:xml")[0]))
    text = data.decode("utf-8-sig")
    evs = re.findall(r'<Event[ >].*?</Event>', text, re.S)
    keep = [e for e in evs
            if re.search(r'<EventID[^>]*>\s*([0-9]+)\s*<', e).group(1) in ids]
    return "".join(e + "\r\n" for e in keep[:cap]).encode("utf-8")


def main():
    fleet = sys.argv[1]
    cmd = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    d = host_dir(fleet)
    mode = (read(d, "mode") or b"").decode().strip()
    if mode == "hang":
        sleep_while_connected(120)
        return
    if mode.startswith("slow="):
        time.sleep(float(mode[5:]))
    if mode == "garbage":
        rnd = random.Random(cmd)
        out(bytes(rnd.randrange(256) for _ in range(3000)))
        return

    m = REG_RE.match(cmd)
    if m:
        data = read(d, "reg", reg_file(m.group(1)))
        if data is None:
            lang = (read(d, "lang") or b"en").decode().strip()
            enc, msgs = REG_ERRORS[lang]
            # a key the existence check reports as denied is denied here
            denied = exist_overrides(d).get(m.group(1).lower()) == "denied"
            err(msgs["denied" if denied else "absent"], 1, enc)
        out(data)
        return
    m = PS_RE.match(cmd)
    if m:
        script = base64.b64decode(m.group(1), validate=True).decode("utf-16-le")
        if not script.startswith(PRELUDE):
            err("responder: unexpected PowerShell script\r\n", 2)
        for marker, name in PS_ITEMS:
            if marker in script:
                break
        else:
            err("responder: unknown PowerShell item\r\n", 2)
        if name == "regexist":
            answer_regexist(d, script)
            return
        if name == "irm-config.xml" and mode == "fail-irm":
            err("Get-IRMConfiguration : The term 'Get-IRMConfiguration' is not "
                "recognized as the name of a cmdlet, function, script file, or "
                "operable program.\r\n", 1)
        data = read(d, "ps", name)
        if data is None:
            data = b'<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />'
        if name == "irm-config.xml" and mode == "die":
            out(data[:len(data) // 2])
            time.sleep(0.2)
            pid = ssh_session_pid()
            if pid:
                os.kill(pid, signal.SIGKILL)
            sleep_while_connected(5)
            return
        out(data)
        return
    m = EVT_RE.match(cmd)
    if m:
        out(events_answer(read(d, "events.xml") or b"", cmd,
                          int(m.group(1))))
        return
    word = cmd.split(" ", 1)[0] if cmd else ""
    err("'%s' is not recognized as an internal or external command,\r\n"
        "operable program or batch file.\r\n" % word, 1)


def logged_main():
    """main(), with each call's start and end time appended to
    <host dir>/calls.log (the tests use it to tell a slow server from a
    stalled client)."""
    start = time.time()
    try:
        main()
    finally:
        try:
            d = host_dir(sys.argv[1])
            cmd = os.environ.get("SSH_ORIGINAL_COMMAND", "")
            with open(os.path.join(d, "calls.log"), "a") as f:
                f.write("%.3f %.3f %s\n" % (start, time.time(), cmd[:60]))
        except (OSError, SystemExit):
            pass


if __name__ == "__main__":
    logged_main()
