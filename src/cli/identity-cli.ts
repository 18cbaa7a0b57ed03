/**
 * What the identity CLIs (`users`, `keys`, `clients` in src/cli) share: the identity service over the
 * OpenSearch security index named by the environment (OPENSEARCH_*, INDEX_PREFIX, as for the gateway),
 * output as text or `--json`, and exit codes: 0 done, 1 failure (OpenSearch unreachable, unknown
 * name), 2 bad usage, invalid input or configuration. Secrets (keys, client secrets) are printed once,
 * when made; passwords are read from stdin (`--password-stdin`), never needed on the command line.
 */
import { runProgram, type CliIo } from './cli-runner';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config';
import { indexNames } from '../datasets/index-names';
import { createOpenSearchClient, type Client } from '../opensearch/client';
import { identityService, IdentityInputError, IdentityNotFoundError, type Identity } from '../auth/identity';
import { openSearchIdentityStore } from '../auth/opensearch-identity-store';

export interface IdentityCliIo extends CliIo {
  /** Reads standard input to the end (passwords). */
  readStdin?: () => Promise<string>;
}

export interface IdentityCliContext {
  identity: () => Promise<Identity>;
  print: (obj: unknown, text: string) => void;
  /** The password given on stdin (first line), for `--password-stdin`. */
  passwordFromStdin: () => Promise<string>;
}

/** `k=v` options, repeatable; a key given twice becomes a list. */
export function collectAttribute(raw: string, previous: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected name=value');
  const k = raw.slice(0, eq);
  const v = raw.slice(eq + 1);
  const before = previous[k];
  return { ...previous, [k]: before === undefined ? v : [...(Array.isArray(before) ? before : [before]), v] };
}

export const collectList = (raw: string, previous: string[] = []): string[] => [
  ...previous,
  ...raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
];

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const chunk of stream) s += String(chunk);
  return s;
}

export async function runIdentityCli(name: string, description: string, args: string[], io: IdentityCliIo, define: (program: Command, ctx: IdentityCliContext) => void): Promise<number> {
  let client: Client | undefined;
  let identity: Identity | undefined;
  const program = new Command(name)
    .description(description)
    .option('--json', 'print JSON (the admin API objects)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const ctx: IdentityCliContext = {
    async identity() {
      if (identity) return identity;
      const config = loadConfig(io.env);
      client = createOpenSearchClient(config);
      identity = identityService(openSearchIdentityStore(client, indexNames(config.indexPrefix).securityIndex), { cacheTtlMs: 0 });
      return identity;
    },
    print(obj, text) {
      io.out(`${program.opts<{ json?: boolean }>().json ? JSON.stringify(obj, null, 2) : text}\n`);
    },
    async passwordFromStdin() {
      const raw = await (io.readStdin ?? (() => readAll(process.stdin)))();
      const line = raw.split(/\r?\n/)[0] ?? '';
      if (line === '') throw new IdentityInputError('no password on standard input');
      return line;
    },
  };
  define(program, ctx);
  return runProgram(program, args, io, name, {
    usageErrors: [IdentityInputError],
    plainFailures: [IdentityNotFoundError],
    cleanup: () => client?.close().catch(() => undefined),
  });
}

// Bin entry points run through the runner every CLI shares.
export { runAsMain } from './cli-runner';
