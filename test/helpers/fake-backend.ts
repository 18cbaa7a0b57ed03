/**
 * An in-memory Backend for HTTP tests (the lowest seam above OpenSearch). It records every call so
 * tests can assert that invalid input never reaches the backend.
 */
import type { Backend, CatalogDoc } from '../../src/opensearch/backend';
import type { DatasetDescriptorInput } from '../../src/datasets/descriptor';
import type { StoredRecord } from '../../src/responses/record';

export interface FakeBackend extends Backend {
  calls: { method: string; args: unknown[] }[];
  addDataset(d: DatasetDescriptorInput, records?: StoredRecord[]): void;
  failWith?: Error;
}

export function fakeBackend(): FakeBackend {
  const catalog = new Map<string, CatalogDoc>();
  const records = new Map<string, Map<string, StoredRecord>>();
  const calls: { method: string; args: unknown[] }[] = [];
  const self: FakeBackend = {
    calls,
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
