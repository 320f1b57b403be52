import { describe, expect, it } from 'vitest';
import { cluster, node, pod, scenarioFile, service } from '../testing/helpers.ts';
import { formatLessonIssue, loadLesson, readLesson, type Lesson, type LessonIssue } from './index.ts';
import { objectKey } from '../model.ts';

const SCENARIO = [
  cluster('bridge-hostgw'),
  node('node-1'),
  node('node-2'),
  pod('client', 'node-1', { app: 'client' }),
  pod('web-a', 'node-1', { app: 'web' }, [{ containerPort: 80 }]),
  pod('web-b', 'node-2', { app: 'web' }, [{ containerPort: 80 }]),
  service('web', { app: 'web' }, [{ port: 80, targetPort: 80 }]),
].join('');

const indent = (text: string, n: number) => text.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

/** A lesson file around these steps (YAML, indented under spec.steps), with the scenario inline. */
function lessonText(steps: string, scenario = `|\n${indent(SCENARIO, 4)}`): string {
  return `apiVersion: podpath.dev/v1alpha1
kind: Lesson
metadata:
  name: test
spec:
  title: A test lesson
  scenario: ${scenario}
  steps:
${indent(steps, 4)}`;
}

const noFiles = () => undefined;
/** The line of the k-th line (from 0) of the steps in lessonText. */
const line = (k: number) => lessonText('').split('\n').length + k;

function load(steps: string, scenario?: string, files: (name: string) => string | undefined = noFiles): Lesson {
  const r = loadLesson(lessonText(steps, scenario), 'test-lesson.yaml', files);
  if (!r.ok) throw new Error(r.issues.map(formatLessonIssue).join('\n'));
  return r.value;
}

function issues(steps: string, scenario?: string, files: (name: string) => string | undefined = noFiles): LessonIssue[] {
  const r = loadLesson(lessonText(steps, scenario), 'test-lesson.yaml', files);
  if (r.ok) throw new Error('expected the lesson to be refused');
  return r.issues;
}

