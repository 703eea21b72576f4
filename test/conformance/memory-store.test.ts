import { memoryStore } from '../../adapters/memory/memory-store.js';
import { describeStoreConformance } from '../../testing/describe-store-conformance.js';

describeStoreConformance({
  name: 'memory',
  setup: async () => memoryStore(),
  teardown: async () => {},
}, { hostileInputRuns: 300 });
