/**
 * Writes through the gateway bump the dataset's generation once they are done (src/cache/generations.ts),
 * before they are acknowledged: the next request, on any replica, reads the new generation and misses
 * every entry computed before. The bump runs whether the write succeeded or not (a failed batch may
 * have written part of its records); if the bump itself fails the write is answered with that error,
 * never acknowledged with entries of the old data still servable.
 */
import type { PushService } from '../push/push-service';
import type { Generations } from './generations';

export function bumpOnWrite(service: PushService, generations: Generations): PushService {
  const then = async <T>(datasetId: string, work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      await generations.bump(datasetId);
    }
  };
  return {
    push: (d, resource, records) => then(d.datasetid, service.push(d, resource, records)),
    deleteByValues: (d, resource, records) => then(d.datasetid, service.deleteByValues(d, resource, records)),
    deleteById: (d, resource, recordId) => then(d.datasetid, service.deleteById(d, resource, recordId)),
  };
}
