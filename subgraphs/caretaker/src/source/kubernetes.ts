import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '@dataos/subgraph-kit';
import { nodeEvent, podEvent } from '../k8s.js';
import { podKey, type ClusterEvent, type WatchEventType } from '../model.js';
import type { EventSink, PodSource } from './source.js';

/**
 * The part of `@kubernetes/client-node` (1.x/2.x) used here, typed loosely: the package is
 * loaded with a dynamic `import()` only when a kubeconfig is configured.
 */
interface KubeObject {
  metadata?: { name?: string; namespace?: string };
}
interface Informer {
  on(verb: 'add' | 'update' | 'delete', cb: (obj: KubeObject) => void): void;
  on(verb: 'error' | 'connect', cb: (err?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
interface KubeConfig {
  loadFromDefault(): void;
  loadFromFile(file: string): void;
  loadFromCluster(): void;
  makeApiClient<T>(api: new (...args: never[]) => T): T;
}
interface CoreV1Api {
  listPodForAllNamespaces(param?: Record<string, unknown>): Promise<unknown>;
  listNode(param?: Record<string, unknown>): Promise<unknown>;
}
interface K8sModule {
  KubeConfig: new () => KubeConfig;
  CoreV1Api: new (...args: never[]) => CoreV1Api;
  makeInformer(kc: KubeConfig, path: string, list: () => Promise<unknown>, labelSelector?: string): Informer;
}

const PACKAGE = '@kubernetes/client-node';

/**
 * The installed version of the client, or null when it is not installed. 2.x depends on undici 8,
 * which needs Node 22.19+ and throws while loading on Node 20 (an uncaught error, not a rejected
 * import): on Node 20, use the 1.x line (`^1.4.0`, same API).
 */
export function kubernetesClientVersion(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve(PACKAGE);
    for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === PACKAGE) return pkg.version ?? null;
      } catch {
        // no package.json here: go up
      }
    }
  } catch {
    return null;
  }
  return null;
}

export function kubernetesClientUsable(version = kubernetesClientVersion(), node = process.versions.node): boolean {
  if (!version) return false;
  const major = (v: string) => Number(v.split('.')[0]);
  return major(version) < 2 || major(node) >= 23 || (major(node) === 22 && Number(node.split('.')[1]) >= 19);
}

export interface KubernetesSourceOptions {
  /** A kubeconfig file (KUBECONFIG); omitted: in-cluster service account. */
  kubeconfig?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Pause before restarting a failed watch (default 5 s; a 410 Gone relists on restart). */
  restartDelayMs?: number;
}

/**
 * Pod and node informers: list, then watch from the listed resourceVersion; the informer relists
 * on 410 Gone. Every delivered object becomes an event; after each start, objects no longer
 * listed are tombstoned (deletions missed while Caretaker was down).
 */
export class KubernetesPodSource implements PodSource {
  readonly description: string;
  private informers: Informer[] = [];
  private stopped = false;

  constructor(private readonly options: KubernetesSourceOptions) {
    this.description = `kubernetes (${options.kubeconfig ?? 'in-cluster'})`;
  }

  async start(sink: EventSink): Promise<void> {
    const version = kubernetesClientVersion();
    if (!version) throw new Error(`a kubeconfig is configured but ${PACKAGE} is not installed`);
    if (!kubernetesClientUsable(version)) {
      throw new Error(
        `${PACKAGE}@${version} needs Node 22.19+ (undici 8); on Node ${process.versions.node} install ${PACKAGE}@^1.4.0`,
      );
    }
    let k8s: K8sModule;
    try {
      k8s = (await import(PACKAGE)) as K8sModule;
    } catch (error) {
      throw new Error(`a kubeconfig is configured but ${PACKAGE} is not installed: ${(error as Error).message}`);
    }
    const kc = new k8s.KubeConfig();
    if (this.options.kubeconfig) kc.loadFromFile(this.options.kubeconfig);
    else kc.loadFromCluster();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const watch = async (
      kind: 'Pod' | 'Node',
      path: string,
      list: () => Promise<unknown>,
      toEvent: (type: WatchEventType, obj: unknown) => ClusterEvent | null,
      keyOf: (obj: KubeObject) => string,
    ) => {
      // Every successful full listing (the first, and relists after 410 Gone or a restart)
      // tells what exists: the rest was deleted unseen. A failed listing tells nothing (the
      // informer's start() resolves even then), so this hooks the list itself.
      const listed = async () => {
        const result = (await list()) as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
        const rv = Number(result.metadata?.resourceVersion);
        if (Number.isSafeInteger(rv) && rv > 0) {
          const present = new Set((result.items ?? []).map(keyOf));
          // After the informer delivered the listed items to the sink (same tick, right after this returns).
          setImmediate(() => {
            sink
              .relisted(kind, present, rv)
              .catch((err: unknown) => this.options.logger.warn({ err, path }, 'relist tombstones failed'));
          });
        }
        return result;
      };
      const informer = k8s.makeInformer(kc, path, listed);
      const deliver = (type: WatchEventType) => (obj: KubeObject) => {
        const event = toEvent(type, obj);
        if (event) sink.push([event]);
      };
      informer.on('add', deliver('ADDED'));
      informer.on('update', deliver('MODIFIED'));
      informer.on('delete', deliver('DELETED'));
      // The informer relists by itself on 410 Gone; on other errors it stops: restart it.
      informer.on('error', (err) => {
        if (this.stopped) return;
        this.options.logger.warn({ err, path }, 'kubernetes list/watch failed; restarting');
        setTimeout(() => {
          if (this.stopped) return;
          informer
            .start()
            .catch((e: unknown) => this.options.logger.error({ err: e, path }, 'kubernetes watch restart failed'));
        }, this.options.restartDelayMs ?? 5000);
      });
      this.informers.push(informer);
      await informer.start();
    };
    await watch(
      'Node',
      '/api/v1/nodes',
      () => core.listNode(),
      nodeEvent,
      (o) => o.metadata?.name ?? '',
    );
    await watch(
      'Pod',
      '/api/v1/pods',
      () => core.listPodForAllNamespaces(),
      podEvent,
      (o) => podKey(o.metadata?.namespace ?? '', o.metadata?.name ?? ''),
    );
    this.options.logger.info({ source: this.description }, 'kubernetes informers started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
