import { PassThrough } from 'node:stream';
import { createLogger, prettyMessage, resolveLogFormat } from '../../../src/logger';

/** Logs one thing in the pretty format and returns the text written. */
async function prettyLines(log: (l: ReturnType<typeof createLogger>) => void): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const logger = createLogger('info', out, 'pretty');
  log(logger);
  await new Promise((r) => setTimeout(r, 50));
  return text;
}

describe('LOG_FORMAT', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('%s with a terminal=%s is %s', (setting, tty, expected) => {
    expect(resolveLogFormat(setting, tty)).toBe(expected);
  });

  it('writes a request as one readable line: method, URL, status, time', () => {
    expect(prettyMessage({ msg: 'request completed', req: { method: 'GET', url: '/api/records/1.0/search?dataset=movies' }, res: { statusCode: 200 }, responseTime: 12.4 }, 'msg')).toBe(
      'GET /api/records/1.0/search?dataset=movies 200 12 ms',
    );
    expect(prettyMessage({ msg: 'gateway listening' }, 'msg')).toBe('gateway listening');
  });

  it('prints the line without colors into a stream, and the other keys after the message', async () => {
    const text = await prettyLines((l) => l.info({ req: { method: 'POST', url: '/x' }, res: { statusCode: 404 }, responseTime: 3, dataset: 'movies' }, 'request completed'));
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: POST \/x 404 3 ms \{"dataset":"movies"\}\n$/);
  });

  it('still redacts secrets before formatting them', async () => {
    const text = await prettyLines((l) => l.warn({ headers: { authorization: 'Apikey s3cr3t' }, apikey: 'k3y', error: 'API key is not valid' }, 'request rejected'));
    expect(text).not.toMatch(/s3cr3t|k3y/);
    expect(text).toContain('[Redacted]');
    expect(text).toContain('"error":"API key is not valid"');
  });
});
