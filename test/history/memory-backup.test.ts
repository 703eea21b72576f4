import { memoryStore } from '../../adapters/memory/index.js';
import { describeBackupConformance } from '../../testing/index.js';

describeBackupConformance({
  name: 'memory',
  setup: async () => memoryStore(),
  teardown: async () => {},
});
