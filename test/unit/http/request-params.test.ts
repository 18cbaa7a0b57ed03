import { requestParams } from '../../../src/http/params/request-params';
import { GatewayError } from '../../../src/errors';

describe('requestParams', () => {
  it('keeps repeated keys in order, decodes + as space and drops empty values', () => {
    const p = requestParams('/x?q=a+b&q=c%20d&sort=&facet=country&facet=year&refine.country=FR&refine.country=DE&exclude.year=2020');
    expect(p.getAll('q')).toEqual(['a b', 'c d']);
    expect(p.has('sort')).toBe(false);
    expect(p.getAll('facet')).toEqual(['country', 'year']);
    expect(Object.fromEntries(p.withPrefix('refine.'))).toEqual({ country: ['FR', 'DE'] });
    expect(Object.fromEntries(p.withPrefix('exclude.'))).toEqual({ year: ['2020'] });
  });

  it('merges form or JSON bodies with the query string', () => {
    const p = requestParams('/x?q=a', { q: ['b', 'c'], rows: 20, nested: { no: 1 }, empty: '' });
    expect(p.getAll('q')).toEqual(['a', 'b', 'c']);
    expect(p.int('rows', 10, 0, 100)).toBe(20);
    expect(p.has('nested')).toBe(false);
    expect(p.has('empty')).toBe(false);
  });

  it('validates integers, booleans and enumerations naming the parameter', () => {
    const p = requestParams('/x?rows=ten&start=-1&pretty_print=maybe&format=XML');
    expect(() => p.int('rows', 10, 0, 100)).toThrow(/"rows": expected an integer, got "ten"/);
    expect(() => p.int('start', 0, 0, 100)).toThrow(/"start": expected an integer between 0 and 100, got -1/);
    expect(() => p.bool('pretty_print', false)).toThrow(GatewayError);
    expect(() => p.oneOf('format', ['json', 'csv'] as const, 'json')).toThrow(/expected one of json, csv/);
    expect(requestParams('/x?format=CSV').oneOf('format', ['json', 'csv'] as const, 'json')).toBe('csv');
  });

  it('survives malformed percent-encoding', () => {
    const p = requestParams('/x?q=%E0%A4%A&q=%');
    expect(p.getAll('q')).toHaveLength(2);
  });
});
