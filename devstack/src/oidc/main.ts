import { startIssuer } from './server.js';

// Child-process entry of the dev issuer: `tsx devstack/src/oidc/main.ts`.
const port = Number(process.env.OIDC_PORT ?? 4400);
const issuer = await startIssuer({ port, ...(process.env.OIDC_AUDIENCE ? { audience: process.env.OIDC_AUDIENCE } : {}) });
console.log(`oidc issuer listening on ${issuer.issuer}`);
const stop = () => void issuer.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
