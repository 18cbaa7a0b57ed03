/**
 * External versions of pushed writes: microseconds since the epoch, strictly increasing within a
 * process. OpenSearch applies a write only when its version is higher than the stored one, so a
 * replayed backup line (same version) or an older one arriving late is ignored (409) instead of
 * overwriting a newer push. Across gateway replicas the order is the clocks' order (keep them in
 * NTP sync). 1.7e15 is far below both 2^53 (exact in JS) and 2^63 (OpenSearch's limit).
 */
export type VersionClock = () => number;

export function versionClock(nowMs: () => number = Date.now): VersionClock {
  let last = 0;
  return () => {
    const v = Math.max(Math.floor(nowMs() * 1000), last + 1);
    last = v;
    return v;
  };
}
