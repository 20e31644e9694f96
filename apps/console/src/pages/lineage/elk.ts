import ElkApi, { type ELK } from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

let elk: ELK | undefined;

/**
 * ELK runs in a Web Worker: its layout engine is 1.5 MB of compiled Java, loaded only when a
 * lineage is drawn, and a large graph's layout never freezes the page.
 */
export function browserElk(): ELK {
  elk ??= new ElkApi({ workerFactory: () => new Worker(workerUrl) });
  return elk;
}
