import { startIssuer } from './server.js';

// Child-process entry of the dev issuer: `tsx devstack/src/oidc/main.ts`. In a container set
// HOST=0.0.0.0 and OIDC_PUBLIC_URL to the URL other services reach it at (e.g. http://oidc:4400).
const issuer = await startIssuer({
  port: Number(process.env.OIDC_PORT ?? 4400),
  host: process.env.HOST ?? '127.0.0.1',
  ...(process.env.OIDC_AUDIENCE ? { audience: process.env.OIDC_AUDIENCE } : {}),
  ...(process.env.OIDC_PUBLIC_URL ? { publicUrl: process.env.OIDC_PUBLIC_URL } : {}),
});
console.log(`oidc issuer listening on ${issuer.issuer}`);
const stop = () => void issuer.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
