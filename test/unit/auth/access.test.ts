import {
  accessFor,
  canSee,
  catalogVisibilityFilter,
  recordFilterClauses,
  withMandatoryFilters,
} from '../../../src/auth/access';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import type { AccessRule } from '../../../src/auth/identity-store';
import type { Principal, UserPrincipal } from '../../../src/auth/principal';
import { GatewayError } from '../../../src/errors';

const anonymous: Principal = { kind: 'anonymous', ip: '10.0.0.1' };
const user = (userId: string, groups: string[] = [], attributes: UserPrincipal['attributes'] = {}, admin = false): UserPrincipal => ({
  kind: 'user',
  userId,
  groups,
  attributes,
  via: 'apikey',
  credentialId: 'k1',
  admin,
});

const fields = [
  { name: 'name', label: 'Name', type: 'text' as const },
  { name: 'city', label: 'City', type: 'text' as const },
  { name: 'salary', label: 'Salary', type: 'int' as const },
  { name: 'email', label: 'Email', type: 'text' as const },
];
const pub = parseDescriptor({ datasetid: 'staff', metas: { title: 'Staff' }, fields });
const restricted = parseDescriptor({ datasetid: 'secret', metas: { title: 'Secret' }, fields, visibility: { restricted: { users: ['alice'], groups: ['hr'] } } });
const rule = (subject: AccessRule['subject'], extra: Partial<AccessRule>): AccessRule => ({ dataset: 'staff', subject, hiddenFields: [], updatedAt: '', ...extra });

