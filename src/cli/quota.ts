#!/usr/bin/env node
/**
 * `quota`: read and set daily quotas in the Redis the gateways share (REDIS_URL, INDEX_PREFIX and the
 * QUOTA_* settings come from the environment, as for the gateway).
 *
 *   node dist/src/cli/quota.js usage user:alice
 *   node dist/src/cli/quota.js top --n 20 [--day 2026-01-25]
 *   node dist/src/cli/quota.js set-limit user:alice 50000
 *   node dist/src/cli/quota.js clear-limit user:alice
 *   node dist/src/cli/quota.js domain | overrides
 *
 * `--json` prints the same objects as the admin API. Exit codes: 0 done, 1 failure (Redis down...),
 * 2 bad usage or configuration.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runAsMain, runProgram, UsageError, type CliIo } from './cli-runner';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import { parseDay } from '../quota/clock';
import { isQuotaIdentity, QuotaService } from '../quota/service';
import { QUOTA_REDIS_OPTIONS, redisQuotaStore } from '../quota/store';
import { quotaKeyPrefix, quotaSettings } from '../quota/wiring';

export type { CliIo };

const MAX_LIMIT = 1_000_000_000;

function identityArg(raw: string): string {
  if (!isQuotaIdentity(raw)) throw new InvalidArgumentError('expected user:<id> or ip:<address>');
  return raw;
}

function intArg(min: number, max: number) {
  return (raw: string): number => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer between ${min} and ${max}`);
    return n;
  };
}

function dayArg(raw: string): string {
  const d = parseDay(raw);
  if (!d) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return d;
}


/** Runs one command; resolves to the exit code (never calls process.exit: tests call it). */
export async function runQuotaCli(args: string[], io: CliIo): Promise<number> {
  let client: Redis | undefined;
  let service: QuotaService | undefined;
  const connect = async (): Promise<QuotaService> => {
    if (service) return service;
    const config = loadConfig(io.env);
    if (!config.redisUrl) {
      throw new UsageError('REDIS_URL is not set: without Redis each gateway keeps its quotas in its own memory, out of reach of this command');
    }
    // One attempt (bounded by the connect timeout), no reconnection loop: this is a one-shot command.
    client = new Redis(config.redisUrl, {
      ...QUOTA_REDIS_OPTIONS,
      commandTimeout: Math.max(config.quotaStoreTimeoutMs, 2000),
      lazyConnect: true,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      throw new Error(`Redis is not reachable at REDIS_URL (${(e as Error).message})`);
    }
    const store = redisQuotaStore(client, { prefix: quotaKeyPrefix(config.indexPrefix), timeoutMs: Math.max(config.quotaStoreTimeoutMs, 2000) });
    service = new QuotaService({ store, settings: quotaSettings(config) });
    return service;
  };

  const program = new Command('quota')
    .description('Daily quotas of the gateway: usage, top consumers, per-identity limits')
    .option('--json', 'print JSON (the admin API objects)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);
  const print = (obj: unknown, text: string) => io.out(`${json() ? JSON.stringify(obj, null, 2) : text}\n`);

  program
    .command('usage')
    .description("an identity's calls today, its limit and what is left")
    .argument('<identity>', 'user:<id> or ip:<address>', identityArg)
    .action(async (identity: string) => {
      const u = await (await connect()).usage(identity);
      print(u, `${u.identity}  ${u.day}  used ${u.used} of ${u.limit}  remaining ${u.remaining}  resets ${u.reset_time}${u.override === null ? '' : '  (override)'}`);
    });

  program
    .command('top')
    .description('the identities with the most calls')
    .option('--n <n>', 'how many', intArg(1, 1000), 10)
    .option('--day <day>', 'YYYY-MM-DD (today or yesterday; default today)', dayArg)
    .action(async (opts: { n: number; day?: string }) => {
      const t = await (await connect()).top(opts.n, opts.day);
      const lines = t.top.map((e, i) => `${String(i + 1).padStart(4)}  ${String(e.calls).padStart(10)}  ${e.identity}`);
      print(t, [`top consumers on ${t.day}`, ...(lines.length ? lines : ['  (no calls)'])].join('\n'));
    });

  program
    .command('set-limit')
    .description("set an identity's daily limit (every gateway sees it within QUOTA_OVERRIDES_REFRESH_MS)")
    .argument('<identity>', 'user:<id> or ip:<address>', identityArg)
    .argument('<limit>', 'calls a day', intArg(0, MAX_LIMIT))
    .action(async (identity: string, limit: number) => {
      await (await connect()).setOverride(identity, limit);
      print({ identity, limit }, `${identity}: ${limit} calls a day`);
    });

  program
    .command('clear-limit')
    .description('remove an identity\'s own limit (back to the default of its kind)')
    .argument('<identity>', 'user:<id> or ip:<address>', identityArg)
    .action(async (identity: string) => {
      await (await connect()).setOverride(identity, undefined);
      print({ identity, limit: null }, `${identity}: default limit`);
    });

  program
    .command('overrides')
    .description('every per-identity limit')
    .action(async () => {
      const o = await (await connect()).overrides();
      const lines = Object.entries(o).map(([id, l]) => `${String(l).padStart(10)}  ${id}`);
      print({ overrides: o }, lines.length ? lines.join('\n') : '(no overrides)');
    });

  program
    .command('domain')
    .description('the domain-wide counter of today')
    .action(async () => {
      const d = await (await connect()).domainUsage();
      print(d, `domain  ${d.day}  used ${d.used}${d.limit === null ? '  (no cap)' : ` of ${d.limit}`}`);
    });

  const cleanup = async (): Promise<void> => {
    if (client?.status === 'ready') await client.quit().catch(() => client?.disconnect());
    else if (client && client.status !== 'end') client.disconnect();
  };
  return runProgram(program, args, io, 'quota', { cleanup });
}

if (require.main === module) runAsMain(runQuotaCli, 'quota');
