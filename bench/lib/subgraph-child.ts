// One synthetic subgraph of the router bench, in its own process: `subgraph-child.ts <name>`.
import { startTestSubgraph } from '../../packages/testkit/src/test-subgraph.js';
import { SUBGRAPHS, type SubgraphName } from './synthetic.js';

const name = process.argv[2] as SubgraphName;
const definition = SUBGRAPHS[name];
if (!definition) throw new Error(`unknown subgraph ${name}`);
const subgraph = await startTestSubgraph({ name, ...definition, record: false });
process.send?.({ ready: subgraph.url });
process.once('SIGTERM', () => void subgraph.stop().then(() => process.exit(0)));
