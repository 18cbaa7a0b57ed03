#!/usr/bin/env node
/**
 * `files`: the content-addressed file store (FILE_STORE_DIR, or the bucket FILE_STORE_S3_*) from the command line.
 *
 *   node dist/src/cli/files.js add <dataset> <path> [--name n]   a named file of a dataset: odsfile://<name>
 *                                                                 (for attachments and alternative_exports)
 *   node dist/src/cli/files.js put <path> [--mimetype t]          store a file, print its v1 file object
 *   node dist/src/cli/files.js info <file_id>                     what the store knows of a file
 *
 * (`ingest --attach path[:title]` adds an attachment in one step.) Exit codes: 0, 1 failure, 2 usage.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runAsMain, runProgram, UsageError, type CliIo } from './cli-runner';
import { loadConfig } from '../config';
import { isValidDatasetId } from '../datasets/index-names';
import { ODSFILE_SCHEME, attachmentIdOf, storeNameOf } from '../files/attachments';
import { isFileId } from '../files/content-address';
import { buildFileObject } from '../files/file-object';
import { createFileStore } from '../files/create-file-store';
import { NAMED_FILE_PATTERN } from '../files/file-store';
import { mimetypeOfName, normalizeMimetype } from '../files/mime-types';

export type { CliIo };


function datasetArg(raw: string): string {
  if (!isValidDatasetId(raw)) throw new InvalidArgumentError('expected a dataset id (lower-case letters, digits, _ and -)');
  return raw;
}

function mimetypeArg(raw: string): string {
  const m = normalizeMimetype(raw);
  if (!m) throw new InvalidArgumentError('expected a MIME type such as image/png');
  return m;
}

async function readLocal(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function runFilesCli(args: string[], io: CliIo): Promise<number> {
  const store = () => createFileStore(loadConfig(io.env));
  const program = new Command('files')
    .description('The file store of the gateway (FILE_STORE_DIR or FILE_STORE_S3_BUCKET)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const print = (obj: unknown) => io.out(`${JSON.stringify(obj, null, 2)}\n`);

  program
    .command('add')
    .description('store a file as odsfile://<name> of a dataset (list it in the descriptor\'s attachments or alternative_exports)')
    .argument('<dataset>', 'dataset id', datasetArg)
    .argument('<path>', 'the file')
    .option('--name <name>', 'the odsfile name (default: the file name)')
    .option('--mimetype <type>', 'MIME type (default: from the extension)', mimetypeArg)
    .action(async (dataset: string, path: string, opts: { name?: string; mimetype?: string }) => {
      const name = opts.name ?? storeNameOf(path);
      if (!NAMED_FILE_PATTERN.test(name)) throw new UsageError(`invalid name "${name}": letters, digits, _, - and . (at most 150)`);
      const mimetype = opts.mimetype ?? mimetypeOfName(name);
      const named = await (await store()).putNamed(dataset, name, await readLocal(path), { filename: basename(path), mimetype });
      print({ id: attachmentIdOf(name), url: `${ODSFILE_SCHEME}${name}`, mimetype, file_id: named.id, title: basename(path) });
    });

  program
    .command('put')
    .description('store a file and print its v1 file object')
    .argument('<path>', 'the file')
    .option('--mimetype <type>', 'MIME type (default: from the extension)', mimetypeArg)
    .action(async (path: string, opts: { mimetype?: string }) => {
      const info = { filename: basename(path), mimetype: opts.mimetype ?? mimetypeOfName(path) };
      const stored = await (await store()).put(await readLocal(path), info);
      print(buildFileObject({ ...info, id: stored.id, image: stored.image }));
    });

  program
    .command('info')
    .description('what the store knows of a file')
    .argument('<file_id>', 'the sha256 of the file (the id of its v1 file object)')
    .action(async (id: string) => {
      if (!isFileId(id)) throw new UsageError('a file id is 64 lower-case hex characters');
      const s = await store();
      const stored = await s.stat(id);
      if (!stored) throw new UsageError(`the store at ${s.location} has no file ${id}`);
      print({ ...stored, location: s.locationOf(id) });
    });

  return runProgram(program, args, io, 'files');
}

if (require.main === module) runAsMain(runFilesCli, 'files');
