const SERVICE_LABELS: Record<string, string> = {
  metis: 'the catalog (Metis)',
  odin: 'the knowledge graph (Odin)',
  gateway: 'the query Gateway',
  heimdall: 'the policy service (Heimdall)',
  caretaker: 'Caretaker',
};

/** Where a part of a page would be when its service did not answer: the rest of the page stays. */
export function SubgraphDown({ service, detail }: { service?: string | undefined; detail?: string | undefined }) {
  const label = (service && SERVICE_LABELS[service]) ?? service ?? 'a service';
  return (
    <div className="notice notice-down" role="status">
      <strong>Not available right now:</strong> {label} did not answer. The rest of the page is up to date.
      {detail ? <span className="notice-detail"> ({detail})</span> : null}
    </div>
  );
}
