import { memoryStore } from '../../adapters/memory/index.js';
import { describeBackupConformance } from './backup-conformance.js';

describeBackupConformance({
  name: 'memory',
  setup: async () => memoryStore(),
  teardown: async () => {},
});
