#!/usr/bin/env node
/**
 * `ingest`: loads a data file into OpenSearch as a dataset, or loads the sample datasets.
 *
 *   ingest data.csv --dataset my-data [--descriptor mappings/my-data.json] [--rejects rejects.ndjson]
 *   ingest --sample movies          ingest --all-samples
 *
 * Exit codes: 0 loaded; 1 rows rejected (the dataset is then not published unless --accept-rejects) or
 * the load failed (OpenSearch unreachable, bulk failures...); 2 usage (bad arguments, missing file,
 * invalid descriptor, invalid configuration).
 * `runIngestCli(argv, io)` is the whole command as a function, for tests and the demo.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig, ConfigError, type Config } from '../config';
import { reloadGenerationBumper } from '../cache/generations';
import { indexNames, isValidDatasetId } from '../datasets/index-names';
import { createOpenSearchClient, type Client } from '../opensearch/client';
import { errors } from '@opensearch-project/opensearch';
import { formatSummary, loadDataset, rejectsMessage, type LoadResult } from '../ingest/load';
import { createProgress, silentProgress, type ProgressReporter } from '../ingest/progress';
import { checkSourceFile, isSourceFormat } from '../ingest/readers';
import { listSamples, loadSample, readDescriptorFile } from '../ingest/samples';
import { sourceFingerprint } from '../ingest/fingerprint';
import { SOURCE_FORMATS, type SourceFormat, type SourceSpec } from '../ingest/types';
import { LoadOptionError, pushAndFilesLoadOptions } from '../push/load-options';
import { UsageError } from './cli-runner';
import { openSearchPushLog } from '../push/push-log';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;


interface Options {
  dataset?: string;
  descriptor?: string;
  format?: SourceFormat;
  separator?: string;
  rejects?: string;
  acceptRejects?: boolean;
  writeDescriptor?: string;
  replicas?: number;
  keepPrevious?: boolean;
  sample?: string;
  allSamples?: boolean;
  mappings?: string;
  dryRun?: boolean;
  inferRows?: number;
  skipUnchanged?: boolean;
  progress: boolean;
  /** Push and multimedia: --attach path[:title] (repeatable), --files-dir dir. */
  attach?: string[];
  filesDir?: string;
}

const intOption = (min: number, max: number) => (raw: string): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new InvalidArgumentError(`expected an integer between ${min} and ${max}`);
  return Number(raw);
};

function separatorOption(raw: string): string {
  if (raw === '\\t' || raw.toLowerCase() === 'tab') return '\t';
  if (raw.length !== 1) throw new InvalidArgumentError('expected one character (e.g. ";", "|", "\\t" or "tab")');
  return raw;
}

function buildProgram(io: CliIo, run: (file: string | undefined, o: Options) => Promise<void>): Command {
  const program = new Command('ingest');
  program
    .description('Load a data file (CSV, JSON, NDJSON, GeoJSON, Parquet) into OpenSearch as an ODS v1 dataset, or load the sample datasets.')
    .argument('[file]', 'the data file to load')
    .option('-d, --dataset <id>', 'dataset id (lower-case letters, digits, _ and -)')
    .option('--descriptor <path>', 'dataset descriptor (JSON); inferred from the first rows when absent')
    .addOption(new Option('--format <format>', 'source format (default: from the extension)').choices([...SOURCE_FORMATS]))
    .option('--separator <char>', 'CSV separator (default: detected among , ; tab |)', separatorOption)
    .option('--rejects <path>', 'where to write rejected rows (NDJSON {line, reason, row}); default .local/rejects/<dataset>.<time>.ndjson')
    .option('--accept-rejects', 'publish the dataset even when rows are rejected (exit 0)')
    .option('--write-descriptor <path>', 'write the descriptor used (inferred or given) to this file')
    .option(
      '--replicas <n>',
      'replicas of the dataset index and the catalog (default: one as soon as the cluster has two data nodes, none on a single node: auto_expand_replicas 0-1)',
      intOption(0, 10),
    )
    .option('--keep-previous', 'keep the previous version of the dataset index (default: delete older versions)')
    .option('--sample <name>', 'load one sample dataset from its descriptor in the mappings directory')
    .option('--all-samples', 'load every sample dataset of the mappings directory')
    .option('--mappings <dir>', 'directory of the sample descriptors (default: <project>/mappings)')
    .option('--skip-unchanged', 'with --sample/--all-samples: skip a dataset already loaded from the same descriptor and file')
    .option('--dry-run', 'read and check every row, write the rejects, load nothing (no OpenSearch needed)')
    .option('--infer-rows <n>', 'rows sampled to infer a descriptor', intOption(1, 1_000_000))
    .option('--no-progress', 'no progress output on stderr')
    .option('--attach <path[:title]>', 'store a file in the file store and list it in the attachments (url odsfile://<name>); repeatable', (v: string, all: string[] = []) => [...all, v])
    .option('--files-dir <dir>', 'folder of the files of file fields: a file column holds a name relative to it')
    .addHelpText(
      'after',
      '\nEnvironment: OPENSEARCH_URL (default http://127.0.0.1:9200), INDEX_PREFIX (default ods), OPENSEARCH_USERNAME/PASSWORD...\n' +
        'Exit codes: 0 ok, 1 rows rejected or load failed, 2 usage error.\n',
    )
    .showHelpAfterError('(run ingest --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .action(async (file: string | undefined, o: Options) => {
      await run(file, o);
    });
  return program;
}

