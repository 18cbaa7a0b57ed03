import { parseBasic } from '../../../src/auth/oauth2/client-auth';
import { redirectTo } from '../../../src/auth/oauth2/authorization';
import { escapeHtml, loginPage } from '../../../src/auth/oauth2/pages';
import { parseScope } from '../../../src/auth/oauth2/params';
import { verifierMatches } from '../../../src/auth/oauth2/token';
import { OAuthError } from '../../../src/auth/oauth2/oauth-error';

describe('OAuth2 building blocks', () => {
  it('checks PKCE verifiers (RFC 7636 Appendix B example) for S256 and plain', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(verifierMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
    expect(verifierMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN', 'S256')).toBe(false);
    expect(verifierMatches(verifier, verifier, 'plain')).toBe(true);
    expect(verifierMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'plain')).toBe(false);
  });

  it('decodes Basic credentials with Appendix B form-decoding', () => {
    const b64 = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(parseBasic(b64('an%3Aidentifier:p%40ss+word'))).toEqual({ id: 'an:identifier', secret: 'p@ss word' });
    expect(parseBasic(b64('id:'))).toEqual({ id: 'id', secret: '' });
    expect(parseBasic(`basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({ id: 'a', secret: 'b' });
    for (const bad of ['Basic', 'Basic ', 'Basic Zm9v', 'Basic !!!!', b64(':secret'), b64('%zz:x'), 'Basic Zm9vOmJhcg']) {
      expect(() => parseBasic(bad)).toThrow(OAuthError);
    }
  });

  it('accepts scope and scopes (v1), only "all"', () => {
    expect(parseScope(undefined, undefined)).toBe('all');
    expect(parseScope('all', undefined)).toBe('all');
    expect(parseScope(undefined, 'all all')).toBe('all');
    expect(parseScope('all', 'read')).toBeUndefined();
    expect(parseScope('foo')).toBeUndefined();
  });

  it('appends to a redirect URI without normalising it', () => {
    expect(redirectTo('https://c.example/cb', { code: 'abc', state: 'x y&z' })).toBe('https://c.example/cb?code=abc&state=x+y%26z');
    expect(redirectTo('https://c.example/cb?k=v', { error: 'access_denied', state: undefined })).toBe('https://c.example/cb?k=v&error=access_denied');
    expect(redirectTo('com.example.app:/cb', { code: 'c' })).toBe('com.example.app:/cb?code=c');
  });

  it('escapes every interpolated value of the pages', () => {
    expect(escapeHtml(`<script>"'&\`=`)).toBe('&#60;script&#62;&#34;&#39;&#38;&#96;&#61;');
    const html = loginPage({ action: '/oauth2/authorize/', csrf: 'c"srf', params: { state: '"><script>alert(1)</script>' }, clientName: '<img src=x>', username: '"><b>' });
    expect(html).not.toMatch(/<script>|<img|<b>/);
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
  });

  it('gives RFC 6749 §5.2 statuses: 400, and 401 for invalid_client with a Basic challenge when asked', () => {
    expect(new OAuthError('invalid_grant', 'x').status).toBe(400);
    expect(new OAuthError('unsupported_grant_type', 'x').status).toBe(400);
    expect(new OAuthError('invalid_client', 'x').status).toBe(401);
    expect(new OAuthError('invalid_client', 'x', { basicChallenge: true }).headers).toEqual({ 'WWW-Authenticate': 'Basic realm="ods", charset="UTF-8"' });
    expect(new OAuthError('invalid_scope', 'd').toBody()).toEqual({ error: 'invalid_scope', error_description: 'd' });
  });
});
