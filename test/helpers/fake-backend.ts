/**
 * An in-memory Backend for HTTP tests (the lowest seam above OpenSearch). It records every call so
 * tests can assert that invalid input never reaches the backend.
 */
import type { Backend } from '../../src/opensearch/backend';
import type { CatalogDocAsRead as CatalogDoc } from '../../src/datasets/catalog-doc';
import type { DatasetDescriptorInput } from '../../src/datasets/descriptor';
import type { StoredRecord } from '../../src/responses/record';

export interface FakeBackend extends Backend {
  calls: { method: string; args: unknown[] }[];
  addDataset(d: DatasetDescriptorInput, records?: StoredRecord[]): void;
  failWith?: Error;
  /** Answers searchRecords (analyze, geocluster, boundingbox tests); unset: searchRecords throws. */
  onSearch?: (datasetId: string, body: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Point-in-time fake (download tests): pages of the dataset's records in insertion order, or of
   * `pitSource` when set (e.g. an endless generator); `_doc` sort values are positions.
   */
  pitSource?: (datasetId: string, from: number, size: number) => StoredRecord[] | Promise<StoredRecord[]>;
  /** Makes the n-th searchWithPit call (1-based) fail. */
  failPitSearchAt?: { call: number; error: Error };
  /** Ids of the point-in-times opened and not closed. */
  openPits: Set<string>;
  /** Push tests: the records of a dataset as writeRecords left them (external versions applied). */
  recordsOf(datasetId: string): StoredRecord[];
  /** Push tests: makes writeRecords refuse the writes for which this returns a reason. */
  /** A reason (refused with status 400), or `{ status, reason }` (e.g. 503 while a shard copy is promoted). */
  refuseWrite?: (recordid: string) => string | { status: number; reason: string } | undefined;
}

export function fakeBackend(): FakeBackend {
  const catalog = new Map<string, CatalogDoc>();
  const records = new Map<string, Map<string, StoredRecord>>();
  const calls: { method: string; args: unknown[] }[] = [];
  const pitDataset = new Map<string, string>();
  let pitCounter = 0;
  let pitSearches = 0;
  const versions = new Map<string, number>();
  const self: FakeBackend = {
    calls,
    openPits: new Set<string>(),
    async openPit(id, keepAliveSeconds) {
      calls.push({ method: 'openPit', args: [id, keepAliveSeconds] });
      if (self.failWith) throw self.failWith;
      const pitId = `pit-${++pitCounter}`;
      self.openPits.add(pitId);
      pitDataset.set(pitId, id);
      return { pitId, shards: 1 };
    },
    async searchWithPit(body) {
      calls.push({ method: 'searchWithPit', args: [body] });
      pitSearches += 1;
      if (self.failPitSearchAt && self.failPitSearchAt.call === pitSearches) throw self.failPitSearchAt.error;
      const pitId = (body.pit as { id: string }).id;
      const id = pitDataset.get(pitId);
      if (id === undefined || !self.openPits.has(pitId)) throw new Error(`unknown point-in-time ${pitId}`);
      const size = Number(body.size ?? 10);
      const after = body.search_after as number[] | undefined;
      const from = after ? Number(after[0]) + 1 : 0;
      const page = self.pitSource ? await self.pitSource(id, from, size) : [...(records.get(id)?.values() ?? [])].slice(from, from + size);
      return {
        pit_id: pitId,
        hits: { hits: page.map((r, i) => ({ _id: r.recordid, _source: r, sort: [from + i] })) },
      };
    },
    async closePit(pitId) {
      calls.push({ method: 'closePit', args: [pitId] });
      self.openPits.delete(pitId);
    },
    async countOpenPits() {
      return self.openPits.size;
    },
    recordsOf(id) {
      return [...(records.get(id)?.values() ?? [])];
    },
    async writeRecords(id, writes) {
      calls.push({ method: 'writeRecords', args: [id, writes] });
      if (self.failWith) throw self.failWith;
      const recs = records.get(id) ?? new Map<string, StoredRecord>();
      records.set(id, recs);
      const failures: { position: number; recordid: string; status: number; reason: string }[] = [];
      writes.forEach((w, position) => {
        const recordid = w.kind === 'index' ? w.doc.recordid : w.recordid;
        const refused = self.refuseWrite?.(recordid);
        if (refused) return void failures.push({ position, recordid, ...(typeof refused === 'string' ? { status: 400, reason: refused } : refused) });
        const key = `${id}/${recordid}`;
        if ((versions.get(key) ?? 0) >= w.version) return; // external versions: an older write is a no-op
        versions.set(key, w.version);
        if (w.kind === 'index') recs.set(recordid, w.doc as StoredRecord);
        else recs.delete(recordid);
      });
      return failures;
    },
    addDataset(d, recs = []) {
      catalog.set(d.datasetid, { recordid: d.datasetid, dataset: d });
      records.set(d.datasetid, new Map(recs.map((r) => [r.recordid, r])));
    },
    async getCatalogDoc(id) {
      calls.push({ method: 'getCatalogDoc', args: [id] });
      if (self.failWith) throw self.failWith;
      return catalog.get(id);
    },
    async getRecord(id, recordId) {
      calls.push({ method: 'getRecord', args: [id, recordId] });
      if (self.failWith) throw self.failWith;
      return records.get(id)?.get(recordId);
    },
    async searchRecords(id, body) {
      calls.push({ method: 'searchRecords', args: [id, body] });
      if (self.onSearch) return self.onSearch(id, body);
      throw new Error('searchRecords is not faked');
    },
    async searchCatalog(body) {
      calls.push({ method: 'searchCatalog', args: [body] });
      throw new Error('searchCatalog is not faked');
    },
    async ping() {
      calls.push({ method: 'ping', args: [] });
      return !self.failWith;
    },
  };
  return self;
}
