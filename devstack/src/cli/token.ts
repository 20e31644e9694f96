import { DEV_USERS, fetchDevToken, fetchServiceToken } from '../index.js';

// npm run token -- <user> [--ttl seconds]   |   npm run token -- --service
const args = process.argv.slice(2);
const ttlIndex = args.indexOf('--ttl');
const ttlSec = ttlIndex >= 0 ? Number(args[ttlIndex + 1]) : undefined;
const user = args.find((a, i) => !a.startsWith('--') && (ttlIndex < 0 || i !== ttlIndex + 1)) ?? 'alice';

try {
  const token = args.includes('--service')
    ? await fetchServiceToken()
    : await fetchDevToken(user, ttlSec ? { ttlSec } : {});
  console.log(token.access_token);
} catch (error) {
  const known = Object.keys(DEV_USERS).join(', ');
  console.error(`${(error as Error).message}\n(is the devstack running? users: ${known})`);
  process.exit(1);
}
