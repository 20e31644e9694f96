export { createCaretakerSubgraph, type CaretakerDeps, type CaretakerSubgraph } from './server.js';
export { seedCaretaker } from './seed.js';
export { demoEvents } from './demo.js';
export { LABELS } from './labels.js';
export {
  LocalFolderArchiveStore,
  PrefixedArchiveStore,
  archiveStoreFromEnv,
  type ArchiveStore,
} from './archive/store.js';
export { S3ArchiveStore } from './archive/s3.js';
export type { PodSource, EventSink } from './source/source.js';
export { KubernetesPodSource } from './source/kubernetes.js';
export { BatchingSink } from './source/batching-sink.js';
export { podEvent, nodeEvent } from './k8s.js';
export type { ClusterEvent } from './model.js';
