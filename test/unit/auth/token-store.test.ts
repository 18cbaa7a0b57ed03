import { memoryTokenStore } from '../../../src/auth/token-store';
import { tokenStoreContract } from './token-store.contract';

describe('memoryTokenStore (the TokenStore contract)', () => {
  const clock = { now: 1_700_000_000_000 };
  tokenStoreContract(() => memoryTokenStore(() => clock.now), {
    expire: async (seconds) => {
      clock.now += seconds * 1000 + 1;
    },
  });
});
