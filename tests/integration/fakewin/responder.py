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
  cut       (the one-script plan only) half the document, exit status 0

The one-script plan (`irmfleet collect --plan script`): one
`powershell.exe ... -Command "& ([scriptblock]::Create([Console]::In.
ReadToEnd()))"` whose script comes on stdin.  The script is read to EOF
and checked to be irmfleet's collect script (its version line and the
-Stdout switch forced on); its $Plan block says which registry keys,
files, ACLs, probes, event groups and groups to answer, and the answer is
the export document (docs/export-format.md) built from the same per-host
data as the 12 commands, between the begin/end markers, after a line of
noise as cmd's AutoRun would print.  The organisation-wide items
(Get-IRMConfiguration, Get-ExchangeServer) are skipped with the note the
script carries ($OrganisationNote, failed with -OrganisationFailed), as
a key logon has no AD credentials; a script with -Organisation reads
them through the server's Exchange endpoint, which works only when the
session logged on by PASSWORD (Windows gives a password logon a Kerberos
ticket, a key logon an S4U logon without one): the responder reads the
method sshd actually used from the file $SSH_USER_AUTH names (sshd's
ExposeAuthInfo; sshd.sh's FW_PASSWORD starts a server that checks a real
password), and under any other logon New-PSSession fails as it does on
Windows (0x8009030e, no credentials).  The host's file `org` = `fail`
makes the endpoint refuse the session (access denied) even then.  The
modes map onto it:
hang sleeps, die prints half the document and kills the session, cut
prints half of it and exits 0 (no end marker), garbage
answers random bytes, fail-irm makes PowerShell itself fail (exit 1, an
error on stderr).

A file FLEET/latency (`windows`, optionally `windows scale=F`) models a
real Windows server's start-up costs per command (benchmarks): each
powershell.exe 1 s, the Exchange snap-in 8 s more, reg.exe and
wevtutil.exe 0.05 s, all times F.
"""
import base64
import datetime
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
SCRIPT_CMD = ('powershell.exe -NoProfile -NonInteractive -Command '
              '"& ([scriptblock]::Create([Console]::In.ReadToEnd()))"')
SCRIPT_MARKS = ("irmfleet export script", "$IrmfScriptVersion = '",
                "$Stdout = [switch]$true")
BEGIN = b"-----BEGIN IRMFLEET EXPORT-----"
END = b"-----END IRMFLEET EXPORT-----"
NS = "urn:irmfleet:export:1"

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


# ------------------------------------------------- the one-script plan

def xesc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#xD;").replace("\n", "&#xA;")
            .replace("\t", "&#x9;"))


def el(name, attrs, body=None):
    a = "".join(' %s="%s"' % (k, xesc(str(v))) for k, v in attrs)
    if body is None:
        return "<%s%s />" % (name, a)
    return "<%s%s>%s</%s>" % (name, a, body, name)


REG_KINDS = {"REG_SZ": "String", "REG_EXPAND_SZ": "ExpandString",
             "REG_MULTI_SZ": "MultiString", "REG_DWORD": "DWord",
             "REG_QWORD": "QWord", "REG_BINARY": "Binary", "REG_NONE": "None"}
REG_LINE = re.compile(r"^    (.*?)    (REG_[A-Z_]+)    ?(.*)$")


def reg_keys(text):
    """reg query output -> [(key, [(name, kind, [data])])]"""
    keys = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("HKEY_"):
            keys.append((line.strip(), []))
            continue
        m = REG_LINE.match(line)
        if not m or not keys:
            continue
        name, kind, data = m.group(1), m.group(2), m.group(3)
        if name == "(Default)":
            name = ""
        if kind in ("REG_DWORD", "REG_QWORD"):
            data = [str(int(data, 16))]
        elif kind == "REG_MULTI_SZ":
            data = data.split("\\0") if data else []
        elif kind == "REG_BINARY":
            data = [data.lower()]
        else:
            data = [data]
        keys[-1][1].append((name, REG_KINDS.get(kind, "Unknown"), data))
    return keys


def clixml_text(data):
    if data.startswith(b"\xff\xfe"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def unx(s):
    """CLIXML's _xHHHH_ escapes and XML entities."""
    s = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def clixml_prop(text, name):
    m = re.search(r'<[A-Za-z0-9]+ N="%s">(.*?)</' % re.escape(name), text, re.S)
    return unx(m.group(1)) if m else None