describe('a lesson file', () => {
  it('reads title, scenario and steps, and traces each step against the cluster as it is then', () => {
    const l = load(`- title: Two pods
  say: Both listen on port 80.
  highlight: [pod/default/web-a, pod/web-b, node/node-1, device/node-1/cni0, external, node-network, service/default/web]
  packet: {from: pod/default/client, to: pod/default/web-a:80}
  expect: {verdict: delivered, answeredBy: default/web-a, crosses: [node-1/cni0], avoids: [node-1/eth0]}
- say: web-a is gone.
  edit: {delete: pod/default/web-a}
  packet: {from: pod/default/client, to: service/default/web:80, reply: true}
  expect: {verdict: delivered, answeredBy: default/web-b, candidates: 1, mentions: [KUBE-SEP-]}`);
    expect(l.title).toBe('A test lesson');
    expect(l.steps).toHaveLength(2);
    expect(l.steps[0].trace?.endpoint).toBe('default/web-a');
    expect(l.steps[0].scenario.pods.map((p) => p.name)).toEqual(['client', 'web-a', 'web-b']);
    // The second step's cluster has lost web-a; the first's still has it.
    expect(l.steps[1].scenario.pods.map((p) => p.name)).toEqual(['client', 'web-b']);
    expect(l.steps[1].changes).toEqual([`deleted pod default/web-a on node-1 (${l.scenario.pods[1].podIP})`]);
    expect(l.steps[1].packet?.reply).toBe(true);
    expect(l.steps[1].trace?.reply.length).toBeGreaterThan(0);
    expect(l.steps[0].highlight).toContainEqual({ kind: 'pod', namespace: 'default', name: 'web-b' });
  });

  it('reads the scenario from a file in public/scenarios/ by name', () => {
    const l = load(`- say: The demo.
  packet: {from: pod/default/client, to: service/default/web:80, endpoint: 1}
  expect: {answeredBy: default/web-2}`, 'demo.yaml', (name) => (name === 'demo.yaml' ? scenarioFile('demo.yaml') : undefined));
    expect(l.scenario.pods.map((p) => p.name)).toEqual(['client', 'web-1', 'web-2']);
    expect(l.steps[0].packet?.endpoint).toBe(1);
  });

  it('switches the CNI before a step, and says what moved', () => {
    const l = load(`- say: host-gw.
  packet: {from: pod/default/client, to: pod/default/web-b:80}
  expect: {avoids: [node-1/flannel.1]}
- say: VXLAN.
  cni: flannel-vxlan
  packet: {from: pod/default/client, to: pod/default/web-b:80}
  expect: {crosses: [node-1/flannel.1], mentions: [VXLAN]}
- say: VPC.
  cni: vpc
  highlight: [pod/default/web-b]`);
    expect(l.steps[1].scenario.cluster.cni).toBe('flannel-vxlan');
    expect(l.steps[1].changes).toEqual(['the CNI is now flannel-vxlan']);
    expect(l.steps[2].changes[1]).toMatch(/^the pods were made anew with addresses from vpc's plan: client 192\.168\.56\./);
  });

  it('adds a pod, publishes a hostPort, moves a pod', () => {
    const l = load(`- say: A new pod and a hostPort.
  edit:
    - addPod: {name: db, node: node-2, labels: {app: db}, ports: [{containerPort: 5432}]}
    - hostPort: {pod: pod/default/web-b, containerPort: 80, hostPort: 8080}
    - move: {pod: pod/default/web-a, node: node-2}
  packet: {from: external, to: node/node-2:8080}
  expect: {verdict: delivered, answeredBy: default/web-b, mentions: [CNI-HOSTPORT-DNAT]}`);
    const s = l.steps[0].scenario;
    expect(s.pods.find((p) => p.name === 'db')).toMatchObject({ nodeName: 'node-2', labels: { app: 'db' }, ports: [{ containerPort: 5432, protocol: 'TCP' }] });
    expect(s.pods.find((p) => p.name === 'web-b')?.ports).toEqual([{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }]);
    expect(s.pods.find((p) => p.name === 'web-a')?.nodeName).toBe('node-2');
    expect(l.steps[0].changes).toHaveLength(3);
    expect(l.steps[0].changes[1]).toBe("pod default/web-b's port 80/TCP is now hostPort 8080 on node-2 (192.168.56.11)");
  });

  it('a step may expect its edit to be refused, with the engine\'s reason', () => {
    const l = load(`- say: Taken.
  edit:
    - hostPort: {pod: pod/default/web-b, containerPort: 80, hostPort: 8080}
- say: A second pod on the same hostPort and node is refused.
  edit:
    addPod: {name: web-c, node: node-2, ports: [{containerPort: 80, hostPort: 8080}]}
  expect: {refused: already taken}`);
    expect(l.steps[1].refusal).toMatch(/hostPort 8080\/TCP on node node-2 is already taken by pod default\/web-b/);
    expect(l.steps[1].scenario).toBe(l.steps[0].scenario);
    const wrong = issues(`- say: Not refused at all.
  edit: {delete: pod/default/web-a}
  expect: {refused: whatever}`);
    expect(wrong.map(formatLessonIssue)).toEqual([`test-lesson.yaml step 1, expect.refused: the lesson says this step's edit is refused, but the engine makes it (line ${line(2)})`]);
  });
});

describe('Deployments in a lesson', () => {
  const DEPLOYMENT = [
    cluster('flannel-vxlan'),
    node('node-1'),
    node('node-2'),
    pod('client', 'node-1', { app: 'client' }),
    `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}\n`,
    service('web', { app: 'web' }, [{ port: 80, targetPort: 8080 }]),
  ].join('');
  const scenario = `|\n${indent(DEPLOYMENT, 4)}`;
  const web = (l: Lesson, i: number) => l.steps[i].scenario.pods.filter((p) => p.ownerName === 'web');

  it('scales a Deployment up: pods named as its ReplicaSet names them, placed by the scheduler rule, given addresses by IPAM', () => {
    const l = load(`- say: Two.
  packet: {from: pod/default/client, to: service/default/web:80}
  expect: {candidates: 2}
- say: Three.
  edit: {scale: {deployment: deployment/default/web, replicas: 3}}
  highlight: [deployment/default/web]
  packet: {from: pod/default/client, to: service/default/web:80, endpoint: 2}
  expect: {candidates: 3}`, scenario);
    const [a, b] = web(l, 0);
    const added = web(l, 1)[2];
    const hash = a.labels['pod-template-hash'];
    expect(added.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(added).toMatchObject({ ownerKind: 'Deployment', ownerName: 'web', labels: a.labels, ports: a.ports });
    // node-1 has client and one web pod, node-2 one web pod: the spread rule puts the third on the node with fewer pods.
    expect(added.nodeName).toBe('node-2');
    expect(added.podIP).toBe('10.244.1.3');
    expect([a.podIP, b.podIP]).toEqual(web(l, 1).slice(0, 2).map((p) => p.podIP));
    expect(l.steps[1].changes).toEqual([`the ReplicaSet of Deployment default/web made pod ${added.name} on node-2 (10.244.1.3)`]);
    // The ClusterIP stays.
    expect(l.steps[1].scenario.services[0].clusterIP).toBe(l.steps[0].scenario.services[0].clusterIP);
    expect(l.steps[1].trace?.endpoint).toBe(objectKey(added));
  });

  it('scales down: first a pod on the node holding the most of them, then the newest', () => {
    const l = load(`- say: Four.
  edit: {scale: {deployment: deployment/default/web, replicas: 4}}
- say: One.
  edit: {scale: {deployment: deployment/default/web, replicas: 1}}`, scenario);
    const four = web(l, 0);
    expect(four.map((p) => p.nodeName)).toEqual(['node-2', 'node-1', 'node-2', 'node-1']);
    const left = web(l, 1);
    // Two on each node: the newest goes (on node-1); then node-2 holds more: its newest goes; then one each: the newest.
    expect(left.map((p) => p.name)).toEqual([four[0].name]);
    expect(l.steps[1].changes).toHaveLength(3);
  });

  it("deleting a Deployment's pod: its ReplicaSet replaces it with a new pod, a new name and a new address; the Service's ClusterIP stays", () => {
    const before = web(load('- say: Two.', scenario), 0);
    const l = load(`- say: Two.
- say: Delete one.
  edit: {delete: pod/default/${before[1].name}}
  packet: {from: pod/default/client, to: service/default/web:80, endpoint: 1}
  expect: {candidates: 2}`, scenario);
    const after = web(l, 1);
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before[0]);
    const made = after[1];
    expect(made.name).not.toBe(before[1].name);
    expect(made.name.startsWith(`web-${before[0].labels['pod-template-hash']}-`)).toBe(true);
    // host-local does not hand out the freed address at once: the next one.
    expect(made.podIP).not.toBe(before[1].podIP);
    expect(l.steps[1].changes).toEqual([
      `deleted pod default/${before[1].name} on ${before[1].nodeName} (${before[1].podIP})`,
      `the ReplicaSet of Deployment default/web made pod ${made.name} on ${made.nodeName} (${made.podIP}), to replace it`,
    ]);
    expect(l.steps[1].scenario.services[0].clusterIP).toBe(l.steps[0].scenario.services[0].clusterIP);
    expect(l.steps[1].trace?.candidates).toContain(objectKey(made));
    expect(l.steps[1].trace?.candidates).not.toContain(objectKey(before[1]));
  });

  it('cannot scale to 0 or scale what is not there, and says why at the step and field', () => {
    const found = issues(`- say: Zero.
  edit: {scale: {deployment: deployment/default/web, replicas: 0}}
- say: Nothing.
  edit: {scale: {deployment: deployment/default/nope, replicas: 2}}`, scenario).map(formatLessonIssue);
    expect(found[0]).toMatch(/^test-lesson\.yaml step 1, edit: the engine refuses this edit: Deployment\/default\/web spec\.replicas: podpath cannot scale a Deployment to 0 pods/);
    expect(found[1]).toMatch(/^test-lesson\.yaml step 2, edit: the engine refuses this edit: .*there is no Deployment default\/nope with pods/);
  });
});

describe('a lesson with errors says which file, step and field, and never throws', () => {
  it('a ref that no longer exists at that step (deleted by an earlier one)', () => {
    const found = issues(`- say: Bye web-a.
  edit: {delete: pod/default/web-a}
- say: Where is it?
  highlight: [pod/default/web-a]
  packet: {from: pod/default/client, to: pod/default/web-a:80}`);
    expect(found.map(formatLessonIssue)).toEqual([
      `test-lesson.yaml step 2, highlight[0]: pod/default/web-a: there is no pod default/web-a at this step (pods: default/client, default/web-b) (line ${line(3)})`,
      `test-lesson.yaml step 2, packet.to: the packet does not trace at this step: no pod default/web-a (line ${line(4)})`,
    ]);
    expect(found[0]).toMatchObject({ step: 2, field: 'spec.steps[1].highlight[0]' });
  });

  it('what the lesson says the trace shows, when the engine shows otherwise', () => {
    const found = issues(`- say: Wrong on every count.
  packet: {from: pod/default/client, to: pod/default/web-b:81}
  expect: {verdict: delivered, answeredBy: default/web-a, sourceSeen: 1.2.3.4, mentions: [KUBE-SEP], crosses: [node-2/flannel.1], avoids: [node-1/eth0]}`).map(formatLessonIssue);
    expect(found).toHaveLength(6);
    expect(found[0]).toMatch(/^test-lesson\.yaml step 1, expect\.verdict: the lesson says "delivered", the engine's trace shows "refused" \(/);
    expect(found[1]).toBe(`test-lesson.yaml step 1, expect.answeredBy: the lesson says "default/web-a", the engine's trace shows "default/web-b" (line ${line(2)})`);
    expect(found[2]).toMatch(/expect\.sourceSeen: the lesson says "1\.2\.3\.4", the engine's trace shows "10\.244\.0\.2"/);
    expect(found[3]).toMatch(/expect\.mentions\[0\]: no hop of the engine's trace \(request or reply\) says "KUBE-SEP"/);
    expect(found[4]).toMatch(/expect\.crosses\[0\]: the engine's request does not cross node-2\/flannel\.1/);
    expect(found[5]).toMatch(/expect\.avoids\[0\]: the engine's request crosses node-1\/eth0 at hop \d+/);
  });

  it('shape errors: missing narration, unknown fields, bad refs, bad packet, bad CNI, a device the node lacks', () => {
    const found = issues(`- highlight: [pods/web-a]
- say: ok
  packet: {from: pod/default/client, to: web-a}
  colour: red
- say: ok
  cni: weave
  edit: {explode: pod/default/web-a}
- say: ok
  highlight: [device/node-1/flannel.1]
- say: ok
  packet: {from: pod/default/client, to: service/default/web:80, endpoint: 5}
- say: ok
  question: {ask: Who?, predict: [answer, colour]}`).map(formatLessonIssue);
    expect(found).toEqual([
      `test-lesson.yaml step 1, say: is required (line ${line(0)})`,
      `test-lesson.yaml step 1, highlight[0]: "pods/web-a" is not something podpath can point at: use pod/NAMESPACE/NAME, service/NAMESPACE/NAME, deployment/NAMESPACE/NAME, node/NAME, device/NODE/DEVICE (cni0, eth0, flannel.1, a veth), external or node-network (line ${line(0)})`,
      `test-lesson.yaml step 2, colour: is not a field here (known: title, say, highlight, cni, edit, packet, question, expect) (line ${line(3)})`,
      `test-lesson.yaml step 2, packet.to: "web-a" is not a destination: use pod/NAMESPACE/NAME:PORT, service/NAMESPACE/NAME:PORT, node/NAME:PORT or IP:PORT (the port is missing) (line ${line(2)})`,
      `test-lesson.yaml step 3, cni: must be one of bridge-hostgw, flannel-vxlan, vpc, calico, cilium, got "weave" (line ${line(5)})`,
      `test-lesson.yaml step 3, edit: an edit is one of delete, addPod, hostPort, scale, move (one per entry; give a list for several), got explode (line ${line(6)})`,
      `test-lesson.yaml step 6, question.predict[1]: must be one of answer, verdict, source, devices, got "colour" (line ${line(12)})`,
      `test-lesson.yaml step 6, question: a question needs a packet to predict: add packet (from, to) to this step (line ${line(12)})`,
    ]);
    // Once the shape is right, the cluster is asked.
    const later = issues(`- say: ok
  highlight: [device/node-1/flannel.1]
- say: ok
  packet: {from: pod/default/client, to: service/default/web:80, endpoint: 5}`).map(formatLessonIssue);
    expect(later).toEqual([
      `test-lesson.yaml step 1, highlight[0]: device/node-1/flannel.1: node node-1 has no device flannel.1 at this step (it has lo, eth0, cni0, vetha1d4b674, vethb6bc1e79) (line ${line(1)})`,
      `test-lesson.yaml step 2, packet.endpoint: the packet does not trace at this step: 5 is out of range: this path has 2 endpoints (0-1) (line ${line(3)})`,
    ]);
  });

  it('the document as a whole: not YAML, not a Lesson, no steps, a scenario that is not there or does not load', () => {
    const one = (text: string, files: (n: string) => string | undefined = noFiles) => {
      const r = loadLesson(text, 'x.yaml', files);
      if (r.ok) throw new Error('expected a refusal');
      return r.issues.map(formatLessonIssue);
    };
    expect(one('a: [b')[0]).toMatch(/^x\.yaml: is not valid YAML: .*\(line 1/);
    expect(one('just text')).toEqual(['x.yaml: a lesson file is one Lesson document: apiVersion, kind, metadata, spec']);
    expect(one('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {title: t, scenario: demo.yaml, steps: []}')).toEqual([
      'x.yaml apiVersion: must be podpath.dev/v1alpha1, got "v1" (line 1)',
      'x.yaml kind: must be Lesson, got "Pod" (line 2)',
      'x.yaml spec.steps: a lesson needs at least one step (line 4)',
    ]);
    const lesson = (scenario: string) => `apiVersion: podpath.dev/v1alpha1\nkind: Lesson\nmetadata: {name: x}\nspec:\n  title: t\n  scenario: ${scenario}\n  steps: [{say: hi}]\n`;
    expect(one(lesson('../../etc/passwd'))[0]).toMatch(/spec\.scenario: "\.\.\/\.\.\/etc\/passwd" must be the name of a file in public\/scenarios\//);
    expect(one(lesson('gone.yaml'))).toEqual(['x.yaml spec.scenario: public/scenarios/gone.yaml was not found (line 6)']);
    expect(one(lesson('bad.yaml'), () => 'kind: Pod\nmetadata: {name: "Bad Name"}')[0]).toMatch(/^x\.yaml spec\.scenario: the scenario does not load: /);
  });

  it('never throws, whatever is in the fields', () => {
    const junk = [null, 0, 7, true, 'x', [], [1, 2], {}, { a: 1 }, '::', -1, 1e9];
    const fields = ['say', 'title', 'highlight', 'cni', 'edit', 'packet', 'question', 'expect'];
    for (const field of fields) {
      for (const v of junk) {
        const step = { say: 'hi', [field]: v };
        const text = `apiVersion: podpath.dev/v1alpha1\nkind: Lesson\nmetadata: {name: x}\nspec: ${JSON.stringify({ title: 't', scenario: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }], steps: [step] })}`;
        expect(() => loadLesson(text, 'x.yaml', noFiles)).not.toThrow();
      }
    }
    for (const v of junk) {
      expect(() => readLesson(`apiVersion: podpath.dev/v1alpha1\nkind: Lesson\nmetadata: ${JSON.stringify(v)}\nspec: ${JSON.stringify(v)}`, 'x.yaml')).not.toThrow();
    }
  });
});

describe('two containers of one pod on one port', () => {
  const twoOn80 = `- say: web has two containers on port 80.
  edit:
    addPod:
      name: web
      node: node-1
      containers:
        - {name: nginx, ports: [{containerPort: 80}]}
        - {name: metrics, ports: [{containerPort: 80}, {containerPort: 9100}]}
  packet: {from: pod/default/client, to: pod/default/web:80}
  expect: {warns: [address-in-use], verdict: delivered, answeredBy: default/web}`;

  it('the pod is added (Kubernetes accepts it), with one socket on 80 in its netns, and the step carries the typed address-in-use warning', () => {
    const step = load(twoOn80).steps[0];
    const web = step.scenario.pods.find((p) => p.name === 'web')!;
    expect(web.ports.map((p) => `${p.containerPort}/${p.protocol}`)).toEqual(['80/TCP', '9100/TCP']);
    expect(step.warnings.map((w) => w.code)).toEqual(['address-in-use']);
    expect(step.warnings[0].message).toContain('containers nginx and metrics both declare containerPort 80/TCP');
    expect(step.warnings[0].message).toContain('EADDRINUSE (address already in use)');
    expect(step.trace?.verdict).toBe('delivered');
  });

  it('a step that expects the warning where the engine gives none does not load', () => {
    const found = issues(twoOn80.replace('{containerPort: 80}, {containerPort: 9100}', '{containerPort: 8080}'));
    expect(found.map(formatLessonIssue)).toEqual([expect.stringContaining('step 1, expect.warns[0]: the lesson says the engine warns of address-in-use at this step, but it does not')]);
  });

  it('ports given both beside and under containers are refused, naming the field', () => {
    const found = issues(twoOn80.replace('      node: node-1\n', '      node: node-1\n      ports: [{containerPort: 80}]\n'));
    expect(found[0]).toMatchObject({ field: 'spec.steps[0].edit.addPod.ports', step: 1 });
  });
});