function errorOf(f: () => unknown): GatewayError {
  try {
    f();
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('no error');
}

describe('visibility', () => {
  it('lets everyone see a public dataset, and listed users, group members and admins a restricted one', () => {
    expect(canSee(anonymous, pub)).toBe(true);
    expect(canSee(anonymous, restricted)).toBe(false);
    expect(canSee(user('alice'), restricted)).toBe(true);
    expect(canSee(user('bob', ['hr']), restricted)).toBe(true);
    expect(canSee(user('bob', ['sales']), restricted)).toBe(false);
    expect(canSee(user('root', [], {}, true), restricted)).toBe(true);
    // Exact names only: no prefix or pattern matching.
    expect(canSee(user('alice2'), restricted)).toBe(false);
    expect(canSee(user('bob', ['hr-extra']), restricted)).toBe(false);
  });

  it('answers 401 with a Bearer challenge to anonymous callers and 404 "Unknown dataset" to others', () => {
    const e401 = errorOf(() => accessFor(anonymous, restricted, []));
    expect(e401.status).toBe(401);
    expect(e401.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="ods"' });
    const e404 = errorOf(() => accessFor(user('bob'), restricted, []));
    expect(e404.status).toBe(404);
    expect(e404.toBody()).toEqual({ errorcode: 10404, error: 'Unknown dataset: secret' });
  });
});

describe('access rules', () => {
  const rules = [
    rule({ type: 'group', name: 'north' }, { recordFilter: '#attr(city, city)', hiddenFields: ['salary'] }),
    rule({ type: 'user', name: 'alice' }, { recordFilter: 'salary < 5000', hiddenFields: ['email'] }),
    rule({ type: 'user', name: 'bob' }, { recordFilter: 'name:x', hiddenFields: ['name'] }),
    rule({ type: 'anonymous' }, { hiddenFields: ['email', 'salary'] }),
    { ...rule({ type: 'user', name: 'alice' }, { recordFilter: 'other dataset' }), dataset: 'other' },
  ];

  it('applies every rule of the user and of each of its groups: filters ANDed, hidden fields united', () => {
    const a = accessFor(user('alice', ['north'], { city: 'Paris' }), pub, rules);
    expect(a.recordFilters).toEqual(['#attr(city, city)', 'salary < 5000']);
    expect([...a.hidden].sort()).toEqual(['email', 'salary']);
    expect(a.descriptor.fields.map((f) => f.name)).toEqual(['name', 'city']);
    expect(a.source.fields.map((f) => f.name)).toEqual(['name', 'city', 'salary', 'email']);
    expect(a.attributes).toEqual({ city: 'Paris' });
  });

  it('gives anonymous callers the anonymous rule only', () => {
    const anon = accessFor(anonymous, pub, rules);
    expect(anon.recordFilters).toEqual([]);
    expect([...anon.hidden].sort()).toEqual(['email', 'salary']);
  });

  it('gives a user without a rule of their own the anonymous (default) rule: signing in does not widen access', () => {
    const withFilter = [
      ...rules.filter((r) => r.subject.type !== 'anonymous'),
      rule({ type: 'anonymous' }, { recordFilter: 'city:Paris', hiddenFields: ['email'] }),
    ];
    const carol = accessFor(user('carol', ['sales']), pub, withFilter);
    expect(carol.recordFilters).toEqual(['city:Paris']);
    expect([...carol.hidden]).toEqual(['email']);
    expect(carol.descriptor.fields.map((f) => f.name)).toEqual(['name', 'city', 'salary']);
    const carolDefault = accessFor(user('carol'), pub, rules);
    expect([...carolDefault.hidden].sort()).toEqual(['email', 'salary']);
  });

  it('replaces the default rule with the rules naming the user or a group of theirs (granted more)', () => {
    // bob's own rule hides only `name`: the default rule's email and salary are his to see.
    const bob = accessFor(user('bob'), pub, rules);
    expect(bob.recordFilters).toEqual(['name:x']);
    expect([...bob.hidden]).toEqual(['name']);
    // A group rule that restricts nothing grants the full view to its members.
    const open = [...rules, rule({ type: 'group', name: 'staff' }, {})];
    const member = accessFor(user('frank', ['staff']), pub, open);
    expect(member.recordFilters).toEqual([]);
    expect(member.hidden.size).toBe(0);
    expect(member.descriptor).toBe(pub);
  });

  it('does not apply the default rule to an administrator without a rule of their own, but applies rules naming them', () => {
    const root = accessFor(user('root', [], {}, true), pub, rules);
    expect(root.hidden.size).toBe(0);
    expect(root.recordFilters).toEqual([]);
    const named = accessFor(user('root', ['north'], { city: 'Lyon' }, true), pub, rules);
    expect(named.recordFilters).toEqual(['#attr(city, city)']);
  });

  it('gives a user no rule at all on a dataset without rules', () => {
    const carol = accessFor(user('carol'), pub, rules.filter((r) => r.dataset === 'other'));
    expect(carol.recordFilters).toEqual([]);
    expect(carol.hidden.size).toBe(0);
    expect(carol.descriptor).toBe(pub);
  });

  it('compiles record filters against the full schema (a filter may use a hidden field) with the caller attributes', () => {
    const a = accessFor(user('alice', ['north'], { city: ['Paris', 'Lyon'] }), pub, rules);
    expect(recordFilterClauses(a, new Date('2024-01-01T00:00:00Z'))).toEqual([
      { terms: { 'fields.city.keyword': ['Paris', 'Lyon'] } },
      { range: { 'fields.salary': { lt: 5000 } } },
    ]);
  });

  it('matches nothing when the caller lacks the attribute a filter needs (fail closed)', () => {
    const a = accessFor(user('dave', ['north'], {}), pub, rules);
    expect(recordFilterClauses(a, new Date())).toEqual([{ bool: { must_not: { match_all: {} } } }]);
  });

  it('turns a broken rule into a 500 that does not quote the rule', () => {
    const a = accessFor(user('eve'), pub, [rule({ type: 'user', name: 'eve' }, { recordFilter: 'nosuchfield:secretvalue' })]);
    const e = errorOf(() => recordFilterClauses(a, new Date()));
    expect(e.status).toBe(500);
    expect(e.message).not.toContain('secretvalue');
  });
});

describe('mandatory filters', () => {
  it('puts the body query as a `must` beside the filters, never under them', () => {
    const userQuery = { bool: { should: [{ term: { a: 1 } }, { bool: { must_not: { exists: { field: 'x' } } } }] } };
    const body = withMandatoryFilters({ query: userQuery, size: 10 }, [{ term: { f: 'v' } }, { term: { g: 'w' } }]);
    expect(body).toEqual({ size: 10, query: { bool: { must: [userQuery], filter: [{ term: { f: 'v' } }, { term: { g: 'w' } }] } } });
    expect(withMandatoryFilters({ size: 0 }, [{ term: { f: 'v' } }])).toEqual({ size: 0, query: { bool: { must: [{ match_all: {} }], filter: [{ term: { f: 'v' } }] } } });
    const untouched = { query: userQuery };
    expect(withMandatoryFilters(untouched, [])).toEqual({ query: userQuery });
  });
});

describe('catalog visibility', () => {
  it('filters the catalog on public, the user and its groups; nothing for administrators', () => {
    // Fails closed: a catalog document without __visibility matches nobody but administrators.
    expect(catalogVisibilityFilter(anonymous)).toEqual({ term: { '__visibility.public': true } });
    expect(catalogVisibilityFilter(user('bob', ['hr', 'x']))).toEqual({
      bool: {
        should: [{ term: { '__visibility.public': true } }, { term: { '__visibility.users': 'bob' } }, { terms: { '__visibility.groups': ['hr', 'x'] } }],
        minimum_should_match: 1,
      },
    });
    expect(catalogVisibilityFilter(user('root', [], {}, true))).toBeUndefined();
  });
});
