// npm run bench: how fast the engine is at 100, 1,000 and 5,000 nodes (30 pods
// each, 10,000 Services), `podpath trace` end to end at Kubernetes' published
// limits against the floor of reading and JSON.parsing the same file, and the
// playground's edit → recompute → trace loop on 1,000 and 10,000 pods.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, compile, parseScenario, trace, type Scenario } from '../src/sim/index.ts';
import { DEFAULT_CLUSTER, emptyScenario } from '../src/sim/model.ts';
import { addPod, movePod, remove, setLabels, setServicePorts } from '../src/sim/edit.ts';

const PODS_PER_NODE = 30;
const SERVICES = 10_000;

/** A `kubectl get nodes,pods,services -o json`-like List: pods bound to nodes, no addresses yet. */
function clusterJson(nodes: number): string {
  const items: unknown[] = [
    { apiVersion: 'podpath.dev/v1alpha1', kind: 'Cluster', metadata: { name: 'bench' }, spec: { podCIDR: '10.0.0.0/8', nodeCIDRMaskSize: 24, serviceCIDR: '172.16.0.0/16', nodeNetwork: '192.168.0.0/16', cni: 'flannel-vxlan', kubeProxy: 'iptables' } },
  ];
  for (let n = 0; n < nodes; n++) items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` } });
  let i = 0;
  for (let n = 0; n < nodes; n++) {
    for (let k = 0; k < PODS_PER_NODE; k++, i++) {
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `app-${i}`, namespace: 'default', labels: { app: `svc-${i % SERVICES}` } },
        spec: { nodeName: `node-${n}`, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
      });
    }
  }
  for (let v = 0; v < SERVICES; v++) {
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${v}`, namespace: 'default' }, spec: { selector: { app: `svc-${v}` }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`.padStart(10);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function benchEngine(nodes: number) {
  const text = clusterJson(nodes);
  let t0 = performance.now();
  const parsed = parseScenario(text, 'bench');
  const parseMs = ms(t0);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  t0 = performance.now();
  const allocated = allocate(parsed.value);
  const allocateMs = ms(t0);
  if (!allocated.ok) throw new Error(JSON.stringify(allocated.issues.slice(0, 3)));
  const s = allocated.value;
  const client = s.pods[0];
  t0 = performance.now();
  const dp = compile(s);
  dp.netns(client.nodeName!); // the source node (kube-proxy's rules are worked out per Service when a packet meets them)
  const compileMs = ms(t0);
  t0 = performance.now();
  const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: client.name }, to: { kind: 'service', namespace: 'default', name: `svc-${Math.min(SERVICES, s.pods.length) - 1}`, port: 80 }, proto: 'tcp' });
  const traceMs = ms(t0);
  if (!t.ok || t.value.verdict !== 'delivered') throw new Error('bench trace was not delivered');
  return { nodes, pods: s.pods.length, textMB: text.length / 1e6, parseMs, allocateMs, compileMs, traceMs, hops: t.value.hops.length };
}

/** The median of some samples (sorted in place). */
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The q-quantile (0..1) of sorted samples, nearest rank. */
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const verdictWord = (met: boolean) => (met ? 'met' : 'NOT MET');

/**
 * `npx podpath trace` end to end against its floor, side by side in one run: the
 * floor is a Node that starts, reads the same file and JSON.parses it (what any
 * reader of that file pays), the trace is bin/podpath.mjs spawned as a person runs
 * it. Alternated, several of each, medians compared; peak RSS is the CLI's largest.
 */
function benchCli(nodes: number, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'podpath-bench-'));
  try {
    const file = join(dir, 'cluster.json');
    writeFileSync(file, clusterJson(nodes));
    const floorMs: number[] = [];
    const cliMs: number[] = [];
    // CPU time (user + system, all threads) beside the wall clock: less moved by other programs on a shared machine.
    const floorCpu: number[] = [];
    const cliCpu: number[] = [];
    const cpuOf = (stderr: string) => Number(/cpu=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1000;
    let maxRss = 0;
    let verdict = '';
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      const f = spawnSync(process.execPath, ['-e', 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); const r = process.resourceUsage(); process.stderr.write(`cpu=${r.userCPUTime + r.systemCPUTime}\\n`)', file], { encoding: 'utf8' });
      floorMs.push(ms(t0));
      if (f.status !== 0) throw new Error(f.stderr);
      floorCpu.push(cpuOf(f.stderr));
      t0 = performance.now();
      const r = spawnSync(process.execPath, ['scripts/rusage.mjs', 'bin/podpath.mjs', 'trace', file, '--from', 'pod/default/app-0', '--to', `service/default/svc-${SERVICES - 1}:80`, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      cliMs.push(ms(t0));
      if (r.status !== 0) throw new Error(r.stderr);
      // The built CLI, not the tsx fallback: bin/podpath.mjs says on stderr when it falls back.
      if (r.stderr.includes('podpath: note:')) throw new Error(`the bench must run the built CLI: ${r.stderr}`);
      maxRss = Math.max(maxRss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) * 1024);
      cliCpu.push(cpuOf(r.stderr));
      verdict = JSON.parse(r.stdout).verdict;
    }
    // Each run against the floor run just before it (the machine as both saw it: on a shared
    // host both slow down together), then the median of those ratios; the medians' ratio beside it.
    const pairRatio = median(cliMs.map((c, i) => c / floorMs[i]));
    const floor = median(floorMs);
    const cli = median(cliMs);
    return { floor, floorRange: [floorMs[0], floorMs.at(-1)!], cli, cliRange: [cliMs[0], cliMs.at(-1)!], ratio: pairRatio, ratioOfMedians: cli / floor, cpuRatio: median(cliCpu) / median(floorCpu), floorCpu: median(floorCpu), cliCpu: median(cliCpu), maxRss, verdict, textMB: statSync(file).size / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The playground's loop after one edit, as the store runs it: an edit (src/sim/edit.ts,
 * which ends in allocate), then compile and trace the packet being watched. The edits
 * cycle through what people do: add a pod, move one to another node, relabel one
 * out of and back into a Service, change a Service's port, delete a pod.
 * `pods` pods on pods/50 nodes, one Service per 20 pods.
 */
function benchEdit(pods: number, rounds: number) {
  const nodeCount = pods / 50;
  const serviceCount = pods / 20;
  let s: Scenario = emptyScenario({ ...DEFAULT_CLUSTER, podCIDR: '10.0.0.0/8', serviceCIDR: '172.16.0.0/16', nodeNetwork: '192.168.0.0/16', cni: 'flannel-vxlan' });
  s = {
    ...s,
    nodes: Array.from({ length: nodeCount }, (_, n) => ({ name: `node-${n}`, labels: {} })),
    pods: Array.from({ length: pods }, (_, i) => ({ namespace: 'default', name: `p-${i}`, labels: { app: `svc-${i % serviceCount}` }, nodeName: `node-${i % nodeCount}`, ports: [{ containerPort: 8080, protocol: 'TCP' as const }] })),
    services: Array.from({ length: serviceCount }, (_, v) => ({ namespace: 'default', name: `svc-${v}`, type: 'ClusterIP' as const, selector: { app: `svc-${v}` }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' as const }] })),
  };
  const first = allocate(s);
  if (!first.ok) throw new Error(JSON.stringify(first.issues.slice(0, 3)));
  s = first.value;
  // The packet watched: from a pod to the Service the edits keep changing.
  const request = { from: { kind: 'pod' as const, namespace: 'default', name: 'p-0' }, to: { kind: 'service' as const, namespace: 'default', name: 'svc-1', port: 80 }, proto: 'tcp' as const };
  const edits: ((s: Scenario, round: number) => ReturnType<typeof allocate>)[] = [
    (s, r) => addPod(s, `node-${r % nodeCount}`, { name: `new-${r}`, labels: { app: 'svc-1' } }),
    (s, r) => movePod(s, `default/p-${(r * 7) % pods}`, `node-${(r * 3 + 1) % nodeCount}`),
    (s) => setLabels(s, 'pod', 'default/p-1', { app: 'elsewhere' }),
    (s) => setLabels(s, 'pod', 'default/p-1', { app: 'svc-1' }),
    (s, r) => setServicePorts(s, 'default/svc-1', [{ port: 80, targetPort: Math.floor(r / edits.length) % 2 ? 8080 : 9090, protocol: 'TCP' }]),
    (s, r) => remove(s, 'pod', `default/new-${r - 5}`),
  ];
  const samples: number[] = [];
  // CPU time too: on a shared machine the wall clock also counts the time other programs had the core.
  const cpu: number[] = [];
  const warmup = 30;
  for (let round = 0; round < rounds + warmup; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const edited = edits[round % edits.length](s, round);
    if (!edited.ok) throw new Error(`edit ${round}: ${JSON.stringify(edited.issues.slice(0, 2))}`);
    s = edited.value;
    const t = trace(compile(s), request);
    if (!t.ok) throw new Error(`trace ${round}: ${JSON.stringify(t.issues.slice(0, 2))}`);
    if (round >= warmup) {
      samples.push(ms(t0));
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { pods, median: quantile(samples, 0.5), p90: quantile(samples, 0.9), p99: quantile(samples, 0.99), max: samples.at(-1)!, n: samples.length, cpuMedian: quantile(cpu, 0.5), cpuP99: quantile(cpu, 0.99) };
}

// `npm run bench -- edit` (or engine, cli) runs one part only.
const only = process.argv[2];
const part = (name: string) => !only || only === name;
console.log(`podpath engine benchmark (node ${process.version}, ${PODS_PER_NODE} pods per node, ${SERVICES.toLocaleString()} Services)\n`);
if (part('engine')) console.log('nodes    pods      input    parse     allocate  compile   trace     peak heap');
for (const nodes of part('engine') ? [100, 1000, 5000] : []) {
  globalThis.gc?.();
  const r = benchEngine(nodes);
  console.log(`${String(r.nodes).padEnd(8)} ${String(r.pods).padEnd(9)} ${`${r.textMB.toFixed(0)} MB`.padEnd(8)}${fmt(r.parseMs)}${fmt(r.allocateMs)}${fmt(r.compileMs)}${fmt(r.traceMs)}   ${mb(process.memoryUsage().heapUsed)}`);
}
const CLI_RUNS = 7;
if (part('cli')) {
  const cli = benchCli(5000, CLI_RUNS);
  const sec = (x: number) => `${(x / 1000).toFixed(2)} s`;
  console.log(`\nnpx podpath trace, end to end, 5,000 nodes / 150,000 pods / 10,000 Services (${cli.textMB.toFixed(0)} MB JSON), median of ${CLI_RUNS}, alternated:`);
  console.log(`  floor (node -e: start, read, JSON.parse the file): ${sec(cli.floor)} (${sec(cli.floorRange[0])}–${sec(cli.floorRange[1])})`);
  console.log(`  podpath trace:                                     ${sec(cli.cli)} (${sec(cli.cliRange[0])}–${sec(cli.cliRange[1])}) — verdict ${cli.verdict}`);
  console.log(`  ratio to the floor: ${cli.ratio.toFixed(2)}× (the median of the ${CLI_RUNS} runs' ratios to the floor run beside each; of the medians ${cli.ratioOfMedians.toFixed(2)}×) (goal ≤ 2.5×: ${verdictWord(cli.ratio <= 2.5)}); peak RSS ${mb(cli.maxRss)} (goal ≤ 600 MB: ${verdictWord(cli.maxRss <= 600 * 1024 * 1024)})`);
  console.log(`  in CPU time (user + system): floor ${sec(cli.floorCpu)}, podpath trace ${sec(cli.cliCpu)}, ratio ${cli.cpuRatio.toFixed(2)}×`);
}
if (part('edit')) console.log('\nplayground edit loop (edit → allocate → compile → trace), mixed edits:');
for (const [pods, goal] of part('edit') ? ([[1000, 8], [10_000, 16]] as const) : []) {
  const e = benchEdit(pods, 200);
  console.log(`  ${pods.toLocaleString().padStart(6)} pods: median ${e.median.toFixed(2)} ms, p90 ${e.p90.toFixed(2)} ms, p99 ${e.p99.toFixed(2)} ms, max ${e.max.toFixed(2)} ms over ${e.n} edits (goal p99 ≤ ${goal} ms: ${verdictWord(e.p99 <= goal)}); CPU time median ${e.cpuMedian.toFixed(2)} ms, p99 ${e.cpuP99.toFixed(2)} ms`);
}
