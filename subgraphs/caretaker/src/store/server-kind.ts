import type { Db } from 'mongodb';

/** Which server answers: MongoDB in production, FerretDB 1.24 (the dev store), whose costs and gaps differ. */
export type ServerKind = 'mongodb' | 'ferretdb';

const kinds = new WeakMap<Db, Promise<ServerKind>>();

/** Asked once per database handle: FerretDB's `buildInfo` carries `ferretdbVersion`. */
export function serverKindOf(db: Db): Promise<ServerKind> {
  let kind = kinds.get(db);
  if (!kind) {
    kind = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info): ServerKind => ('ferretdbVersion' in info ? 'ferretdb' : 'mongodb'));
    kind.catch(() => kinds.delete(db));
    kinds.set(db, kind);
  }
  return kind;
}
