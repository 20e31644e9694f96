/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `2Gi`, `1e3`) as numbers.
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The value of a quantity, or null when it is not one. Negative quantities are refused. */
export function parseQuantity(text: string): number | null {
  const match = QUANTITY.exec(text.trim());
  if (!match) return null;
  const [, digits, suffix = ''] = match;
  const base = Number(digits);
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  if (factor === undefined) return null;
  const value = base * factor;
  return Number.isFinite(value) ? value : null;
}

/** CPU in millicores, rounded up like Kubernetes does (`0.1` → 100, `1n` → 1). */
export function cpuMillis(text: string): number | null {
  const v = parseQuantity(text);
  return v === null ? null : Math.ceil(Math.round(v * 1e9) / 1e6);
}

/** Memory (or storage) in bytes, rounded up. */
export function bytes(text: string): number | null {
  const v = parseQuantity(text);
  return v === null ? null : Math.ceil(Math.round(v * 1e3) / 1e3);
}

/** `536870912` → `512Mi`, for people. */
export function formatBytes(n: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1 && v % 1024 === 0) {
    v /= 1024;
    i++;
  }
  return `${v}${units[i]}`;
}
