/**
 * What every command of src/cli shares: its I/O (injectable, so tests run a CLI as a function), the
 * exit codes (0 done, 1 failure, 2 bad usage or configuration) and running as the process.
 */
import { type Command, CommanderError } from 'commander';
import { ConfigError } from '../config';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** A mistake of the caller (exit code 2), as opposed to a failure (exit code 1). */
export class UsageError extends Error {}

export interface RunProgramOptions {
  /** More error classes that mean bad usage (exit code 2). */
  usageErrors?: (new (...args: never[]) => Error)[];
  /** Error classes whose message is for the user as it is (exit code 1, no command-name prefix). */
  plainFailures?: (new (...args: never[]) => Error)[];
  /** Runs after the command, whatever happened (close clients). */
  cleanup?: () => Promise<void> | void;
}

/** Parses and runs a commander program, turning what it throws into a message and an exit code. */
export async function runProgram(program: Command, args: string[], io: CliIo, name: string, options: RunProgramOptions = {}): Promise<number> {
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const usage = [ConfigError, UsageError, ...(options.usageErrors ?? [])];
    if (usage.some((cls) => e instanceof cls)) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    if ((options.plainFailures ?? []).some((cls) => e instanceof cls)) {
      io.err(`${(e as Error).message}\n`);
      return 1;
    }
    io.err(`${name}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await options.cleanup?.();
  }
}

/** Runs a CLI function as the process (bin entry points). */
export function runAsMain(run: (args: string[], io: CliIo) => Promise<number>, name: string): void {
  run(process.argv.slice(2), {
    env: process.env,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${name}: ${String(e)}\n`);
      process.exit(1);
    },
  );
}
