import { ConfigError, loadConfig, settingsMarkdown, SETTINGS } from '../../../src/config';

describe('loadConfig', () => {
  it('gives documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.opensearchUrl).toBe('http://127.0.0.1:9200');
    expect(c.indexPrefix).toBe('ods');
    expect(c.redisUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://127.0.0.1:8080');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses given values and strips a trailing slash from URLs', () => {
    const c = loadConfig({ PORT: '9000', OPENSEARCH_URL: 'http://os:9200/', REDIS_URL: 'redis://r:6379', TRUST_PROXY: '2', HOST: '0.0.0.0' });
    expect(c.port).toBe(9000);
    expect(c.opensearchUrl).toBe('http://os:9200');
    expect(c.redisUrl).toBe('redis://r:6379');
    expect(c.trustProxy).toBe(2);
    expect(c.publicUrl).toBe('http://127.0.0.1:9000');
  });

  it('lists every invalid setting at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', OPENSEARCH_URL: 'ftp://x', INDEX_PREFIX: 'Bad Prefix', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT: expected an integer/);
    expect(problems.join('\n')).toMatch(/OPENSEARCH_URL: expected a http: or https: URL/);
    expect(problems.join('\n')).toMatch(/INDEX_PREFIX/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL: expected one of/);
  });

  it('documents every setting in the markdown table', () => {
    const md = settingsMarkdown();
    for (const s of Object.values(SETTINGS)) expect(md).toContain(`\`${s.env}\``);
  });
});