function describeLoadError(e: unknown, config: Config | undefined): string {
  if (e instanceof errors.ConnectionError || e instanceof errors.NoLivingConnectionsError) {
    return `OpenSearch is unreachable at ${config?.opensearchUrl ?? '?'} (${e.message}). Start it with npm run opensearch:start, or set OPENSEARCH_URL.`;
  }
  if (e instanceof errors.TimeoutError) return `OpenSearch at ${config?.opensearchUrl ?? '?'} did not answer in time (${e.message})`;
  if (e instanceof errors.ResponseError) {
    const body = e.meta.body as { error?: { type?: string; reason?: string; root_cause?: { reason?: string }[] } } | undefined;
    return `OpenSearch answered ${e.statusCode ?? '?'}: ${body?.error?.type ?? ''} ${body?.error?.root_cause?.[0]?.reason ?? body?.error?.reason ?? e.message}`.trim();
  }
  return (e as Error).message ?? String(e);
}

/** Fails fast, with the URL, when nothing answers. */
export async function checkOpenSearch(client: Client, url: string): Promise<void> {
  try {
    await client.info({}, { requestTimeout: 5000 });
  } catch (e) {
    if (e instanceof errors.ResponseError && e.statusCode === 401) throw new Error(`OpenSearch at ${url} refused the credentials (set OPENSEARCH_USERNAME / OPENSEARCH_PASSWORD)`);
    if (e instanceof errors.ResponseError) return; // it answers; let the load report precisely
    throw new Error(`OpenSearch is unreachable at ${url}. Start it with npm run opensearch:start, or set OPENSEARCH_URL.`);
  }
}

