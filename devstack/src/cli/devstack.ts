import { buildLaunchers, startDevstack } from '../index.js';
import { buildHelmRender } from '../../../deploy/tools/helm-render.js';

// npm run devstack: the local servers (Neo4j, FerretDB, OIDC issuer, S3 store) until Ctrl-C.
// npm run devstack -- --build-only: just build the Java and Go launchers (cached).
if (process.argv.includes('--build-only')) {
  // Beside them (Maven spends much of its time downloading), the Helm chart's renderer, also Go,
  // so that CI's deploy tests find it built (deploy/README.md).
  const t = Date.now();
  await Promise.all([
    buildLaunchers((line) => console.log(line)),
    buildHelmRender().then((result) => console.log(`helm-render: ${result} (${Date.now() - t} ms)`)),
  ]);
} else {
  const devstack = await startDevstack({ log: (line) => console.log(line) });
  for (const [key, value] of Object.entries(devstack.env)) console.log(`${key}=${value}`);
  const stop = () => void devstack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
