/**
 * Load progress on stderr: a live line (cli-progress) with rows per second when stderr is a TTY, a plain
 * line every few seconds otherwise (CI logs), nothing when silent.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressReporter {
  start(label: string, totalRows?: number): void;
  update(rowsRead: number, rejected: number): void;
  stop(): void;
}

export const silentProgress: ProgressReporter = { start() {}, update() {}, stop() {} };

export interface ProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain mode: seconds between lines (default 5). */
  intervalSeconds?: number;
  /** Force plain or TTY mode (default: from stream.isTTY). */
  tty?: boolean;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  let label = '';
  let started = 0;
  let rows = 0;
  let rejected = 0;
  let lastShown = 0;
  let total: number | undefined;
  const rate = (): number => rows / Math.max((Date.now() - started) / 1000, 0.001);

  if (tty) {
    const bar = new SingleBar({
      stream,
      format: (_options, params, payload: { label: string; rate: string; rejected: string; total: string }) =>
        `${payload.label} ${fmt(params.value)}${payload.total} rows read | ${payload.rate} rows/s | ${payload.rejected} rejected`,
      fps: 5,
      hideCursor: null,
      clearOnComplete: false,
    });
    return {
      start(l, totalRows) {
        label = l;
        total = totalRows;
        started = Date.now();
        bar.start(totalRows ?? 0, 0, { label, rate: '0', rejected: '0', total: total ? ` / ${fmt(total)}` : '' });
      },
      update(r, rej) {
        rows = r;
        rejected = rej;
        if (r - lastShown >= 1000 || r < 1000) {
          lastShown = r;
          bar.update(r, { label, rate: fmt(rate()), rejected: fmt(rejected), total: total ? ` / ${fmt(total)}` : '' });
        }
      },
      stop() {
        bar.update(rows, { label, rate: fmt(rate()), rejected: fmt(rejected), total: total ? ` / ${fmt(total)}` : '' });
        bar.stop();
      },
    };
  }

  const every = (options.intervalSeconds ?? 5) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const line = (): void => {
    stream.write(`[${label}] ${fmt(rows)}${total ? ` / ${fmt(total)}` : ''} rows read, ${fmt(rate())} rows/s, ${fmt(rejected)} rejected\n`);
  };
  return {
    start(l, totalRows) {
      label = l;
      total = totalRows;
      started = Date.now();
      timer = setInterval(line, every);
      timer.unref();
    },
    update(r, rej) {
      rows = r;
      rejected = rej;
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
