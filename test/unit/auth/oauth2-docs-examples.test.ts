import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/security.md shows the client examples that test/integration/oauth2-clients.int.test.ts runs:
// each code block under its `<!-- example: <file> -->` marker must be that file, byte for byte.
const ROOT = join(__dirname, '../../..');
const EXAMPLES = ['docs/examples/oauth2/oauth4webapi.mjs', 'docs/examples/oauth2/openid-client.mjs', 'docs/examples/oauth2/simple-oauth2.mjs'];

it.each(EXAMPLES)('docs/security.md shows %s as it is', (file) => {
  const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
  const marker = `<!-- example: ${file} -->\n\`\`\`js\n`;
  const at = doc.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = at + marker.length;
  const shown = doc.slice(start, doc.indexOf('\n```\n', start) + 1);
  expect(shown).toBe(readFileSync(join(ROOT, file), 'utf8'));
});
