/**
 * Analyze expressions at the HTTP edge: the caller's compile policy, and the 400 for a script OpenSearch
 * refused.
 *
 * A script OpenSearch could not compile or run is an analyze expression the gateway accepted but the
 * backend did not: bad input, answered 400 naming the serie's `y.<serie>.expr` (never a 500 with the
 * backend's exception name). The serie is the one whose script OpenSearch names, else the first
 * serie that sent a script.
 */
import type { Request } from 'express';
import type { CompilePolicy } from '../analyze/expression';
import type { SerieSpec } from '../analyze/series';
import { principalOf, quotaIdentity } from '../auth/principal';
import { GatewayError } from '../errors';
import { failedScriptOf } from '../opensearch/client';
import type { ScriptBudget } from '../protection';

/** The compile policy of the request's caller (src/protection/script-budget.ts). */
export function compilePolicyOf(req: Request, scripts: ScriptBudget | undefined): CompilePolicy | undefined {
  return scripts?.policyFor(quotaIdentity(principalOf(req)));
}

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
