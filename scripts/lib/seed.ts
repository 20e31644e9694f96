import { seedCaretaker } from '@dataos/caretaker';
import { seedGateway } from '@dataos/gateway';
import { seedHeimdall } from '@dataos/heimdall';
import { seedMetis } from '@dataos/metis';
import { seedOdin } from '@dataos/odin';
import { mongoFromEnv, neo4jFromEnv } from '@dataos/stores';

/** Idempotent demo data for every subgraph (`npm run dev`, the compose stack's seed job). */
export async function seedDemo(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, number>> {
  const neo4j = neo4jFromEnv('METIS', env);
  const mongo = {
    heimdall: await mongoFromEnv('HEIMDALL', 'heimdall', env),
    gateway: await mongoFromEnv('GATEWAY', 'gateway', env),
    caretaker: await mongoFromEnv('CARETAKER', 'caretaker', env),
  };
  try {
    const policies = await seedHeimdall(mongo.heimdall);
    return {
      'new policies': policies.created,
      'updated policies': policies.updated,
      datasets: await seedMetis(neo4j),
      concepts: await seedOdin(neo4j),
      clusters: await seedGateway(mongo.gateway),
      pods: await seedCaretaker(mongo.caretaker),
    };
  } finally {
    await Promise.all([neo4j.close(), ...Object.values(mongo).map((m) => m.close())]);
  }
}

export const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
