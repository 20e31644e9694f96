// One synthetic subgraph of the router bench, in its own process: `subgraph-child.ts <name>`.
import { startTestSubgraph } from '../../packages/testkit/src/test-subgraph.js';
import { SUBGRAPHS, type SubgraphName } from './synthetic.js';

const name = process.argv[2] as SubgraphName;
const definition = SUBGRAPHS[name];
if (!definition) throw new Error(`unknown subgraph ${name}`);
// Answers are memoized per request body (BENCH_SUBGRAPH_MEMO=0 turns it off): the bench measures
// gateways, and subgraphs that cost little leave the machine's cores to them.
const subgraph = await startTestSubgraph({
  name,
  ...definition,
  record: false,
  memoize: process.env.BENCH_SUBGRAPH_MEMO !== '0',
});
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: subgraph.url });
process.once('SIGTERM', () => void subgraph.stop().then(() => process.exit(0)));
