/**
 * A script OpenSearch could not compile or run is an analyze expression the gateway accepted but the
 * backend did not: bad input, answered 400 naming the serie's `y.<serie>.expr` (never a 500 with the
 * backend's exception name). The serie is the one whose script OpenSearch names, else the first
 * serie that sent a script.
 */
import type { SerieSpec } from '../../analyze/series';
import { GatewayError } from '../../errors';
import { failedScriptOf } from '../../opensearch/client';

export function rethrowScriptFailure(e: unknown, series: readonly SerieSpec[]): never {
  const failed = failedScriptOf(e);
  if (failed === undefined) throw e;
  const scripted = series.filter((s) => s.value?.kind === 'script');
  const culprit = scripted.find((s) => s.value?.kind === 'script' && s.value.script.source === failed.source) ?? scripted[0];
  if (culprit === undefined) throw e;
  const parameter = `y.${culprit.name}.expr`;
  throw new GatewayError('bad_parameter', `Invalid value for parameter "${parameter}": the search backend cannot evaluate this expression`, {
    extra: { parameter },
    cause: e,
  });
}
