// npm run bench: how fast the engine is at 100, 1,000 and 5,000 nodes (30 pods
// each, 10,000 Services), one `podpath trace` end to end at Kubernetes' published
// limits, and the playground's edit → recompute → trace loop on 1,000 pods.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocate, compile, parseScenario, trace, type Scenario } from '../src/sim/index.ts';

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
  dp.netns(client.nodeName!); // the source node: kube-proxy's rules for every Service are built here
  const compileMs = ms(t0);
  t0 = performance.now();
  const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: client.name }, to: { kind: 'service', namespace: 'default', name: `svc-${Math.min(SERVICES, s.pods.length) - 1}`, port: 80 }, proto: 'tcp' });
  const traceMs = ms(t0);
  if (!t.ok || t.value.verdict !== 'delivered') throw new Error('bench trace was not delivered');
  return { nodes, pods: s.pods.length, textMB: text.length / 1e6, parseMs, allocateMs, compileMs, traceMs, hops: t.value.hops.length };
}

function benchCli(nodes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'podpath-bench-'));
  try {
    const file = join(dir, 'cluster.json');
    writeFileSync(file, clusterJson(nodes));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['scripts/rusage.mjs', 'bin/podpath.mjs', 'trace', file, '--from', 'pod/default/app-0', '--to', `service/default/svc-${SERVICES - 1}:80`, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wall = ms(t0);
    if (r.status !== 0) throw new Error(r.stderr);
    const maxRss = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) * 1024;
    return { wall, maxRss, verdict: JSON.parse(r.stdout).verdict };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchEdit() {
  // 20 nodes × 50 pods = 1,000 pods: add one pod, re-allocate, compile, trace to it.
  const parsed = parseScenario(clusterJson(20).replace(/"nodeName":"node-(\d+)"/g, (_m, n) => `"nodeName":"node-${Number(n)}"`), 'edit');
  if (!parsed.ok) throw new Error('parse');
  const base = allocate({ ...parsed.value, pods: parsed.value.pods.slice(0, 0) });
  if (!base.ok) throw new Error('alloc');
  const pods = [];
  for (let i = 0; i < 1000; i++) pods.push({ namespace: 'default', name: `p-${i}`, labels: { app: `svc-${i % 50}` }, nodeName: `node-${i % 20}`, ports: [{ containerPort: 8080, protocol: 'TCP' as const }] });
  const first = allocate({ ...base.value, pods, services: base.value.services.slice(0, 50) });
  if (!first.ok) throw new Error('alloc 1000');
  let s: Scenario = first.value;
  const samples: number[] = [];
  for (let round = 0; round < 30; round++) {
    const t0 = performance.now();
    const edited = allocate({ ...s, pods: [...s.pods, { namespace: 'default', name: `new-${round}`, labels: { app: 'svc-1' }, nodeName: `node-${round % 20}`, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] });
    if (!edited.ok) throw new Error('edit');
    s = edited.value;
    const dp = compile(s);
    const t = trace(dp, { from: { kind: 'pod', namespace: 'default', name: 'p-0' }, to: { kind: 'service', namespace: 'default', name: 'svc-1', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('trace');
    samples.push(ms(t0));
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
}

console.log(`podpath engine benchmark (node ${process.version}, ${PODS_PER_NODE} pods per node, ${SERVICES.toLocaleString()} Services)\n`);
console.log('nodes    pods      input    parse     allocate  compile   trace     peak heap');
for (const nodes of [100, 1000, 5000]) {
  globalThis.gc?.();
  const r = benchEngine(nodes);
  console.log(`${String(r.nodes).padEnd(8)} ${String(r.pods).padEnd(9)} ${`${r.textMB.toFixed(0)} MB`.padEnd(8)}${fmt(r.parseMs)}${fmt(r.allocateMs)}${fmt(r.compileMs)}${fmt(r.traceMs)}   ${mb(process.memoryUsage().heapUsed)}`);
}
const cli = benchCli(5000);
console.log(`\nnpx podpath trace, end to end, 5,000 nodes / 150,000 pods / 10,000 Services: ${(cli.wall / 1000).toFixed(2)} s, peak RSS ${mb(cli.maxRss)} (goal < 3 s, < 1.5 GB) — verdict ${cli.verdict}`);
const edit = benchEdit();
console.log(`playground edit on 1,000 pods (add a pod → allocate → compile → trace): median ${edit.median.toFixed(2)} ms, p90 ${edit.p90.toFixed(2)} ms (goal < 10 ms)`);
