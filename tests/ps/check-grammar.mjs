// check-grammar.mjs - parse PowerShell scripts with a real PowerShell
// grammar (tree-sitter-powershell, through web-tree-sitter) and fail on
// anything Windows PowerShell 5.1 would not run.
//
//   node check-grammar.mjs [--plan] FILE...
//
// FILE is a .ps1 script, or with --plan the output of
// `irmfleet collect --print-plan` (item<TAB>command lines), whose
// `powershell.exe ... -EncodedCommand <base64>` commands are decoded
// (base64 of UTF-16LE) and checked one by one.
//
// Two checks per script:
//  1. grammar: any ERROR or MISSING node is a syntax error;
//  2. Windows PowerShell 5.1: syntax that only PowerShell 7 has, or that
//     the export script forbids, is rejected: pipeline chains (&&, ||),
//     ForEach-Object -Parallel, class and enum definitions, clean blocks,
//     and the ternary / null-coalescing / null-conditional operators
//     (`? :`, `??`, `??=`, `?.`, `?[`), which the grammar may or may not
//     know: known, they have their own node types; unknown, they are
//     ERROR nodes already caught by check 1.
// The packages are found in $IRMFLEET_NODE_MODULES (the folder holding
// node_modules, .ci/install-deps fills it), else next to this file.
// Exit status: 0 all clean, 1 a script failed a check, 2 setup problem.
import fs from 'node:fs';
import path from 'node:path';

const root = process.env.IRMFLEET_NODE_MODULES ||
  path.join(path.dirname(new URL(import.meta.url).pathname), '.');
const mods = path.join(root, 'node_modules');
const tsJs = path.join(mods, 'web-tree-sitter', 'web-tree-sitter.js');
const psWasm = path.join(mods, 'tree-sitter-powershell',
  'tree-sitter-powershell.wasm');
for (const f of [tsJs, psWasm]) {
  if (!fs.existsSync(f)) {
    console.error(`check-grammar: ${f} is missing: run .ci/install-deps ` +
      '(npm install tree-sitter-powershell web-tree-sitter) and set ' +
      'IRMFLEET_NODE_MODULES');
    process.exit(2);
  }
}
const { Parser, Language } = await import(tsJs);
await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(psWasm));

// Node types of syntax newer than Windows PowerShell 5.1 (or forbidden
// in irmfleet's scripts); matched on the type name.
const newerTypes = [
  [/^pipeline_chain_tail$/, 'pipeline chain (&& or ||) needs PowerShell 7'],
  [/^class_statement$/, 'class definitions are not used (PowerShell 5 only, not 3/4)'],
  [/^enum_statement$/, 'enum definitions are not used (PowerShell 5 only, not 3/4)'],
  [/ternary/, 'ternary operator ? : needs PowerShell 7'],
  [/null_coalesc|coalesce/, 'null-coalescing ?? needs PowerShell 7'],
  [/null_conditional/, 'null-conditional ?. needs PowerShell 7'],
  [/^clean_block$/, 'clean blocks need PowerShell 7.3'],
];

function lineOf(node) {
  return `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
}

function check(name, src) {
  const problems = [];
  const tree = parser.parse(src);
  const walk = (node) => {
    if (node.type === 'ERROR')
      problems.push(`${name}:${lineOf(node)}: syntax error near ` +
        JSON.stringify(node.text.slice(0, 40)));
    else if (node.isMissing)
      problems.push(`${name}:${lineOf(node)}: missing ${node.type}`);
    for (const [re, why] of newerTypes)
      if (re.test(node.type))
        problems.push(`${name}:${lineOf(node)}: ${why}`);
    if (node.type === 'command_parameter' && /^-parallel$/i.test(node.text))
      problems.push(`${name}:${lineOf(node)}: -Parallel needs PowerShell 7`);
    if (node.type === 'block_name' && /^clean$/i.test(node.text))
      problems.push(`${name}:${lineOf(node)}: clean blocks need PowerShell 7.3`);
    for (let i = 0; i < node.childCount; i++)
      walk(node.child(i));
  };
  walk(tree.rootNode);
  // hasError also covers errors the walk cannot reach as nodes
  if (problems.length === 0 && tree.rootNode.hasError)
    problems.push(`${name}: the grammar reports an error`);
  tree.delete();
  return problems;
}

// The PowerShell scripts of a --print-plan listing.
function planScripts(file) {
  const out = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((l, i) => {
    const m = /-EncodedCommand\s+([A-Za-z0-9+/=]+)\s*$/.exec(l);
    if (m) {
      const item = l.split('\t')[0];
      out.push([`${file}:${i + 1} (${item})`,
        Buffer.from(m[1], 'base64').toString('utf16le')]);
    }
  });
  if (out.length === 0)
    out.push([file, null]);
  return out;
}

let plan = false, failed = 0, checked = 0;
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node check-grammar.mjs [--plan] FILE...');
  process.exit(2);
}
for (const a of args) {
  if (a === '--plan') { plan = true; continue; }
  const scripts = plan ? planScripts(a)
    : [[a, fs.readFileSync(a, 'utf8').replace(/^\uFEFF/, '')]];
  for (const [name, src] of scripts) {
    if (src === null) {
      console.error(`${name}: no -EncodedCommand in the plan listing`);
      failed++;
      continue;
    }
    const p = check(name, src);
    checked++;
    if (p.length) { failed++; p.forEach((x) => console.log(x)); }
  }
}
console.log(`check-grammar: ${checked} scripts parsed, ${failed} failed`);
process.exit(failed ? 1 : 0);