/** Runs the command; never calls process.exit. Returns the exit code. */
export async function runIngestCli(argv: readonly string[], ioIn: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { stdout: ioIn.stdout ?? process.stdout, stderr: ioIn.stderr ?? process.stderr, env: ioIn.env ?? process.env };
  const say = (s: string): void => void io.stderr.write(`${s}\n`);
  let config: Config | undefined;
  let client: Client | undefined;
  let closeCacheGen = (): Promise<void> => Promise.resolve();

  const run = async (file: string | undefined, o: Options): Promise<number> => {
    const modes = [file !== undefined, o.sample !== undefined, o.allSamples === true].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give a file to load, or --sample <name>, or --all-samples (one of them)');
    if (file !== undefined && !o.dataset) throw new UsageError('--dataset <id> is required with a file');
    if (o.dataset !== undefined && !isValidDatasetId(o.dataset)) throw new UsageError(`invalid dataset id "${o.dataset}": lower-case letters, digits, _ and - (at most 100)`);
    if (o.format !== undefined && !isSourceFormat(o.format)) throw new UsageError(`unknown format ${o.format}`);
    try {
      config = loadConfig(io.env);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
    const names = indexNames(config.indexPrefix);
    // A reload starts a new generation of the dataset in the gateways' response caches (REDIS_URL).
    const cacheGen = reloadGenerationBumper(config.redisUrl, config.indexPrefix, say);
    closeCacheGen = cacheGen.close;
    const onSwapped = cacheGen.onSwapped ? { onSwapped: cacheGen.onSwapped } : {};
    const progress: ProgressReporter = o.progress ? createProgress({ stream: io.stderr }) : silentProgress;

    if (file !== undefined) {
      const datasetId = o.dataset as string;
      try {
        await checkSourceFile(file);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      let descriptor;
      if (o.descriptor) {
        try {
          descriptor = await readDescriptorFile(o.descriptor);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      const source: SourceSpec = { path: file };
      if (o.format) source.format = o.format;
      if (o.separator) source.separator = o.separator;
      if (!o.dryRun) {
        client = createOpenSearchClient({ ...config, opensearchRequestTimeoutMs: Math.max(config.opensearchRequestTimeoutMs, 120_000) }, { maxRetries: 3 });
        await checkOpenSearch(client, config.opensearchUrl);
      }
      // Attachments, file fields from a folder, and the push log replayed around the swap.
      let extras;
      try {
        extras = await pushAndFilesLoadOptions(
          config,
          datasetId,
          { ...(o.attach ? { attach: o.attach } : {}), ...(o.filesDir ? { filesDir: o.filesDir } : {}), dryRun: o.dryRun === true },
          say,
          client ? openSearchPushLog(client, names) : undefined,
        );
      } catch (e) {
        if (e instanceof LoadOptionError) throw new UsageError(e.message);
        throw e;
      }
      const result = await loadDataset({
        ...extras,
        ...onSwapped,
        ...(client ? { client } : {}),
        names,
        datasetId,
        source,
        ...(descriptor ? { descriptor, fingerprint: await sourceFingerprint(descriptor, file) } : {}),
        ...(o.writeDescriptor ? { writeDescriptorPath: o.writeDescriptor } : {}),
        ...(o.rejects ? { rejectsPath: o.rejects } : {}),
        ...(o.inferRows ? { inferSampleSize: o.inferRows } : {}),
        ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
        keepPrevious: o.keepPrevious === true,
        dryRun: o.dryRun === true,
        acceptRejects: o.acceptRejects === true,
        progress,
        log: say,
      });
      io.stdout.write(`${formatSummary(result)}\n`);
      if (result.abandoned === 'rejects') {
        say(`error: ${rejectsMessage(result)}`);
        return EXIT_FAILURE;
      }
      return result.rowsRejected > 0 && !o.acceptRejects ? EXIT_FAILURE : EXIT_OK;
    }

    // samples
    if (o.dryRun) throw new UsageError('--dry-run applies to a file, not to samples');
    if (o.attach || o.filesDir) throw new UsageError('--attach and --files-dir apply to a file, not to samples');
    client = createOpenSearchClient({ ...config, opensearchRequestTimeoutMs: Math.max(config.opensearchRequestTimeoutMs, 120_000) }, { maxRetries: 3 });
    await checkOpenSearch(client, config.opensearchUrl);
    const ids = o.allSamples ? await listSamples(o.mappings) : [o.sample as string];
    let code = EXIT_OK;
    for (const id of ids) {
      try {
        const outcome = await loadSample(id, {
          client,
          names,
          ...(o.mappings ? { mappingsDir: o.mappings } : {}),
          skipUnchanged: o.skipUnchanged === true,
          ...onSwapped,
          ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
          keepPrevious: o.keepPrevious === true,
          ...(o.rejects && !o.allSamples ? { rejectsPath: o.rejects } : {}),
          progress,
          log: say,
        });
        if (outcome.skipped) io.stdout.write(`${outcome.datasetId}: unchanged, ${outcome.records.toLocaleString('en-US')} records already loaded (skipped)\n`);
        else {
          io.stdout.write(`${formatSummary(outcome.result)}\n`);
          if (outcome.result.rowsRejected > 0 && !o.acceptRejects) code = EXIT_FAILURE;
        }
      } catch (e) {
        say(`error: ${id}: ${describeLoadError(e, config)}`);
        code = EXIT_FAILURE;
      }
    }
    return code;
  };

  let exitCode = EXIT_OK;
  const program = buildProgram(io, async (file, o) => {
    exitCode = await run(file, o);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      say(`error: ${e.message}`);
      say('(run ingest --help for usage)');
      return EXIT_USAGE;
    }
    say(`error: ${describeLoadError(e, config)}`);
    return EXIT_FAILURE;
  } finally {
    await client?.close().catch(() => undefined);
    await closeCacheGen();
  }
}

export type { LoadResult };

if (require.main === module) {
  runIngestCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
