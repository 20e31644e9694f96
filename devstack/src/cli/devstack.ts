import { startDevstack } from '../index.js';

// npm run devstack: just the local servers (Neo4j, FerretDB, OIDC issuer), until Ctrl-C.
const devstack = await startDevstack({ log: (line) => console.log(line) });
for (const [key, value] of Object.entries(devstack.env)) console.log(`${key}=${value}`);
const stop = () => void devstack.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
