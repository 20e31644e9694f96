import { buildLaunchers, startDevstack } from '../index.js';
import { buildHelmRender } from '../../../deploy/tools/helm-render.js';

// npm run devstack: the local servers (Neo4j, FerretDB, OIDC issuer, S3 store) until Ctrl-C.
// npm run devstack -- --build-only: just build the Java and Go launchers (cached).
if (process.argv.includes('--build-only')) {
  await buildLaunchers((line) => console.log(line));
  // Also Go: the Helm chart's renderer, so that CI's deploy tests find it built (deploy/README.md).
  const t = Date.now();
  console.log(`helm-render: ${await buildHelmRender()} (${Date.now() - t} ms)`);
} else {
  const devstack = await startDevstack({ log: (line) => console.log(line) });
  for (const [key, value] of Object.entries(devstack.env)) console.log(`${key}=${value}`);
  const stop = () => void devstack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
