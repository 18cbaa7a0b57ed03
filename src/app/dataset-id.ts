/**
 * Dataset ids as clients send them. `id@domain` names a dataset shared from another domain
 * (docs/v1-api.md, General behaviour); this gateway serves one domain, so the `@domain` part is accepted and ignored
 * (README, compatibility notes). The rest is validated before any backend call.
 */
import { checkDatasetId } from '../datasets/index-names';

export function datasetIdParam(raw: string, parameter = 'dataset'): string {
  const at = raw.indexOf('@');
  const id = at > 0 && /^[A-Za-z0-9_.-]{1,100}$/.test(raw.slice(at + 1)) ? raw.slice(0, at) : raw;
  return checkDatasetId(id, parameter);
}
