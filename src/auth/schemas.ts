/**
 * Input shapes of identity management, shared by the admin API, the CLIs and the bootstrap file, so
 * the three accept exactly the same things (zod; errors name the JSON path).
 */
import { z } from 'zod';
import { DATASET_ID_PATTERN, FIELD_NAME_PATTERN } from '../datasets/descriptor';
import { CLIENT_TYPES, NAME_PATTERN, parseSubject } from './identity-store';

const name = z.string().regex(NAME_PATTERN, 'names are letters, digits, ".", "_", "@" and "-" (at most 100), starting with a letter or digit');

export const attributesSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'attribute names are letters, digits, "_", "." and "-"'),
  z.union([z.string().max(1000), z.array(z.string().max(1000)).max(1000)]),
);

/** Passwords: at least 8 characters (NIST SP 800-63B), at most 1024 (scrypt cost is per byte). */
export const passwordSchema = z.string().min(8, 'passwords have at least 8 characters').max(1024);

export const userInputSchema = z.object({
  username: name,
  password: passwordSchema.optional(),
  groups: z.array(name).max(1000).default([]),
  attributes: attributesSchema.default({}),
  admin: z.boolean().default(false),
});
export type UserInput = z.input<typeof userInputSchema>;

/** A partial update of a user (admin API PATCH). */
export const userPatchSchema = z.object({
  password: passwordSchema.optional(),
  groups: z.array(name).max(1000).optional(),
  attributes: attributesSchema.optional(),
  admin: z.boolean().optional(),
});

export const groupInputSchema = z.object({
  name,
  attributes: attributesSchema.default({}),
});
export type GroupInput = z.input<typeof groupInputSchema>;

/**
 * A clear API key given by an operator (bootstrap file only): long enough to be unguessable. Keys
 * the gateway makes are 40 hex characters (160 bits).
 */
export const givenApiKeySchema = z.string().regex(/^[A-Za-z0-9_.~-]{32,256}$/, 'API keys given in clear have 32 to 256 characters [A-Za-z0-9_.~-]');

export const apiKeyInputSchema = z.object({
  username: name,
  label: z.string().max(200).optional(),
});

/**
 * Redirect URIs: absolute, without a fragment (RFC 6749 §3.1.2). Custom schemes are allowed (native
 * apps); http only for loopback hosts or when explicitly registered by an administrator — we accept
 * it, as v1 did, and compare it byte for byte.
 */
export const redirectUriSchema = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return !s.includes('#') && u.protocol !== 'javascript:' && u.protocol !== 'data:';
    } catch {
      return false;
    }
  }, 'a redirect URI is an absolute URL without a fragment');

export const clientInputSchema = z.object({
  name: z.string().min(1).max(200),
  type: z.enum(CLIENT_TYPES).default('confidential'),
  redirect_uris: z.array(redirectUriSchema).min(1).max(20),
});
export type ClientInput = z.input<typeof clientInputSchema>;

export const subjectSchema = z.string().refine((s) => parseSubject(s) !== undefined, 'a subject is "user:<name>", "group:<name>" or "anonymous"');

export const accessRuleInputSchema = z.object({
  dataset: z.string().regex(DATASET_ID_PATTERN, 'dataset ids are lower-case letters, digits, _ and -'),
  subject: subjectSchema,
  record_filter: z.string().min(1).max(10000).optional(),
  hidden_fields: z.array(z.string().regex(FIELD_NAME_PATTERN, 'not a field name')).max(1000).default([]),
});
export type AccessRuleInput = z.input<typeof accessRuleInputSchema>;

/** zod issues → one sentence per problem, each with its JSON path. */
export function describeIssues(error: z.ZodError, root = ''): string {
  return error.issues.map((i) => `${[root, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`).join('; ');
}
