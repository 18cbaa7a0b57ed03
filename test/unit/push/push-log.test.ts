import { memoryPushLog } from '../../helpers/memory-push-log';
import { pushLogContract } from './push-log.contract';

describe('the push log contract, in memory', () => {
  pushLogContract(async () => memoryPushLog());
});
