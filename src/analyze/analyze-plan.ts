/**
 * An analyze request, read and checked once (every error names its parameter, before any backend
 * call): x dimensions, series, sort, maxpoints and post-aggregations, plus what the execution needs
 * to know (whether buckets fold, whether the composite order already is the requested order).
 */
import { badParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import type { CompilePolicy } from './expression';
import type { ParamSource } from '../search/search-request';
import { nativeOrder, readSortKeys, type SortKey } from './analyze-sort';
import { type PostAggregation, readPostAggregations } from './post-aggregations';
import { readSeries, type SerieSpec } from './series';
import { type Dimension, readDimensions } from './x-dimensions';

export interface AnalyzePlan {
  dimensions: Dimension[];
  series: SerieSpec[];
  sort: SortKey[];
  /** 0: no limit. */
  maxpoints: number;
  postAggregations: PostAggregation[];
  /** True when several histogram buckets may land on one x (periodic, date parts, output_timezone). */
  folds: boolean;
  /** Set when the composite order is the requested order: the first maxpoints buckets are the answer. */
  native?: 'asc' | 'desc';
}

export interface PlanOptions {
  timezone: string;
  outputTimezone: string;
  /** Whether an expression may be compiled (readSeries); default: always. */
  mayCompile?: CompilePolicy;
}

export function planAnalyze(params: ParamSource, schema: QuerySchema, options: PlanOptions): AnalyzePlan {
  const dimensions = readDimensions(params, schema, options);
  const series = readSeries(params, schema, options.mayCompile);
  const sort = readSortKeys(params.getAll('sort'), dimensions, series);
  const maxpoints = params.int('maxpoints', 0, 0, 1_000_000_000);
  const postAggregations = readPostAggregations(params, series);
  const folds = dimensions.some((d) => d.kind === 'date' && !d.chain);
  const quantiles = series.find((s) => s.func === 'QUANTILES');
  if (folds && quantiles) {
    throw badParameter(
      `y.${quantiles.name}.func`,
      'QUANTILES cannot be computed when periodic, date parts or output_timezone merge several date buckets into one x (percentiles do not merge); use an x that is a plain date precision',
    );
  }
  const plan: AnalyzePlan = { dimensions, series, sort, maxpoints, postAggregations, folds };
  const order = folds ? undefined : nativeOrder(sort, dimensions);
  // Cumulative sums run in ascending x: with a descending order every bucket is needed anyway.
  if (order === 'asc' || (order === 'desc' && !series.some((s) => s.cumulative))) plan.native = order;
  return plan;
}
