/** The Gateway's dataset URN shape: `dataos://depot:collection/dataset`. */
const URN = /^dataos:\/\/([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)\/([A-Za-z0-9_.-]+)$/;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The SQL of the dataset's preview (`depot.collection.dataset`, quoted), for `explain`: the Gateway
 * then says, column by column, which mask wins for the caller and why. Undefined for other URNs.
 */
export function selectAllSql(urn: string): string | undefined {
  const m = URN.exec(urn);
  if (!m) return undefined;
  return `SELECT * FROM ${[m[1]!, m[2]!, m[3]!].map(quoteIdent).join('.')}`;
}
