import { OAuthError, errorDescription } from '../../../src/auth/oauth2/oauth-error';

/** RFC 6749 §4.1.2.1 and §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
const ALLOWED = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

describe('errorDescription (RFC 6749 §5.2 character set)', () => {
  it.each([
    ['the only scope is all', 'the only scope is all'],
    ['parameter "state" is repeated', "parameter 'state' is repeated"],
    ['a\\b', 'a/b'],
    ['réseau – tab\there', 'r?seau ? tab?here'],
    ['line\nbreak', 'line?break'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(errorDescription(input)).toBe(expected);
    expect(expected).toMatch(ALLOWED);
  });

  it('When an OAuthError is made with a forbidden character, then its body carries the filtered text', () => {
    expect(new OAuthError('invalid_request', 'expected "Basic"').toBody()).toEqual({ error: 'invalid_request', error_description: "expected 'Basic'" });
  });
});
