// npm run bench -- pdp-peers: Heimdall beside OPA (its own server, HTTP) and Cedar (in process,
// WebAssembly) on the same 10,000 policies, translated (bench/lib/pdp-translate.ts), and the same
// requests, half allowed and half denied. Traffic only to 127.0.0.1, bounded in count and time.
import { cpus, loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchDevToken, startDevstack } from '@dataos/devstack';
import { mongoFromEnv } from '@dataos/stores';
import { buildEngine } from '../subgraphs/heimdall/src/engine/engine.js';
import { generateCheck, generatePolicies, random } from '../subgraphs/heimdall/src/engine/generate.js';
import type { ObjectRef, SubjectContext } from '../subgraphs/heimdall/src/engine/types.js';
import { collectionsOf } from '../subgraphs/heimdall/src/store/collections.js';
import { PolicyRepository } from '../subgraphs/heimdall/src/store/policies.js';
import { opaBinary, startOpa, OPA_MODULE, type OpaServer } from './lib/opa.js';
import { cedarRequest, regoInput, toCedar, toRego } from './lib/pdp-translate.js';
import { startChild, type Child } from './lib/processes.js';
import { closedLoop, percentile, table } from './lib/stats.js';

const POLICIES = 10_000;
const REQUESTS = 200;
/** Tags Heimdall assigns to alice for the bench, so that the generated role policies apply to her. */
const ALICE_TAGS = ['roles:id:role3', 'roles:id:role7', 'roles:id:role11', 'groups:id:g1'];
const HTTP_LOAD = { concurrency: 16, durationMs: 4000, maxCount: 50_000 };
const progress = (what: string) => console.error(`[pdp-peers] ${new Date().toISOString().slice(11, 19)} ${what}`);
const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));

/** Requests asked a second time after the server closed the connection they were written on, per server. */
const retries = { heimdall: 0, opa: 0 };

/** One more try after a connection error (a server closing a kept-alive socket under load), counted. */
async function retried<T>(server: keyof typeof retries, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch {
    retries[server]++;
    return call();
  }
}

interface Check {
  action: string;
  object: ObjectRef;
  allowed: boolean;
}

/** A synchronous decision measured in a loop for at most `ms` and `count` calls. */
function inProcess(decide: (i: number) => unknown, count: number, ms: number) {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count && performance.now() - started < ms; i++) {
    const t = performance.now();
    decide(i);
    samples.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { perSecond: samples.length / seconds, p99Ms: percentile(samples, 99) };
}

/** Requests for alice, half allowed and half denied by Heimdall's engine, interleaved. */
function pickChecks(decide: (c: Omit<Check, 'allowed'>) => boolean): Check[] {
  const r = random(2026);
  const allowed: Check[] = [];
  const denied: Check[] = [];
  for (let i = 0; i < 200_000 && (allowed.length < REQUESTS / 2 || denied.length < REQUESTS / 2); i++) {
    const { action, object } = generateCheck(r);
    const c = { action, object: { path: object.path!, ...(object.tags?.length ? { tags: object.tags } : {}) } };
    const ok = decide(c);
    const into = ok ? allowed : denied;
    if (into.length < REQUESTS / 2) into.push({ ...c, allowed: ok });
  }
  if (allowed.length < REQUESTS / 2) throw new Error(`only ${allowed.length} allowed requests found`);
  return allowed.flatMap((a, i) => [a, denied[i]!]);
}

