import { memoryPushKeyStore, PUSH_KEY_PATTERN, pushKeys, PushKeyInputError } from '../../../src/push/push-keys';

describe('push keys', () => {
  it('are shown once, stored hashed, and valid for their dataset resource only', async () => {
    const store = memoryPushKeyStore();
    const keys = pushKeys(store, () => new Date('2026-01-01T00:00:00Z'));
    const { key, record } = await keys.create({ dataset: 'sensors', resource: 'live', label: 'station feed' });
    expect(key).toMatch(PUSH_KEY_PATTERN);
    const stored = await store.listKeys();
    expect(stored).toEqual([{ keyId: record.keyId, keyHash: record.keyHash, dataset: 'sensors', resource: 'live', label: 'station feed', createdAt: '2026-01-01T00:00:00.000Z' }]);
    expect(JSON.stringify(stored)).not.toContain(key.slice(3));
    expect(await keys.verify(key, 'sensors', 'live')).toEqual(record);
    expect(await keys.verify(key, 'sensors', 'other')).toBeUndefined();
    expect(await keys.verify(key, 'other', 'live')).toBeUndefined();
    expect(await keys.verify(`${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`, 'sensors', 'live')).toBeUndefined();
    expect(await keys.verify('not a key', 'sensors', 'live')).toBeUndefined();
    expect(await keys.revoke(record.keyId)).toBe(true);
    expect(await keys.verify(key, 'sensors', 'live')).toBeUndefined();
    expect(await keys.revoke(record.keyId)).toBe(false);
  });

  it('refuse invalid dataset and resource ids', async () => {
    const keys = pushKeys(memoryPushKeyStore());
    await expect(keys.create({ dataset: 'Bad Id', resource: 'r' })).rejects.toBeInstanceOf(PushKeyInputError);
    await expect(keys.create({ dataset: 'ok', resource: '../x' })).rejects.toBeInstanceOf(PushKeyInputError);
  });

  it('leave push enabled by default; a dataset can be disabled and enabled again', async () => {
    const keys = pushKeys(memoryPushKeyStore());
    expect(await keys.enabled('sensors')).toBe(true);
    await keys.setEnabled('sensors', false);
    expect(await keys.enabled('sensors')).toBe(false);
    await keys.setEnabled('sensors', true);
    expect(await keys.enabled('sensors')).toBe(true);
  });
});
