/** What is accessed: a path (`dataos://icebase:retail/customers`, `/metis/datasets`) and/or tags. */
export interface ObjectRef {
  path?: string;
  tags?: string[];
}

export interface Decision {
  allowed: boolean;
  policies: string[];
  reason: string;
}

export interface Subject {
  id: string;
  type: 'PERSON' | 'APPLICATION';
  name: string | null;
  email: string | null;
  tags: string[];
  scopes: string[];
  expiresAt: string | null;
}

export interface RouterAuthorization {
  authenticated: boolean;
  reason: string | null;
  /** Why a presented token was refused: `expired`, `invalid_signature`, ... (`missing` without one); null when authenticated. */
  tokenFailure?: string | null;
  scopes: string[];
  policies: { name: string; allowed: boolean; reason: string }[];
  expiresAt: string | null;
}
