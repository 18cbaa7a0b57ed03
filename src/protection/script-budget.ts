/**
 * How many new analyze expression shapes this process lets OpenSearch compile. Each Lucene
 * expression source OpenSearch has not cached costs one compilation, and compilations are limited
 * per node (`script.max_compilations_rate`, 75 per 5 minutes by default): past it every new script
 * of anyone on the cluster fails for the rest of the window. Constants already travel as params, so
 * a source is a shape (structure and fields); a caller can still invent shapes without end.
 *
 * So each caller (a user, or an anonymous IP) may introduce `perIdentity` new shapes per window and
 * the whole process `overall`; a shape seen recently (one of the last `knownShapes`, about what the
 * node keeps cached) is free. Past a budget the expression is not refused: it runs through the
 * interpreter, one painless script compiled once per node (src/analyze/expression/interpret-expression.ts).
 *
 * Windows are fixed, so up to twice `overall` may be compiled around a window's end: keep
 * 2 × ANALYZE_COMPILATIONS_PER_5M × replicas under the nodes' rate (docs/security.md).
 */
import type { CompilePolicy } from '../analyze/expression';

export interface ScriptBudgetOptions {
  /** New shapes per window for the whole process. */
  overall: number;
  /** New shapes per window for one caller. */
  perIdentity: number;
  windowMs: number;
  /** Shapes remembered as compiled (OpenSearch's script cache holds 100 by default). */
  knownShapes?: number;
  clock?: () => number;
}

export interface ScriptBudget {
  /** The compile policy of one caller's request. */
  policyFor(identity: string): CompilePolicy;
}

export const DEFAULT_KNOWN_SHAPES = 100;

export function scriptBudget(options: ScriptBudgetOptions): ScriptBudget {
  const clock = options.clock ?? Date.now;
  const knownMax = options.knownShapes ?? DEFAULT_KNOWN_SHAPES;
  const known = new Map<string, true>(); // insertion order = least recently used first
  let windowStart = clock();
  let overall = 0;
  let byIdentity = new Map<string, number>();

  const rotate = () => {
    const now = clock();
    if (now - windowStart < options.windowMs) return;
    windowStart = now;
    overall = 0;
    byIdentity = new Map();
  };

  return {
    policyFor(identity) {
      return (source) => {
        if (known.has(source)) {
          known.delete(source);
          known.set(source, true);
          return true;
        }
        rotate();
        const mine = byIdentity.get(identity) ?? 0;
        if (overall >= options.overall || mine >= options.perIdentity) return false;
        overall++;
        byIdentity.set(identity, mine + 1);
        known.set(source, true);
        if (known.size > knownMax) known.delete(known.keys().next().value as string);
        return true;
      };
    },
  };
}
