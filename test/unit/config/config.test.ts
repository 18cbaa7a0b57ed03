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

  it('takes a comma-separated list of OpenSearch nodes, each checked, spaces and trailing slashes dropped', () => {
    const c = loadConfig({ OPENSEARCH_URL: 'http://n1:9401, http://n2:9402/,https://n3:9403' });
    expect(c.opensearchUrl).toBe('http://n1:9401,http://n2:9402,https://n3:9403');
    expect(c.opensearchSniffIntervalMs).toBe(0);
    const problem = (url: string): string => {
      try {
        loadConfig({ OPENSEARCH_URL: url });
      } catch (e) {
        return (e as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problem('http://n1:9401,')).toBe('OPENSEARCH_URL: expected a URL or a comma-separated list of URLs, got "http://n1:9401,"');
    expect(problem('http://n1:9401,n2:9402')).toBe('OPENSEARCH_URL: expected a http: or https: URL, got "n2:9402"');
    expect(problem('http://n1:9401,http://n1:9401/')).toBe('OPENSEARCH_URL: the same URL is listed twice in "http://n1:9401,http://n1:9401/"');
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
