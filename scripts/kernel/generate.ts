// Random small clusters for the kernel differential, as scenario files (the same
// multi-document YAML a person writes), from a seed so a failure can be re-run.
import type { CniMode, KubeProxyMode } from '../../src/sim/model.ts';
import { DEFAULT_KUBE_PROXY } from '../../src/sim/proxy/modes.ts';

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Generated {
  name: string;
  yaml: string;
}

const APPS = ['web', 'api', 'db'];

/**
 * 2-3 nodes, 3-6 pods (some bound to a node, some placed by the scheduler), one
 * Service per app (ClusterIP or NodePort, targetPort by number or by name), one
 * hostPort now and then; `withUdp` adds a UDP app and a Service without endpoints.
 */
export function generateScenario(cni: CniMode, seed: number, withUdp = false, kubeProxy: KubeProxyMode = DEFAULT_KUBE_PROXY): Generated {
  const rnd = prng(seed);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const docs: string[] = [];
  const nodeCount = 2 + Math.floor(rnd() * 2);
  docs.push(
    [
      'apiVersion: podpath.dev/v1alpha1',
      'kind: Cluster',
      'metadata:',
      `  name: gen-${cni}-${seed}${kubeProxy === DEFAULT_KUBE_PROXY ? '' : `-${kubeProxy}`}`,
      'spec:',
      `  podCIDR: 10.${pick([244, 42])}.0.0/16`,
      `  nodeCIDRMaskSize: ${pick([24, 25])}`,
      '  serviceCIDR: 10.96.0.0/12',
      `  nodeNetwork: 192.168.${pick([56, 57])}.0/24`,
      `  cni: ${cni}`,
      `  kubeProxy: ${kubeProxy}`,
      // Calico: a pool this kernel can build (no IPIP): BGP, VXLAN or VXLAN CrossSubnet by the seed.
      ...(cni === 'calico' ? ['  calico:', '    ipipMode: Never', `    vxlanMode: ${pick(['Never', 'Always', 'CrossSubnet'])}`, `    blockSize: ${pick([26, 27])}`] : []),
      // Cilium: with its kube-proxy replacement (socket-LB), the Services podpath models for it.
      ...(cni === 'cilium' ? ['  cilium:', '    kubeProxyReplacement: true'] : []),
    ].join('\n'),
  );
  const nodes = Array.from({ length: nodeCount }, (_, i) => `w${seed % 97}-${i + 1}`);
  for (const n of nodes) docs.push(['apiVersion: v1', 'kind: Node', 'metadata:', `  name: ${n}`, '  labels:', `    kubernetes.io/hostname: ${n}`].join('\n'));

  const podCount = 3 + Math.floor(rnd() * 4);
  const apps = APPS.slice(0, withUdp ? 2 : 1 + Math.floor(rnd() * 2));
  // withUdp: the second app serves UDP (a DNS-like Service on port 53).
  const appPort = new Map(apps.map((a, i) => [a, { port: 8080 + i * 10, udp: withUdp && i === 1 }]));
  let hostPortGiven = false;
  const podsOf = new Map<string, number>();
  for (let i = 0; i < podCount; i++) {
    const app = i === 0 ? 'client' : pick(apps);
    podsOf.set(app, (podsOf.get(app) ?? 0) + 1);
    const name = `${app}-${i}`;
    const bound = rnd() < 0.6;
    const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, '  namespace: default', '  labels:', `    app: ${app}`, 'spec:'];
    if (bound) lines.push(`  nodeName: ${pick(nodes)}`);
    lines.push('  containers:', `    - name: ${app}`, '      image: busybox');
    const ap = appPort.get(app);
    if (ap) {
      lines.push('      ports:', '        - name: main', `          containerPort: ${ap.port}`, `          protocol: ${ap.udp ? 'UDP' : 'TCP'}`);
      if (!hostPortGiven && !ap.udp && rnd() < 0.7) {
        lines.push(`          hostPort: ${9000 + i}`);
        hostPortGiven = true;
      }
    }
    docs.push(lines.join('\n'));
  }
  for (const app of apps) {
    const ap = appPort.get(app)!;
    // (Under Cilium the UDP Service is always a NodePort: its UDP path through nodeport_lb4 is then run in the kernel.)
    const nodePort = rnd() < 0.6 || (cni === 'cilium' && ap.udp);
    docs.push(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: ${app}`,
        '  namespace: default',
        'spec:',
        `  type: ${nodePort ? 'NodePort' : 'ClusterIP'}`,
        // Cilium serves a NodePort from outside as podpath models it with externalTrafficPolicy Local (nodeport_lb4):
        // seed 15844 gives nodes with two, one and no backend of each, TCP and UDP.
        ...(nodePort && cni === 'cilium' ? ['  externalTrafficPolicy: Local'] : []),
        '  selector:',
        `    app: ${app}`,
        '  ports:',
        `    - name: main`,
        `      port: ${ap.udp ? 53 : 80}`,
        `      targetPort: ${rnd() < 0.5 ? ap.port : 'main'}`,
        `      protocol: ${ap.udp ? 'UDP' : 'TCP'}`,
      ].join('\n'),
    );
  }
  // A Service whose selector matches nothing: kube-proxy REJECTs it.
  if (withUdp || rnd() < 0.5) {
    docs.push(
      ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: nobody', '  namespace: default', 'spec:', '  selector:', '    app: nobody', '  ports:', '    - port: 80', '      targetPort: 8080', '      protocol: TCP'].join('\n'),
    );
  }
  return { name: `generated ${cni} seed ${seed}${withUdp ? ' +udp' : ''}${kubeProxy === DEFAULT_KUBE_PROXY ? '' : ` kube-proxy ${kubeProxy}`}`, yaml: docs.join('\n---\n') + '\n' };
}
