export interface ExplainScan {
  dataset: string;
  columns: readonly { name: string; mask?: string | null; policy?: string | null }[];
  filters: readonly string[];
  exemptions: readonly string[];
}

export interface ColumnMask {
  /** The winning mask operator (HASH, REDACT, ...); PASS_THROUGH means an exemption. */
  operator: string;
  policy: string | null;
}

export const PASS_THROUGH = 'PASS_THROUGH';

/**
 * Per column (by lower-case name), the mask the Gateway applies to the caller on this dataset,
 * from `explain` of a `SELECT *` on it: the same decision the preview and the Workbench get.
 */
export function masksFor(urn: string, scans: readonly ExplainScan[]): Map<string, ColumnMask> {
  const masks = new Map<string, ColumnMask>();
  const wanted = urn.toLowerCase();
  for (const scan of scans) {
    if (scan.dataset.toLowerCase() !== wanted) continue;
    for (const column of scan.columns) {
      if (column.mask) masks.set(column.name.toLowerCase(), { operator: column.mask, policy: column.policy ?? null });
    }
  }
  return masks;
}

/** Masked means the value is changed: an exemption (PASS_THROUGH) shows the value as is. */
export const changesValue = (mask: ColumnMask | undefined): boolean => !!mask && mask.operator !== PASS_THROUGH;

/** Row filters applied to the caller on this dataset, and exemptions that lifted others. */
export function rowFiltersFor(urn: string, scans: readonly ExplainScan[]): { filters: string[]; exemptions: string[] } {
  const wanted = urn.toLowerCase();
  const scan = scans.find((s) => s.dataset.toLowerCase() === wanted);
  return { filters: [...(scan?.filters ?? [])], exemptions: [...(scan?.exemptions ?? [])] };
}
