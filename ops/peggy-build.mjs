// Compiles a peggy grammar of ours into CommonJS parser source, the way every grammar build script
// (ops/build-grammar.mjs, ops/build-odsql-grammar.mjs) wants it: memoised per position, the memo table
// in a Map and the parser's constants hoisted out of peg$parse (both explained below).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import peggy from 'peggy';

/** The parser source of `grammarPath` (relative to `root` in messages); a grammar error stops the build. */
export function compileGrammar({ root, grammarPath, startRules, label }) {
  const grammarSource = relative(root, grammarPath);
  const text = readFileSync(grammarPath, 'utf8');
  let source;
  try {
    source = peggy.generate(text, {
      output: 'source',
      format: 'commonjs',
      allowedStartRules: startRules,
      // Memoise rule results per position: parse time stays linear whatever the input.
      cache: true,
      grammarSource,
    });
  } catch (e) {
    const detail = typeof e.format === 'function' ? e.format([{ source: grammarSource, text }]) : String(e);
    process.stderr.write(`${label}: ${detail}\n`);
    process.exit(1);
  }
  return { grammarSource, source: hoistConstants(memoInMap(source, label), label) };
}

/**
 * peggy keeps its memo table (`cache: true`) in a plain object keyed by `position * rules + rule`:
 * past a few thousand characters V8 stores those sparse integer keys in a slow dictionary, and a
 * 1000-term query took hundreds of milliseconds. The same table in a Map is several times faster
 * on long inputs and no slower on short ones. The rewrite is checked: an unexpected peggy output
 * stops the build rather than producing a parser with a half-replaced table.
 */
function memoInMap(js, label) {
  const gets = js.split('const cached = peg$resultsCache[key];').length - 1;
  const sets = js.split('peg$resultsCache[key] = { nextPos: peg$currPos, result: s0 };').length - 1;
  const out = js
    .replace('let peg$resultsCache = {};', 'const peg$resultsCache = new Map();')
    .replaceAll('const cached = peg$resultsCache[key];', 'const cached = peg$resultsCache.get(key);')
    .replaceAll('peg$resultsCache[key] = { nextPos: peg$currPos, result: s0 };', 'peg$resultsCache.set(key, { nextPos: peg$currPos, result: s0 });');
  if (gets === 0 || gets !== sets || out.includes('peg$resultsCache[') || !out.includes('const peg$resultsCache = new Map();')) {
    process.stderr.write(`${label}: unexpected peggy output, cannot move the memo table into a Map\n`);
    process.exit(1);
  }
  return out;
}

/**
 * peggy declares its constants (character-class regexes, "Expected" descriptors) inside
 * `peg$parse`, so every parse allocates about a hundred of them again. They are immutable (the
 * regexes have no `g` flag, the descriptors are only read), so they are moved out, next to copies
 * of the five pure helpers that build descriptors. Anything unexpected leaves the code as it is.
 */
function hoistConstants(js, label) {
  const lines = js.split('\n');
  const constant = /^ {2}const peg\$(?:r|e)\d+ = (.*);$/;
  const hoisted = lines.filter((l) => constant.test(l));
  const pure = (l) => /^\/.*\/[a-z]*$/.test(l.match(constant)[1]) || /^peg\$(literal|class|any|end|other)Expectation\(.*\)$/.test(l.match(constant)[1]);
  const helpers = js.match(/^ {2}function peg\$(literal|class|any|end|other)Expectation\([^)]*\) \{\n {4}return .*;\n {2}\}$/gm) ?? [];
  if (hoisted.length === 0 || !hoisted.every(pure) || helpers.length !== 5 || !js.includes('\nfunction peg$parse(input, options) {')) {
    process.stdout.write(`${label}: peggy output not as expected, constants left in peg$parse\n`);
    return js;
  }
  const kept = lines.filter((l) => !constant.test(l)).join('\n');
  const block = [...helpers.map((h) => h.replace(/^ {2}/gm, '')), ...hoisted.map((l) => l.slice(2))].join('\n');
  return kept.replace('\nfunction peg$parse(input, options) {', `\n${block}\n\nfunction peg$parse(input, options) {`);
}
