import { FIELD_NAME_PATTERN } from '../../../src/datasets/descriptor';
import { normalizeFieldName, uniqueFieldNames } from '../../../src/ingest/field-names';

describe('field names', () => {
  it.each([
    ['US Gross', 'us_gross'],
    ['Running Time min', 'running_time_min'],
    ['magType', 'mag_type'],
    ['cityId', 'city_id'],
    ['IMDB Rating', 'imdb_rating'],
    ['Élévation (m)', 'elevation_m'],
    ['  --x--  ', 'x'],
    ['2019', 'f_2019'],
    ['', 'field'],
    ['a'.repeat(80), 'a'.repeat(64)],
  ])('%p → %p', (header, name) => {
    expect(normalizeFieldName(header)).toBe(name);
    expect(FIELD_NAME_PATTERN.test(normalizeFieldName(header))).toBe(true);
  });

  it('makes names unique and avoids reserved ones', () => {
    expect(uniqueFieldNames(['Name', 'name', 'NAME', 'recordid', 'geometry', '__x'])).toEqual(['name', 'name_2', 'name_3', 'recordid_field', 'geometry_field', 'x']);
    expect(uniqueFieldNames(['geo_point_2d'], ['geo_point_2d'])).toEqual(['geo_point_2d_2']);
  });
});