def item(iid, kind, status, body=""):
    return el("item", [("id", iid), ("kind", kind), ("status", status)],
              body if body else None)


def doc_registry(d, entry):
    key = "HKEY_LOCAL_MACHINE\\" + entry["Path"]
    data = read(d, "reg", reg_file(key))
    if data is None:
        if exist_overrides(d).get(key.lower()) == "denied":
            return item(entry["Item"], "registry", "denied", el("error", [
                ("errorId", "System.Security.SecurityException"),
                ("hresult", "0x8013150A"),
                ("type", "System.Security.SecurityException"),
                ("message", "Requested registry access is not allowed.")]))
        return item(entry["Item"], "registry", "absent")
    keys = reg_keys(data.decode("utf-8", "replace"))
    if entry["Recurse"] != "$true":
        keys = keys[:1]
    if entry["Value"]:
        keys = [(k, [v for v in vals if v[0] == entry["Value"]])
                for k, vals in keys[:1]]
    body = ""
    for k, vals in keys:
        body += el("key", [("path", k)], "".join(
            el("value", [("name", n), ("kind", kd)],
               "".join(el("data", [], xesc(x)) for x in xs))
            for n, kd, xs in vals))
    return item(entry["Item"], "registry", "ok", body)


def doc_file(d, name):
    data = read(d, "ps", "files.xml")
    text = clixml_text(data) if data else ""
    # each file's object starts with its Name; its version follows
    at = text.find('<S N="Name">%s</S>' % name)
    if at >= 0:
        obj = text[at:]
        fv = clixml_prop(obj, "FileVersionRaw") or ""
        pv = clixml_prop(obj, "ProductVersionRaw") or fv
        return item("file:" + name, "file", "ok", el("file", [
            ("name", name), ("path", clixml_prop(obj, "FullName") or ""),
            ("fileVersion", fv), ("productVersion", pv)]))
    return item("file:" + name, "file", "absent")


def doc_acl(d, path):
    iid = "acl:HKEY_LOCAL_MACHINE\\" + path
    data = read(d, "ps", "msipc-acl.xml")
    sddl = clixml_prop(clixml_text(data), "Sddl") if data else None
    if not sddl:
        return item(iid, "acl", "absent")
    return item(iid, "acl", "ok", el("acl", [
        ("path", "HKEY_LOCAL_MACHINE\\" + path), ("sddl", sddl)]))


def doc_probes(d):
    data = read(d, "ps", "probes.xml")
    text = clixml_text(data) if data else ""
    probes = ""
    for obj in re.findall(r"<Obj RefId=.*?</Obj>", text, re.S):
        code = clixml_prop(obj, "StatusCode") or "0"
        probes += el("probe", [
            ("url", clixml_prop(obj, "Url") or ""),
            ("result", clixml_prop(obj, "Result") or "other"),
            ("statusCode", code), ("proxy", "direct"), ("certificate", ""),
            ("message", (clixml_prop(obj, "Message") or "").strip())])
    return item("probes", "reachability", "ok",
                el("reachability", [("ranAs", "CONTOSO\\irmfleet")], probes))


def doc_groups(d):
    data = read(d, "ps", "groups.xml")
    if data is None:
        return item("groups", "groups", "absent")
    text = clixml_text(data)
    names = [unx(g) for g in re.findall(r"<S>(.*?)</S>", text)]
    body = "".join(el("group", [("sid", ""), ("name", n)]) for n in names)
    return item("groups", "groups", "ok", el("groups", [
        ("account", clixml_prop(text, "ComputerAccount") or ""),
        ("scope", clixml_prop(text, "Scope") or "token")], body))


def doc_events(d, group, cap):
    text = (read(d, "events.xml") or b"").decode("utf-8-sig")
    ids = set(group["Ids"])
    evs = [e for e in re.findall(r"<Event[ >].*?</Event>", text, re.S)
           if re.search(r"<EventID[^>]*>\s*([0-9]+)\s*<", e).group(1) in ids]
    evs = evs[:cap]
    attrs = [("ids", " ".join(group["Ids"])), ("cap", cap),
             ("returned", len(evs))]
    if evs:
        t = re.search(r"SystemTime='([0-9T:-]+)", evs[-1])
        if t:
            attrs.append(("oldest", t.group(1) + "Z"))
    return item(group["Item"], "events", "ok", el("events", attrs, "".join(
        el("event", [], xesc(e)) for e in evs)))


