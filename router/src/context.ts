/** Per-request state of the router. */
export interface RouterContext {
  requestId: string;
  authorization?: string;
  traceparent?: string;
  clientHeaders: Record<string, string | undefined>;
}
