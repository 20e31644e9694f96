/** Links inside the Operations app; a pod is named by namespace and name, each its own segment. */
export const OPERATIONS = '/operations';
export const podPath = (namespace: string, name: string) =>
  `${OPERATIONS}/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
export const nodePodsPath = (node: string) => `${OPERATIONS}/pods?node=${encodeURIComponent(node)}`;
export const resourcePodsPath = (urn: string) => `${OPERATIONS}/pods?resource=${encodeURIComponent(urn)}`;