def script_plan(script):
    """The $Plan block of the script: what it asks the server for."""
    reg = [dict(re.findall(r"(\w+) = ('[^']*'|\$\w+)", m))
           for m in re.findall(r"@\{ Item = 'registry:[^\n]*\}", script)]
    for r in reg:
        for k in r:
            r[k] = r[k].strip("'")
    ev = [{"Item": m[0], "Ids": re.findall(r"[0-9]+", m[1])}
          for m in re.findall(r"@\{ Item = '(events:[a-z]+)'; Ids = @\(([^)]*)\)", script)]

    def lst(name):
        m = re.search(r"\n\s*%s = @\(([^)]*)\)" % name, script)
        return re.findall(r"'([^']*)'", m.group(1)) if m else []

    def flag(name):
        return re.search(r"\n\s*%s = \$true" % name, script) is not None
    roles = lst("Roles")
    cap = re.search(r"\[int\]\$EventCount = ([0-9]+)", script)
    # the collect mode lines irmfleet puts after $Stdout's
    note = re.search(r"\n\$OrganisationNote = '((?:[^']|'')*)'\r\n", script)
    return {"roles": roles, "registry": reg, "files": lst("Files"),
            "acl": lst("Acl"), "probes": flag("Probes"), "events": ev,
            "groups": flag("Groups"), "org": lst("Organisation"),
            "cap": int(cap.group(1)) if cap else 500,
            "org_read": "\n$Organisation = [switch]$true" in script,
            "org_failed": "\n$OrganisationFailed = [switch]$true" in script,
            "org_note": note.group(1).replace("''", "'") if note else ""}


def logon_method():
    """The method sshd logged this session on with: the first word of
    the file $SSH_USER_AUTH names (ExposeAuthInfo yes), e.g. `password`
    or `publickey`; None when sshd does not expose it."""
    path = os.environ.get("SSH_USER_AUTH")
    if not path:
        return None
    try:
        with open(path) as f:
            words = f.read().split()
    except OSError:
        return None
    return words[0] if words else None


def org_error(iid, error_id, message):
    return item(iid, "clixml", "failed", el("error", [
        ("errorId", error_id), ("hresult", "0x80131501"),
        ("type", "System.Management.Automation.Remoting."
                 "PSRemotingTransportException"),
        ("message", message)]))


def doc_org(d, name, plan):
    """The organisation items as the script's mode says."""
    if not plan["org_read"]:
        status = "failed" if plan["org_failed"] else "skipped"
        note = plan["org_note"] or ("not collected over SSH: needs the "
                                    "export script or a password logon")
        return [item(o, "clixml", status, el("error", [
            ("errorId", "PasswordLogonRefused" if plan["org_failed"] else ""),
            ("hresult", ""), ("type", ""), ("message", note)]))
            for o in plan["org"]]
    fqdn = name.lower() + ".contoso.com"
    if logon_method() != "password":
        return [org_error(o, "1312,PSSessionOpenFailed",
                          "Connecting to remote server %s failed with the "
                          "following error message : WinRM cannot process "
                          "the request. The following error with errorcode "
                          "0x8009030e occurred while using Kerberos "
                          "authentication: A specified logon session does "
                          "not exist. It may already have been terminated."
                          % fqdn) for o in plan["org"]]
    if (read(d, "org") or b"").strip() == b"fail":
        return [org_error(o, "AccessDenied,PSSessionOpenFailed",
                          "Connecting to remote server %s failed with the "
                          "following error message : Access is denied."
                          % fqdn) for o in plan["org"]]
    files = {"irm-config": "irm-config.xml",
             "exchange-server": "exchange-server.xml"}
    items = []
    for o in plan["org"]:
        data = read(d, "ps", files[o])
        if data is None:
            items.append(org_error(o, "NotFound", "no such object"))
            continue
        items.append(item(o, "clixml", "ok",
                          el("clixml", [], xesc(clixml_text(data)))))
    return items


