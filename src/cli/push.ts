#!/usr/bin/env node
/**
 * `push`: push keys, the per-dataset push switch, and the push log (docs/push-and-multimedia.md).
 * OPENSEARCH_URL and INDEX_PREFIX come from the environment, as for the gateway.
 *
 *   node dist/src/cli/push.js keys create <dataset> <resource> [--label text]   prints the key ONCE
 *   node dist/src/cli/push.js keys list [--dataset id]
 *   node dist/src/cli/push.js keys revoke <key_id>
 *   node dist/src/cli/push.js enable <dataset> | disable <dataset> | status <dataset>
 *   node dist/src/cli/push.js replay <dataset>              the push log → the live dataset (idempotent)
 *   node dist/src/cli/push.js log show|clear <dataset>      what the push log holds / forget it
 *   node dist/src/cli/push.js log import <dataset> <file>   an NDJSON push backup of an earlier version → the log
 *
 * `--json` prints the admin API objects. Exit codes: 0 done, 1 failure, 2 bad usage or configuration.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runAsMain, runProgram, UsageError, type CliIo } from './cli-runner';
import type { Client } from '@opensearch-project/opensearch';
import { loadConfig, type Config } from '../config';
import { parseDescriptor } from '../datasets/descriptor';
import { getCatalogDoc } from '../datasets/index-admin';
import { indexNames, isValidDatasetId } from '../datasets/index-names';
import { createOpenSearchClient } from '../opensearch/client';
import { backupSize, readBackup } from '../push/backup-reader';
import { openSearchPushLog, pushLogIndexName } from '../push/push-log';
import { openSearchPushKeyStore } from '../push/opensearch-push-key-store';
import { PushKeyInputError, pushKeys, type PushKeyRecord } from '../push/push-keys';
import { formatReplay, replayPushLog } from '../push/replay';

export type { CliIo };


function datasetArg(raw: string): string {
  if (!isValidDatasetId(raw)) throw new InvalidArgumentError('expected a dataset id (lower-case letters, digits, _ and -)');
  return raw;
}

const keyJson = (k: PushKeyRecord) => ({ key_id: k.keyId, dataset: k.dataset, resource: k.resource, ...(k.label !== undefined ? { label: k.label } : {}), created_at: k.createdAt });

/** Runs one command; resolves to the exit code (never calls process.exit: tests call it). */
export async function runPushCli(args: string[], io: CliIo): Promise<number> {
  let client: Client | undefined;
  let config: Config | undefined;
  const settings = (): Config => (config ??= loadConfig(io.env));
  const connect = (): Client => (client ??= createOpenSearchClient({ ...settings(), opensearchRequestTimeoutMs: Math.max(settings().opensearchRequestTimeoutMs, 120_000) }, { maxRetries: 2 }));
  const keys = () => pushKeys(openSearchPushKeyStore(connect(), indexNames(settings().indexPrefix)));

  const program = new Command('push')
    .description('Real-time push: keys, the per-dataset switch, the push log and its replay')
    .option('--json', 'print JSON (the admin API objects)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);
  const print = (obj: unknown, text: string) => io.out(`${json() ? JSON.stringify(obj, null, 2) : text}\n`);

  const keysCmd = program.command('keys').description('push keys (one per dataset resource; stored hashed)');
  keysCmd
    .command('create')
    .description('create a push key; it is printed once and cannot be shown again')
    .argument('<dataset>', 'dataset id', datasetArg)
    .argument('<resource>', 'resource id (the <resource> of the push URL)')
    .option('--label <text>', 'a note for whoever lists the keys')
    .action(async (dataset: string, resource: string, opts: { label?: string }) => {
      const created = await keys().create({ dataset, resource, ...(opts.label ? { label: opts.label } : {}) });
      print(
        { key: created.key, ...keyJson(created.record) },
        `${created.key}\n(key id ${created.record.keyId}; push to /api/push/1.0/${dataset}/${resource}/push/?pushkey=<key>; the key is not stored and will not be shown again)`,
      );
    });
  keysCmd
    .command('list')
    .description('list push keys (never the keys themselves)')
    .option('--dataset <id>', 'only the keys of this dataset', datasetArg)
    .action(async (opts: { dataset?: string }) => {
      const list = await keys().list(opts.dataset);
      const lines = list.map((k) => `${k.keyId}  ${k.dataset}/${k.resource}  ${k.createdAt}${k.label ? `  ${k.label}` : ''}`);
      print({ keys: list.map(keyJson) }, lines.length ? lines.join('\n') : '(no push keys)');
    });
  keysCmd
    .command('revoke')
    .description('revoke a push key (effective at once on every gateway)')
    .argument('<key_id>', 'the key id shown by create and list')
    .action(async (keyId: string) => {
      if (!(await keys().revoke(keyId))) throw new UsageError(`no push key has the id ${keyId}`);
      print({ revoked: keyId }, `push key ${keyId} revoked`);
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    program
      .command(name)
      .description(`${name} pushes to a dataset (disabled: pushes answer 403)`)
      .argument('<dataset>', 'dataset id', datasetArg)
      .action(async (dataset: string) => {
        const s = await keys().setEnabled(dataset, enabled);
        print({ dataset, push_enabled: s.enabled }, `${dataset}: push ${s.enabled ? 'enabled' : 'disabled'}`);
      });
  }
  program
    .command('status')
    .description('whether a dataset accepts pushes, and its keys')
    .argument('<dataset>', 'dataset id', datasetArg)
    .action(async (dataset: string) => {
      const k = keys();
      const enabled = await k.enabled(dataset);
      const list = await k.list(dataset);
      print({ dataset, push_enabled: enabled, keys: list.map(keyJson) }, `${dataset}: push ${enabled ? 'enabled' : 'disabled'}, ${list.length} key${list.length === 1 ? '' : 's'}`);
    });

  const pushLog = () => openSearchPushLog(connect(), indexNames(settings().indexPrefix));
  const logCmd = program.command('log').description('the push log (in OpenSearch: <prefix>-push-log), which every reload replays');
  logCmd
    .command('show')
    .description('how many records of a dataset the push log holds (the latest operation of each)')
    .argument('<dataset>', 'dataset id', datasetArg)
    .action(async (dataset: string) => {
      const c = await pushLog().counts(dataset);
      const index = pushLogIndexName(indexNames(settings().indexPrefix));
      print({ dataset, index, upserts: c.upserts, deletes: c.deletes }, `${dataset}: ${c.upserts} upserted and ${c.deletes} deleted records in ${index}`);
    });
  logCmd
    .command('clear')
    .description('forget the pushes of a dataset (after a reload from a source that holds them: later reloads no longer replay them)')
    .argument('<dataset>', 'dataset id', datasetArg)
    .action(async (dataset: string) => {
      const n = await pushLog().clear(dataset);
      print({ dataset, cleared: n }, `${dataset}: ${n} entries removed from the push log`);
    });
  logCmd
    .command('import')
    .description('add a push backup file of an earlier version (<PUSH_BACKUP_DIR>/<dataset>.ndjson) to the push log')
    .argument('<dataset>', 'dataset id', datasetArg)
    .argument('<file>', 'the NDJSON backup file')
    .action(async (dataset: string, file: string) => {
      if ((await backupSize(file)) === 0) throw new UsageError(`no push backup at ${file} (missing or empty)`);
      const log = pushLog();
      let imported = 0;
      const skipped: { line: number; reason: string }[] = [];
      for await (const batch of readBackup(file, { batchSize: 500 })) {
        skipped.push(...batch.invalid);
        const mine = batch.entries.filter(({ line, entry }) => {
          if (entry.dataset === dataset) return true;
          skipped.push({ line, reason: `entry of dataset ${entry.dataset}` });
          return false;
        });
        await log.append(dataset, mine.map((e) => e.entry));
        imported += mine.length;
      }
      print({ dataset, file, imported, skipped: skipped.length, skipped_lines: skipped.slice(0, 100) }, `${dataset}: ${imported} entries of ${file} added to the push log (the newest operation of each record is kept)${skipped.length ? `, ${skipped.length} lines skipped` : ''}`);
    });

  program
    .command('replay')
    .description('replay the push log into the live dataset (idempotent: older or already applied entries change nothing)')
    .argument('<dataset>', 'dataset id', datasetArg)
    .action(async (dataset: string) => {
      const names = indexNames(settings().indexPrefix);
      const doc = await getCatalogDoc(connect(), names, dataset);
      if (!doc) throw new UsageError(`dataset ${dataset} is not in the catalog (${names.catalogIndex}): load it first`);
      const descriptor = parseDescriptor(doc.dataset, `catalog entry of ${dataset}`);
      const r = await replayPushLog({ client: connect(), log: pushLog(), index: names.recordsAlias(dataset), descriptor });
      print({ dataset, upserts: r.upserts, deletes: r.deletes, skipped: r.skippedCount, skipped_entries: r.skipped }, `${dataset}: ${formatReplay(r)}`);
      if (r.skippedCount > 0) throw new Error(`${r.skippedCount} push log entries were not applied`);
    });

  return runProgram(program, args, io, 'push', { usageErrors: [PushKeyInputError], cleanup: () => client?.close().catch(() => undefined) });
}

if (require.main === module) runAsMain(runPushCli, 'push');
