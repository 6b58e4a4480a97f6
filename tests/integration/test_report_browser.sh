#!/bin/bash
# test_report_browser.sh - the HTML report (compare/report/html_*.c) as a
# browser shows it: a 200-server fleet with 40 drifted servers
# (bench/gen-fleet.py) and the example fleet are rendered and opened in
# Debian's headless Chromium.  From the DOM after load: the first screen
# names exactly the drifted servers, each linking to an existing finding
# of that server; a registry value carrying </script><script>, an
# onerror handler, javascript: and a bidi override (U+202E) did not run
# (the page title is unchanged, no injected element exists) and is shown
# as text.  Screenshots are kept in the build directory as artifacts.
# Fails (never skips) when chromium is missing: .ci/install-deps installs
# it.
# Usage: test_report_browser.sh IRMFLEET SOURCE_DIR
set -u
bin=$1
src=$2
fail=0
tmp=$(mktemp -d)
art=$(cd "$(dirname "$bin")" && pwd)/report-artifacts
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$art"

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }
command -v chromium >/dev/null ||
	{ echo "FAIL: chromium not installed (.ci/install-deps installs it)"; exit 1; }

# browse NAME FILE: the DOM after load into $tmp/NAME.dom, a screenshot
# into the artifacts
browse() {
	local flags=(--headless --no-sandbox --disable-gpu --no-first-run
		--disable-background-networking --disable-component-update
		--disable-sync)
	timeout 120 chromium "${flags[@]}" --user-data-dir="$tmp/profile-$1-dom" \
		--dump-dom "file://$2" >"$tmp/$1.dom" 2>"$tmp/$1.err" ||
		{ bad "$1: chromium --dump-dom failed"; tail -5 "$tmp/$1.err"; }
	timeout 120 chromium "${flags[@]}" --user-data-dir="$tmp/profile-$1-shot" \
		--screenshot="$art/$1.png" --window-size=1280,900 "file://$2" \
		>/dev/null 2>"$tmp/$1.err2" && [ -s "$art/$1.png" ] &&
		ok "$1: screenshot in $art/$1.png" ||
		{ bad "$1: no screenshot"; tail -5 "$tmp/$1.err2"; }
}

# check.py DOM EXPECTED-SERVERS-FILE [INJECTED]: the assertions above
cat >"$tmp/check.py" <<'PY'
import sys
from html.parser import HTMLParser

TITLE = "irmfleet: RMS connector configuration drift"

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.actions, self.texts = [], {}, [], []
        self.tags, self.title = set(), ""
        self.server_of = {}            # finding id -> its server section
        self.section_server = []
        self.cur_action = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self.stack.append(tag)
        if tag == "section":
            self.section_server.append(a.get("data-server"))
        if "id" in a:
            srv = next((s for s in reversed(self.section_server) if s), None)
            self.ids[a["id"]] = srv
        if tag == "li" and "action" in (a.get("class") or "").split():
            self.cur_action = [a.get("data-server"), None]
            self.actions.append(self.cur_action)
        if tag == "a" and self.cur_action is not None and self.cur_action[1] is None:
            self.cur_action[1] = a.get("href")
        for k, v in attrs:
            if k.startswith("on"):
                self.tags.add("handler:" + k)
    def handle_endtag(self, tag):
        while self.stack:
            t = self.stack.pop()
            if t == "section":
                self.section_server.pop()
            if t == "li":
                self.cur_action = None
            if t == tag:
                break
    def handle_data(self, d):
        if self.stack and self.stack[-1] == "title":
            self.title += d
        self.texts.append(d)

dom = Dom()
dom.feed(open(sys.argv[1], encoding="utf-8").read())
want = sorted(l.strip() for l in open(sys.argv[2]) if l.strip())
errors = []
got = sorted(s for s, _ in dom.actions)
if got != want:
    errors.append("first screen names %s, expected %s" % (got, want))
for server, href in dom.actions:
    if not href or not href.startswith("#") or href[1:] not in dom.ids:
        errors.append("%s links to %r, no such element" % (server, href))
    elif dom.ids[href[1:]] != server:
        errors.append("%s links to a finding of %r" % (server, dom.ids[href[1:]]))
if dom.title.strip() != TITLE:
    errors.append("page title changed to %r: injected script ran" % dom.title)
if len(sys.argv) > 3:
    text = "".join(dom.texts)
    if "img" in dom.tags or any(t.startswith("handler:") for t in dom.tags):
        errors.append("an injected element or handler is in the DOM")
    for piece in ("</script><script>document.title='PWNED'</script>",
                  "javascript:alert(1)", "\\u202e"):
        if piece not in text:
            errors.append("injected value not shown as text: %r" % piece)
    if "\u202e" in text:
        errors.append("raw U+202E in the page text")
print("\n".join(errors) if errors else "ok")
sys.exit(1 if errors else 0)
PY

# 1. a 200-server fleet, 40 drifted, one value carrying markup
python3 "$src/bench/gen-fleet.py" "$tmp/big" 200 --plant 40 --seed 7 >"$tmp/planted" ||
	bad "gen-fleet.py failed"
cut -d'|' -f1 "$tmp/planted" >"$tmp/drifted"
[ "$(wc -l <"$tmp/drifted")" -eq 40 ] && ok "40 drifted servers planted" || bad "planting"
victim=$(head -1 "$tmp/drifted")
python3 - "$tmp/big/$(echo "$victim" | tr 'A-Z' 'a-z').xml" <<'PY' || bad "injecting"
import sys
from xml.sax.saxutils import quoteattr
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
payload = ("</script><script>document.title='PWNED'</script>"
           "<img src=x onerror=\"document.title='PWNED'\">"
           "javascript:alert(1) \u202emoc.evil")
old = 'name="Setting00" type="REG_SZ" data="https://bench.contoso.com/g00/s00"'
assert old in s, "Setting00 not found"
s = s.replace(old, 'name="Setting00" type="REG_SZ" data=%s' % quoteattr(payload), 1)
open(p, "w", encoding="utf-8").write(s)
PY
"$bin" compare --format html --output "$tmp/big.html" "$tmp/big" 2>"$tmp/err"
[ $? -eq 1 ] && ok "big fleet: exit 1 (findings)" || { bad "big fleet: exit status"; cat "$tmp/err"; }
grep -q "<script>document.title" "$tmp/big.html" &&
	bad "big fleet: raw <script> from a value in the HTML" || ok "big fleet: value escaped in the file"
browse big "$tmp/big.html"
python3 "$tmp/check.py" "$tmp/big.dom" "$tmp/drifted" injected &&
	ok "big fleet: first screen, links, injected value inert" ||
	bad "big fleet: DOM checks"

# 2. the example fleet: EX07 is its one drifted server
echo EX07 >"$tmp/ex-drifted"
"$bin" compare --format html --output "$tmp/example.html" "$src/examples/fleet"
[ $? -eq 1 ] && ok "example: exit 1" || bad "example: exit status"
browse example "$tmp/example.html"
python3 "$tmp/check.py" "$tmp/example.dom" "$tmp/ex-drifted" &&
	ok "example: first screen names EX07 and links to its finding" ||
	bad "example: DOM checks"

[ $fail -eq 0 ] && echo "all report browser checks passed"
exit $fail