export async function runPdpPeersBench(): Promise<string> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const database = `heimdall_pdp_peers_${Date.now()}`;
  const mongo = await mongoFromEnv('HEIMDALL', database, { ...process.env, HEIMDALL_MONGO_DB: undefined });
  let heimdall: Child | undefined;
  let opa: OpaServer | undefined;
  const notes: string[] = [];
  // Shared machines: the load says how much of the numbers is the machine's.
  const loadAtStart = loadavg()[0]!;
  try {
    const policies = generatePolicies(POLICIES);
    await new PolicyRepository(collectionsOf(mongo.db)).insertMany(policies, 'bench');
    await collectionsOf(mongo.db).userTags.insertOne({
      _id: 'users:id:alice',
      tags: ALICE_TAGS,
      updatedAt: new Date(),
      updatedBy: 'bench',
    });
    // Heimdall in its own process, as deployed; it verifies the dev issuer's tokens over plain http
    // only outside production.
    heimdall = await startChild(new URL('./lib/heimdall-child.ts', import.meta.url), [database], {
      NODE_ENV: 'development',
    });
    const token = (await fetchDevToken('alice')).access_token;
    const post = (query: string, variables: Record<string, unknown> = {}) =>
      retried('heimdall', () =>
        fetch(heimdall!.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json() as Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>),
      );
    // The subject exactly as Heimdall sees alice: token tags plus the assigned ones.
    const who = await post('{ whoami { id tags } }');
    const tags = (who.data?.whoami as { tags: string[] } | undefined)?.tags;
    if (!tags) throw new Error(`whoami failed: ${JSON.stringify(who.errors)}`);
    const subject: SubjectContext = { id: 'users:id:alice', tags, claims: {} };

    // Heimdall in process: the engine its server runs.
    const engine = buildEngine(policies);
    const checks = pickChecks((c) => engine.decide(subject, c.action, c.object).allowed);

    // Cedar in process: the policies preparsed once, each request with its two entities.
    const cedar = await import('@cedar-policy/cedar-wasm/nodejs');
    const cedarText = toCedar(policies);
    const parsed = cedar.preparsePolicySet('bench', { staticPolicies: cedarText });
    if (parsed.type !== 'success') throw new Error(`Cedar refused the policies: ${parsed.errors[0]?.message}`);
    const cedarCalls = checks.map((c) => ({
      ...cedarRequest(subject, c.action, c.object),
      preparsedPolicySetId: 'bench',
    }));
    const cedarDecide = (i: number) => {
      const answer = cedar.statefulIsAuthorized(cedarCalls[i % cedarCalls.length]!);
      if (answer.type !== 'success') throw new Error(`Cedar failed: ${answer.errors[0]?.message}`);
      return answer.response.decision === 'allow';
    };

    // OPA: its own server on loopback with the Rego translation.
    const binary = await opaBinary();
    const regoInputs = checks.map((c) => regoInput(subject, c.action, c.object));
    const opaPost = (path: string, input: unknown) =>
      retried('opa', () =>
        fetch(`${opa!.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input }),
        }).then((r) => r.json() as Promise<{ result?: unknown }>),
      );
    if ('path' in binary) {
      await mkdir(CACHE, { recursive: true });
      const file = `${CACHE}pdp-peers.rego`;
      await writeFile(file, toRego(policies));
      opa = await startOpa(binary.path, file);
    } else notes.push(`OPA skipped: ${binary.skipped}`);

    progress('policies translated and loaded; checking that all three agree');
    // Everyone must agree on every request before anything is measured.
    const heimdallHttp = (await post('query ($i: [DecisionInput!]!) { decideBatch(inputs: $i) { allowed } }', {
      i: checks.map((c) => ({ action: c.action, object: c.object })),
    })) as { data: { decideBatch: { allowed: boolean }[] } };
    const disagree = { heimdallHttp: 0, cedar: 0, opa: 0 };
    const opaAll = opa ? ((await opaPost('/v1/data/heimdall/batch', { checks: regoInputs })).result as boolean[]) : [];
    checks.forEach((c, i) => {
      if (heimdallHttp.data.decideBatch[i]!.allowed !== c.allowed) disagree.heimdallHttp++;
      if (cedarDecide(i) !== c.allowed) disagree.cedar++;
      if (opa && opaAll[i] !== c.allowed) disagree.opa++;
    });
    if (disagree.heimdallHttp || disagree.cedar || disagree.opa) {
      throw new Error(`the PDPs disagree on some of the ${checks.length} requests: ${JSON.stringify(disagree)}`);
    }

    progress('in process');
    const heimdallDecide = (i: number) => {
      const c = checks[i % checks.length]!;
      return engine.decide(subject, c.action, c.object).allowed;
    };
    inProcess(heimdallDecide, 20_000, 1000);
    inProcess(cedarDecide, 2_000, 1000);
    const hIn = inProcess(heimdallDecide, 200_000, 4000);
    const cIn = inProcess(cedarDecide, 200_000, 4000);
    const batchOf = (decide: (i: number) => unknown) => (b: number) => {
      for (let i = 0; i < 100; i++) decide(b * 100 + i);
    };
    const hInBatch = inProcess(batchOf(heimdallDecide), 5_000, 4000);
    const cInBatch = inProcess(batchOf(cedarDecide), 5_000, 4000);

    progress('over HTTP');
    let n = 0;
    const hSingle = () =>
      post('query ($a: String!, $o: ObjectInput!) { decide(input: { action: $a, object: $o }) { allowed } }', {
        a: checks[n % checks.length]!.action,
        o: checks[n++ % checks.length]!.object,
      });
    const batchStart = () => (n++ % (checks.length / 100)) * 100;
    const hBatch = () => {
      const at = batchStart();
      return post('query ($i: [DecisionInput!]!) { decideBatch(inputs: $i) { allowed } }', {
        i: checks.slice(at, at + 100).map((c) => ({ action: c.action, object: c.object })),
      });
    };
    const oSingle = () => opaPost('/v1/data/heimdall/allowed', regoInputs[n++ % regoInputs.length]);
    const oBatch = () => {
      const at = batchStart();
      return opaPost('/v1/data/heimdall/batch', { checks: regoInputs.slice(at, at + 100) });
    };
    const warm = { ...HTTP_LOAD, durationMs: 1000 };
    for (const task of [hSingle, hBatch, ...(opa ? [oSingle, oBatch] : [])]) await closedLoop(task, warm);
    const hHttp = await closedLoop(hSingle, HTTP_LOAD);
    const hHttpBatch = await closedLoop(hBatch, HTTP_LOAD);
    const oHttp = opa ? await closedLoop(oSingle, HTTP_LOAD) : null;
    const oHttpBatch = opa ? await closedLoop(oBatch, HTTP_LOAD) : null;

    const na = 'n/a';
    const ratio = (x: number | undefined, base: number) => (x === undefined ? na : x / base);
    const rows: (string | number)[][] = [
      ['in process, 1 check: decisions/s', hIn.perSecond, cIn.perSecond, na, cIn.perSecond / hIn.perSecond, na],
      ['in process, 1 check: p99 ms', hIn.p99Ms, cIn.p99Ms, na, cIn.p99Ms / hIn.p99Ms, na],
      [
        'in process, batch of 100: decisions/s',
        hInBatch.perSecond * 100,
        cInBatch.perSecond * 100,
        na,
        cInBatch.perSecond / hInBatch.perSecond,
        na,
      ],
      ['in process, batch of 100: p99 ms', hInBatch.p99Ms, cInBatch.p99Ms, na, cInBatch.p99Ms / hInBatch.p99Ms, na],
      [
        'HTTP, 1 check: decisions/s',
        hHttp.perSecond,
        na,
        oHttp?.perSecond ?? na,
        na,
        ratio(oHttp?.perSecond, hHttp.perSecond),
      ],
      ['HTTP, 1 check: p99 ms', hHttp.p99Ms, na, oHttp?.p99Ms ?? na, na, ratio(oHttp?.p99Ms, hHttp.p99Ms)],
      [
        'HTTP, batch of 100: decisions/s',
        hHttpBatch.perSecond * 100,
        na,
        oHttpBatch ? oHttpBatch.perSecond * 100 : na,
        na,
        ratio(oHttpBatch?.perSecond, hHttpBatch.perSecond),
      ],
      [
        'HTTP, batch of 100: p99 ms',
        hHttpBatch.p99Ms,
        na,
        oHttpBatch?.p99Ms ?? na,
        na,
        ratio(oHttpBatch?.p99Ms, hHttpBatch.p99Ms),
      ],
    ];
    const cedarCount = cedarText.split('\n@id(').length;
    return [
      `Heimdall, Cedar ${cedar.getCedarVersion()} (@cedar-policy/cedar-wasm, in process) and OPA (${OPA_MODULE.split('@')[1]}, own server) on the same ` +
        `${POLICIES.toLocaleString('en')} generated policies (${cedarCount.toLocaleString('en')} Cedar policies, one per subject set and object pattern; ` +
        `Rego rules with equality on indexed input fields) and the same ${checks.length} requests for alice (${checks.filter((c) => c.allowed).length} allowed, ` +
        `${checks.filter((c) => !c.allowed).length} denied; all three agree on every one). Heimdall takes the raw path and tags; Cedar and OPA get the ` +
        `path's collection and API parent pre-split by the caller (their idiom). HTTP: 16 concurrent clients, 4 s each, loopback; Heimdall over GraphQL with a ` +
        `verified bearer token, OPA's Data API without authentication. Ratios are the peer over Heimdall (decisions/s: above 1 is faster; p99: above 1 is slower).`,
      table(['measure', 'Heimdall', 'Cedar', 'OPA', 'Cedar / Heimdall', 'OPA / Heimdall'], rows),
      `Machine: ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at start and ${loadavg()[0]!.toFixed(1)} at the end ` +
        '(OPA serves on every core; Heimdall runs one event loop, as deployed per replica).',
      ...(retries.heimdall + retries.opa
        ? [`Asked twice after a closed connection: Heimdall ${retries.heimdall}, OPA ${retries.opa} requests.`]
        : []),
      ...notes,
    ].join('\n');
  } finally {
    await opa?.stop();
    await heimdall?.stop();
    // Heimdall's last decision-log writes may land after its own drop: dropped again a second later.
    await mongo.db.dropDatabase().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runPdpPeersBench());
}
