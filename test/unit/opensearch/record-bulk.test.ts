import type { Client } from '@opensearch-project/opensearch';
import { bulkBody, bulkWrite } from '../../../src/opensearch/record-bulk';
import type { RecordWrite } from '../../../src/push/push-types';
import { versionClock } from '../../../src/push/versions';

const doc = (id: string) => ({ recordid: id, record_timestamp: '2026-01-01T00:00:00Z', fields: { n: 1 } });

describe('pushed writes as a bulk', () => {
  const writes: RecordWrite[] = [
    { kind: 'index', doc: doc('a'), version: 10 },
    { kind: 'delete', recordid: 'b', version: 11 },
    { kind: 'index', doc: doc('c'), version: 12 },
    { kind: 'delete', recordid: 'd', version: 13 },
  ];

  it('indexes and deletes with external versions', () => {
    expect(bulkBody('ods-records-x', writes.slice(0, 2))).toEqual([
      { index: { _index: 'ods-records-x', _id: 'a', version: 10, version_type: 'external' } },
      doc('a'),
      { delete: { _index: 'ods-records-x', _id: 'b', version: 11, version_type: 'external' } },
    ]);
  });

  it('counts version conflicts and deletions of missing records as done, the rest as failures', async () => {
    const calls: unknown[] = [];
    const client = {
      bulk: async (params: unknown) => {
        calls.push(params);
        return {
          body: {
            errors: true,
            items: [
              { index: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'newer' } } },
              { delete: { status: 404 } },
              { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad shape', caused_by: { type: 'x', reason: 'self-intersection' } } } },
              { delete: { status: 200 } },
            ],
          },
        };
      },
    } as unknown as Client;
    expect(await bulkWrite(client, 'alias', writes, 'wait_for')).toEqual([
      { position: 2, recordid: 'c', status: 400, reason: 'mapper_parsing_exception: bad shape (x: self-intersection)' },
    ]);
    expect((calls[0] as { refresh: unknown }).refresh).toBe('wait_for');
    expect(await bulkWrite(client, 'alias', [], 'wait_for')).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});

describe('versions', () => {
  it('are microseconds, strictly increasing even when the clock stands still or goes back', () => {
    let now = 1_700_000_000_000;
    const next = versionClock(() => now);
    const a = next();
    const b = next();
    now -= 5000;
    const c = next();
    expect(a).toBe(1_700_000_000_000_000);
    expect(b).toBe(a + 1);
    expect(c).toBe(a + 2);
    expect(Number.isSafeInteger(c)).toBe(true);
  });
});
