/** Links inside the policy console. */
export const POLICIES = '/policies';
export const accessPolicyPath = (name: string) => `${POLICIES}/access/${encodeURIComponent(name)}`;
export const dataPolicyPath = (name: string) => `${POLICIES}/data/${encodeURIComponent(name)}`;
export const decisionsPath = (filter: Record<string, string>) =>
  `${POLICIES}/decisions?${new URLSearchParams(filter).toString()}`;
