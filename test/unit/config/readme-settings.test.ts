import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsMarkdown } from '../../../src/config';

// The README's configuration table is the generated one: a setting cannot be added, renamed or
// re-documented without the README following (regenerate with `node dist/src/config.js --markdown`).
it('README documents exactly the settings of src/config.ts', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const m = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(settingsMarkdown());
});
