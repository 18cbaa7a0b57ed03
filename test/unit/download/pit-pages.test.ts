import { pitPages, type PitBackend, type Hit } from '../../../src/download/pit-pages';

/** A backend serving `total` documents by _doc position; records every call. */
function fakePit(total: number, options: { failAt?: number; closeFails?: boolean; shards?: number } = {}) {
  const calls: { method: string; body?: Record<string, unknown> }[] = [];
  const open = new Set<string>();
  let searches = 0;
  const backend: PitBackend = {
    async openPit() {
      calls.push({ method: 'openPit' });
      open.add('p1');
      return { pitId: 'p1', shards: options.shards ?? 1 };
    },
    async searchWithPit(body) {
      calls.push({ method: 'search', body });
      searches += 1;
      if (options.failAt === searches) throw new Error('boom');
      const after = (body.search_after as number[] | undefined)?.[0];
      const from = after === undefined ? 0 : after + 1;
      const size = body.size as number;
      const hits = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => ({ _id: `d${from + i}`, sort: [from + i] }));
      // the PIT id may change from one answer to the next
      return { pit_id: `p${searches + 1}`, hits: { hits } };
    },
    async closePit(id) {
      calls.push({ method: `close:${id}` });
      open.clear();
      if (options.closeFails) throw new Error('close failed');
    },
  };
  return { backend, calls, open };
}

const base = { datasetId: 'd', query: { match_all: {} }, source: ['recordid'], pageSize: 3, keepAliveSeconds: 60 };

async function all(it: AsyncIterable<Hit[]>): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of it) ids.push(...page.map((h) => String(h._id)));
  return ids;
}

describe('point-in-time pages', () => {
  it('reads every document once, sorted on _doc, then deletes the PIT (latest id)', async () => {
    const { backend, calls, open } = fakePit(7);
    expect(await all(pitPages(backend, base))).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(calls.map((c) => c.method)).toEqual(['openPit', 'search', 'search', 'search', 'close:p4']);
    expect(calls[1]!.body).toEqual({
      size: 3,
      track_total_hits: false,
      pit: { id: 'p1', keep_alive: '60s' },
      query: { match_all: {} },
      sort: [{ _doc: 'asc' }],
      _source: ['recordid'],
    });
    expect(calls[2]!.body).toMatchObject({ pit: { id: 'p2' }, search_after: [2] });
    expect(open.size).toBe(0);
  });

  it('a full last page costs one more (empty) read', async () => {
    const { backend, calls } = fakePit(6);
    expect(await all(pitPages(backend, base))).toHaveLength(6);
    expect(calls.filter((c) => c.method === 'search')).toHaveLength(3);
  });

  it('sorts on recordid over several shards, and on the requested keys when asked', async () => {
    const multi = fakePit(1, { shards: 3 });
    await all(pitPages(multi.backend, base));
    expect(multi.calls[1]!.body!.sort).toEqual([{ recordid: 'asc' }]);
    const sorted = fakePit(1);
    await all(pitPages(sorted.backend, { ...base, sort: [{ 'fields.population': 'desc' }, { recordid: 'asc' }] }));
    expect(sorted.calls[1]!.body!.sort).toEqual([{ 'fields.population': 'desc' }, { recordid: 'asc' }]);
  });

  it('rows caps the documents and the page sizes', async () => {
    const { backend, calls } = fakePit(100);
    expect(await all(pitPages(backend, { ...base, limit: 5 }))).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(calls.filter((c) => c.method === 'search').map((c) => c.body!.size)).toEqual([3, 2]);
    const none = fakePit(100);
    expect(await all(pitPages(none.backend, { ...base, limit: 0 }))).toEqual([]);
    expect(none.calls).toEqual([]);
  });

  it('deletes the PIT when the consumer stops early (client disconnect)', async () => {
    const { backend, calls, open } = fakePit(100);
    for await (const page of pitPages(backend, base)) {
      expect(page).toHaveLength(3);
      break;
    }
    expect(open.size).toBe(0);
    expect(calls.map((c) => c.method)).toEqual(['openPit', 'search', 'search', 'close:p2']);
  });

  it('deletes the PIT when a page fails, and the error reaches the consumer', async () => {
    const { backend, calls, open } = fakePit(100, { failAt: 2 });
    await expect(all(pitPages(backend, base))).rejects.toThrow('boom');
    expect(open.size).toBe(0);
    expect(calls.at(-1)!.method).toMatch(/^close:/);
  });

  it('deletes the PIT when the consumer throws', async () => {
    const { backend, open } = fakePit(100);
    await expect(
      (async () => {
        for await (const _page of pitPages(backend, base)) throw new Error('writer failed');
      })(),
    ).rejects.toThrow('writer failed');
    expect(open.size).toBe(0);
  });

  it('a failure to delete the PIT is reported, not thrown over the result', async () => {
    const { backend } = fakePit(2, { closeFails: true });
    const reported: unknown[] = [];
    expect(await all(pitPages(backend, { ...base, onCloseError: (e) => reported.push(e) }))).toHaveLength(2);
    expect(reported).toHaveLength(1);
  });
});
