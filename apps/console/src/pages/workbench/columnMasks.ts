/**
 * Which result columns the caller sees masked, and by which data policy. `explain` says it per
 * dataset read (scan): each column's winning mask and its policy, the row filters and exemptions.
 * A result column is marked when a scanned column of the same name is masked: exact for
 * `SELECT *` and plain column lists, which is what the marks are for; the full per-scan list is
 * shown beside the results so a renamed or computed column is never silently unexplained.
 */

export interface ScanColumn {
  name: string;
  type: string;
  tags: readonly string[];
  mask?: string | null;
  policy?: string | null;
}

export interface Scan {
  dataset: string;
  aliases: readonly string[];
  filters: readonly string[];
  exemptions: readonly string[];
  columns: readonly ScanColumn[];
}

export interface ColumnMark {
  /** Masks that change the value (every operator but PASS_THROUGH), one per scan that masks it. */
  masks: { operator: string; policy: string | null; dataset: string }[];
  /** PASS_THROUGH winners: the column is read as is because this policy exempts the caller. */
  exemptions: { policy: string | null; dataset: string }[];
}

export const PASS_THROUGH = 'PASS_THROUGH';

export function columnMarks(resultColumns: readonly { name: string }[], scans: readonly Scan[]): ColumnMark[] {
  return resultColumns.map(({ name }) => {
    const mark: ColumnMark = { masks: [], exemptions: [] };
    const wanted = name.toLowerCase();
    for (const scan of scans) {
      for (const column of scan.columns) {
        if (column.name.toLowerCase() !== wanted || !column.mask) continue;
        if (column.mask === PASS_THROUGH)
          mark.exemptions.push({ policy: column.policy ?? null, dataset: scan.dataset });
        else mark.masks.push({ operator: column.mask, policy: column.policy ?? null, dataset: scan.dataset });
      }
    }
    return mark;
  });
}

export interface AppliedFilter {
  dataset: string;
  policy: string;
}

/** Row filters applied, per dataset read (each scan once per dataset, policies in the Gateway's order). */
export function appliedFilters(scans: readonly Scan[]): { filters: AppliedFilter[]; exemptions: AppliedFilter[] } {
  const once = (list: AppliedFilter[], dataset: string, policy: string) => {
    if (!list.some((f) => f.dataset === dataset && f.policy === policy)) list.push({ dataset, policy });
  };
  const filters: AppliedFilter[] = [];
  const exemptions: AppliedFilter[] = [];
  for (const scan of scans) {
    for (const policy of scan.filters) once(filters, scan.dataset, policy);
    for (const policy of scan.exemptions) once(exemptions, scan.dataset, policy);
  }
  return { filters, exemptions };
}
