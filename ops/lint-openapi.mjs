#!/usr/bin/env node
// Usage: node ops/lint-openapi.mjs [docs/openapi.json]
//
// Lints the OpenAPI document with Redocly's `recommended` ruleset (@redocly/openapi-core, an ES
// module, hence a script of its own; test/unit/openapi/document.test.ts runs it). Prints every
// problem and exits 1 when there is an error or a warning.
import { createConfig, formatProblems, getTotals, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const file = resolve(process.argv[2] ?? 'docs/openapi.json');
// operation-4xx-response is off: health probes, the OAuth2 metadata and the HTML pages have no client
// error to document (every v1 endpoint documents its 4xx answers).
const config = await createConfig({ extends: ['recommended'], rules: { 'operation-4xx-response': 'off' } });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
const totals = getTotals(problems);
if (problems.length > 0) formatProblems(problems, { format: 'codeframe', totals, version: 'lint-openapi', color: false });
process.stdout.write(`${file}: ${totals.errors} errors, ${totals.warnings} warnings\n`);
process.exit(totals.errors + totals.warnings > 0 ? 1 : 0);
