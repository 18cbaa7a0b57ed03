import { parseDescriptor } from '../../../src/datasets/descriptor';
import { datasetObject, metaDatetime } from '../../../src/responses/dataset-object';

const base = { datasetid: 'd', metas: { title: 'D' }, fields: [{ name: 'a', label: 'A', type: 'text' }] };
const options = { extraMetas: false, interopMetas: false, domain: 'opendata-city' };

describe('datasetObject metas', () => {
  it('says visibility domain for a restricted dataset, public otherwise', () => {
    const restricted = parseDescriptor({ ...base, visibility: { restricted: { users: ['alice'] } } });
    expect(datasetObject(restricted, options).metas).toEqual({ title: 'D', timezone: 'UTC', domain: 'opendata-city', visibility: 'domain' });
    expect(datasetObject(parseDescriptor(base), { extraMetas: false, interopMetas: false }).metas).toEqual({ title: 'D', timezone: 'UTC', visibility: 'public' });
  });

  it.each([
    ['2026-12-02T06:51:34.118Z', '2026-12-02T06:51:34+00:00'],
    ['2026-12-02T08:51:34+02:00', '2026-12-02T06:51:34+00:00'],
    ['2015-04-09T10:28:45+00:00', '2015-04-09T10:28:45+00:00'],
    ['2021-01-04', '2021-01-04'],
    ['not a date', 'not a date'],
  ])('writes the datetime %s as %s', (v, out) => expect(metaDatetime(v)).toBe(out));
});
