import { buildLaunchers, startDevstack } from '../index.js';

// npm run devstack: the local servers (Neo4j, FerretDB, OIDC issuer, S3 store) until Ctrl-C.
// npm run devstack -- --build-only: just build the Java and Go launchers (cached).
if (process.argv.includes('--build-only')) {
  await buildLaunchers((line) => console.log(line));
} else {
  const devstack = await startDevstack({ log: (line) => console.log(line) });
  for (const [key, value] of Object.entries(devstack.env)) console.log(`${key}=${value}`);
  const stop = () => void devstack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
