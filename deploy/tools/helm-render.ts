import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cachedBuild } from '../../devstack/src/build-cache.js';
import { CACHE_DIR } from '../../devstack/src/paths.js';
import { run } from '../../devstack/src/process.js';

/**
 * deploy/tools/helm-render: Helm's engine and client-go's scheme in a small Go program of ours
 * (README there). Built once into the devstack's ignored cache, like the FerretDB launcher.
 */
const TOOL_DIR = fileURLToPath(new URL('./helm-render', import.meta.url));
export const HELM_RENDER_BIN = `${CACHE_DIR}/bin/helm-render`;
export const CHART_DIR = fileURLToPath(new URL('../helm/dataos-supergraph', import.meta.url));

export const buildHelmRender = () =>
  cachedBuild(
    'helm-render',
    ['go.mod', 'go.sum', 'main.go', 'required.go'].map((f) => `${TOOL_DIR}/${f}`),
    [HELM_RENDER_BIN],
    // Helm 4 needs Go 1.26: an older local Go fetches that toolchain through the module proxy.
    () =>
      run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', HELM_RENDER_BIN, '.'], TOOL_DIR, {
        GOTOOLCHAIN: 'auto',
      }),
  );

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown } } & Record<
  string,
  unknown
>;

export interface Rendering {
  values: Record<string, unknown>;
  objects: K8sObject[];
  /** Schema and required-field problems; empty when every object is valid. */
  errors: string[];
}

/** Renders a chart (ours by default) with values files, as `helm template` would, and validates it. */
export async function renderChart(
  options: { chart?: string; valuesFiles?: string[]; release?: string; namespace?: string; kubeVersion?: string } = {},
): Promise<Rendering> {
  const args = [
    '-chart',
    options.chart ?? CHART_DIR,
    '-release',
    options.release ?? 'dataos',
    '-namespace',
    options.namespace ?? 'dataos',
    ...(options.kubeVersion ? ['-kube-version', options.kubeVersion] : []),
    ...(options.valuesFiles ?? []).flatMap((f) => ['-f', f]),
  ];
  // Exit 1 still prints the JSON document (with its errors); anything else is a crash.
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(HELM_RENDER_BIN, args, { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) => {
      if (error && error.code !== 1) reject(new Error(`helm-render failed: ${stderr || error.message}`));
      else resolve(out);
    }),
  );
  return JSON.parse(stdout) as Rendering;
}
