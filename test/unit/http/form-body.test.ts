import { parseForm } from '../../../src/http/middleware/form-body';

describe('parseForm', () => {
  it('reads a form as v1 clients send it: + is a space, repeated keys become lists, values decoded', () => {
    const out = parseForm('dataset=a&q=b+c&q=%C3%A9t%C3%A9&refine.x=1&refine.x=2&refine.x=3&empty=&flag', 100)!;
    expect({ ...out }).toEqual({ dataset: 'a', q: ['b c', 'été'], 'refine.x': ['1', '2', '3'], empty: '', flag: '' });
  });

  it('keeps malformed escapes as they are, and prototype names as plain keys', () => {
    const out = parseForm('q=%FF%zz&__proto__=x&constructor=y', 100)!;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.__proto__).toBe('x');
    expect(out.constructor).toBe('y');
    expect(out.q).toBe('\uFFFD%zz');
  });

  it('refuses more than parameterLimit pairs (undefined), before decoding anything', () => {
    expect(parseForm('a=1&b=2&c=3', 3)).toBeDefined();
    expect(parseForm('a=1&b=2&c=3&d=4', 3)).toBeUndefined();
  });

  it('builds a list of 9 000 values of one key by appending (body-parser copied the list at each value)', () => {
    const out = parseForm(Array.from({ length: 9000 }, (_, i) => `q=${i}`).join('&'), 10_000)!;
    expect(out.q).toHaveLength(9000);
    expect((out.q as string[])[8999]).toBe('8999');
  });
});
