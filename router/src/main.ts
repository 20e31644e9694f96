import { pino } from 'pino';
import { configFromEnv } from './config.js';
import { startRouter } from './server.js';

const logger = pino({ name: 'router', level: process.env.LOG_LEVEL ?? 'info' });
const router = await startRouter(configFromEnv(), logger);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    router.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