def export_document(d, name, plan):
    items = [doc_registry(d, e) for e in plan["registry"]]
    items += [doc_file(d, f) for f in plan["files"]]
    items += [doc_acl(d, a) for a in plan["acl"]]
    if plan["probes"]:
        items.append(doc_probes(d))
    items += [doc_events(d, g, plan["cap"]) for g in plan["events"]]
    if plan["groups"]:
        items.append(doc_groups(d))
    items += doc_org(d, name, plan)
    at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = el("server", [("name", name.upper()),
                         ("fqdn", name.lower() + ".contoso.com"),
                         ("roles", " ".join(plan["roles"]))])
    body += el("run", [("collectedAt", at), ("via", "ssh"),
                       ("psVersion", "5.1.17763.5576"),
                       ("languageMode", "FullLanguage"),
                       ("user", "CONTOSO\\irmfleet")])
    body += "".join(items) + el("end", [("items", len(items))])
    return ('<?xml version="1.0" encoding="utf-8"?>\r\n' + el(
        "irmfleetExport", [("xmlns", NS), ("formatVersion", "1"),
                           ("scriptVersion", "1.0")], body)).encode("utf-8")


def answer_script(d, mode):
    script = sys.stdin.buffer.read().decode("ascii", "replace")
    if not all(m in script for m in SCRIPT_MARKS):
        err("responder: stdin is not irmfleet's collect script\r\n", 2)
    # whole: the template's last lines, CRLF as sent
    if not script.endswith("    exit 1\r\n}\r\n"):
        err("responder: the script on stdin is cut short\r\n", 2)
    if mode == "fail-irm":
        err("PowerShell runs in ConstrainedLanguage mode here (WDAC/AppLocker)"
            "\r\n    + CategoryInfo          : OperationStopped\r\n", 1)
    name = (read(d, "name") or b"SERVER").decode().strip()
    doc = export_document(d, name, script_plan(script))
    whole = (b"AutoRun: C:\\Users\\irmfleet> noise\r\n" + BEGIN + b"\n" + doc +
             b"\n" + END + b"\n")
    keep = read(os.path.dirname(os.path.dirname(d)), "keep-docs")
    if keep is not None:   # the integration test imports these
        with open(os.path.join(d, "export.irmfleet.xml"), "wb") as f:
            f.write(doc)
    if mode == "cut":   # the script stopped mid-document: no end marker
        out(whole[:len(whole) // 2])
        return
    if mode == "die":
        out(whole[:len(whole) // 2])
        time.sleep(0.2)
        pid = ssh_session_pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
        sleep_while_connected(5)
        return
    out(whole)


def latency(fleet, cmd):
    """Seconds a real Windows server takes to start what cmd runs."""
    spec = (read(fleet, "latency") or b"").decode().split()
    if not spec or spec[0] != "windows":
        return 0.0
    scale = 1.0
    for w in spec[1:]:
        if w.startswith("scale="):
            scale = float(w[6:])
    if cmd.startswith("powershell.exe"):
        t = 1.0
        m = PS_RE.match(cmd)
        if m and "Add-PSSnapin" in base64.b64decode(m.group(1)).decode("utf-16-le"):
            t += 8.0
        return t * scale
    return 0.05 * scale


def main():
    fleet = sys.argv[1]
    cmd = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    d = host_dir(fleet)
    mode = (read(d, "mode") or b"").decode().strip()
    lat = latency(fleet, cmd)
    if lat:
        time.sleep(lat)
    if mode == "hang":
        sleep_while_connected(120)
        return
    if mode.startswith("slow="):
        time.sleep(float(mode[5:]))
    if mode == "garbage":
        rnd = random.Random(cmd)
        out(bytes(rnd.randrange(256) for _ in range(3000)))
        return
    if cmd == SCRIPT_CMD:
        answer_script(d, mode)
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
    stalled client), and the logon method when sshd exposes it."""
    start = time.time()
    try:
        main()
    finally:
        try:
            d = host_dir(sys.argv[1])
            cmd = os.environ.get("SSH_ORIGINAL_COMMAND", "")
            with open(os.path.join(d, "calls.log"), "a") as f:
                method = logon_method()
                f.write("%.3f %.3f %s%s\n" % (
                    start, time.time(), cmd[:60],
                    " [logon: %s]" % method if method else ""))
        except (OSError, SystemExit):
            pass


if __name__ == "__main__":
    logged_main()
