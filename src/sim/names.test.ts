// One rule for names, Kubernetes' own, whether a name comes from a file or an edit.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, emptyScenario, parseScenario, type Result, type Scenario } from './index.ts';
import * as edit from './edit.ts';
import { isLabelKey, isLabelValue, nameProblem, portNameProblem, servicePortNamesProblem } from './names.ts';
import { cluster, node, pod, service } from './testing/helpers.ts';

function value(r: Result<Scenario>): Scenario {
  if (!r.ok) throw new Error(r.issues.map((i) => i.reason).join('; '));
  return r.value;
}
function reasons<W>(r: Result<Scenario, W>): string[] {
  return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.reason}`);
}

describe('names, as the API server checks them', () => {
  it('a pod or node name is an RFC 1123 subdomain: dots allowed, 253 characters', () => {
    for (const kind of ['Pod', 'Node'] as const) {
      expect(nameProblem(kind, 'web.v1-2')).toBeUndefined();
      expect(nameProblem(kind, '1st')).toBeUndefined();
      expect(nameProblem(kind, 'a'.repeat(253))).toBeUndefined();
      expect(nameProblem(kind, 'a'.repeat(254))).toContain('at most 253 characters');
      // Every part between dots starts and ends with a letter or digit.
      for (const bad of ['a..b', 'a.-b', 'web-', '.web', 'Web', 'web_1', '']) expect(nameProblem(kind, bad)).toBeDefined();
    }
  });
  it('a namespace (and a StatefulSet) name is an RFC 1123 label: no dots, 63 characters', () => {
    for (const kind of ['Namespace', 'StatefulSet'] as const) {
      expect(nameProblem(kind, '1shop')).toBeUndefined();
      expect(nameProblem(kind, 'a'.repeat(63))).toBeUndefined();
      expect(nameProblem(kind, 'a'.repeat(64))).toBeDefined();
      expect(nameProblem(kind, 'shop.eu')).toBeDefined();
    }
  });
  it('a Service name is an RFC 1035 label: it starts with a letter', () => {
    expect(nameProblem('Service', 'web-1')).toBeUndefined();
    expect(nameProblem('Service', '1web')).toBe(
      "\"1web\" is not a valid name: Kubernetes requires a Service name to be an RFC 1035 label: at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
    );
    expect(nameProblem('Service', 'web.v1')).toBeDefined();
  });
  it('label keys may carry a DNS subdomain prefix; values are at most 63 characters', () => {
    expect(isLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(isLabelKey('Tier_1')).toBe(true);
    expect(isLabelKey('a/b/c')).toBe(false);
    expect(isLabelKey('Example.com/x')).toBe(false);
    expect(isLabelKey(`x/${'a'.repeat(64)}`)).toBe(false);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('v1.2_beta')).toBe(true);
    expect(isLabelValue('-v1')).toBe(false);
    expect(isLabelValue('a'.repeat(64))).toBe(false);
  });
  it('port names are IANA service names: 15 characters, a letter, no double hyphen', () => {
    expect(portNameProblem('http-alt')).toBeUndefined();
    for (const bad of ['8080', 'metrics-endpoint', 'http--alt', '-http', 'HTTP']) expect(portNameProblem(bad)).toBeDefined();
  });
  it('a Service port name is an RFC 1123 label, used once; with two ports each needs one', () => {
    expect(servicePortNamesProblem([{}])).toBeUndefined();
    expect(servicePortNamesProblem([{ name: 'http' }, {}])).toEqual({ reason: 'when a Service has more than one port, every port needs a name' });
    expect(servicePortNamesProblem([{ name: 'http' }, { name: 'http' }])).toEqual({ index: 1, reason: 'port name "http" is used twice in this Service' });
    expect(servicePortNamesProblem([{ name: 'web.http' }])?.index).toBe(0);
  });
});

describe('import and edit apply the same rule', () => {
  const base = () => {
    let s = value(allocate(emptyScenario()));
    s = value(edit.addNode(s, 'node-1'));
    return value(edit.addPod(s, 'node-1', { name: 'client' }));
  };
  const importReasons = (text: string) => reasons(parseScenario(cluster('flannel-vxlan') + node('node-1') + text));

  it('a dotted pod name is valid both ways; a Service name starting with a digit is refused both ways', () => {
    expect(importReasons(pod('web.v1', 'node-1', {}))).toEqual([]);
    expect(value(edit.addPod(base(), 'node-1', { name: 'web.v1' })).pods.map((p) => p.name)).toContain('web.v1');
    const fromFile = importReasons(service('1web', {}, [{ port: 80 }]));
    const fromEdit = reasons(edit.addService(base(), { name: '1web' }));
    expect(fromFile).toEqual([`metadata.name: ${nameProblem('Service', '1web')}`]);
    expect(fromEdit).toEqual(fromFile);
    expect(reasons(edit.rename(value(edit.addService(base(), { name: 'web' })), 'service', 'default/web', '1web'))).toEqual(fromFile);
  });
  it('a namespace with a dot is refused both ways', () => {
    const fromFile = reasons(parseScenario(cluster('flannel-vxlan') + node('node-1') + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop.eu}\nspec: {nodeName: node-1, containers: [{name: c, image: x}]}\n'));
    expect(fromFile).toEqual([`metadata.namespace: ${nameProblem('Namespace', 'shop.eu')}`]);
    expect(reasons(edit.addPod(base(), 'node-1', { name: 'p', namespace: 'shop.eu' }))).toEqual(fromFile);
  });
  it('labels and selectors: the same keys and values refused both ways', () => {
    expect(importReasons(pod('p', 'node-1', { '-app': 'web' }))).toEqual(['metadata.labels: "-app" is not a valid label key']);
    expect(reasons(edit.setLabels(base(), 'pod', 'default/client', { '-app': 'web' }))).toEqual(['metadata.labels: "-app" is not a valid label key']);
    expect(importReasons(service('web', { app: 'a b' }, [{ port: 80 }]))).toEqual(['spec.selector: "a b" is not a valid label value for "app"']);
  });
  it('a Service with two ports needs both named, on import and on edit (the Inspector names them)', () => {
    const ports = [
      { port: 80, targetPort: 8080, protocol: 'TCP' as const, name: 'http' },
      { port: 443, targetPort: 8443, protocol: 'TCP' as const },
    ];
    expect(importReasons(service('web', {}, ports))).toEqual(['spec.ports: when a Service has more than one port, every port needs a name']);
    const s = value(edit.addService(base(), { name: 'web' }));
    expect(reasons(edit.setServicePorts(s, 'default/web', ports))).toEqual(['spec.ports: when a Service has more than one port, every port needs a name']);
    const dup = [ports[0], { ...ports[1], name: 'http' }];
    expect(reasons(edit.setServicePorts(s, 'default/web', dup))).toEqual(['spec.ports[1].name: port name "http" is used twice in this Service']);
    expect(importReasons(service('web', {}, dup))).toEqual(['spec.ports[1].name: port name "http" is used twice in this Service']);
    expect(value(edit.setServicePorts(s, 'default/web', [ports[0], { ...ports[1], name: 'https' }])).services[0].ports.map((p) => p.name)).toEqual(['http', 'https']);
  });
  it('a named targetPort follows the port-name rule both ways', () => {
    const long = [{ port: 80, targetPort: 'metrics-endpoint', protocol: 'TCP' as const }];
    expect(importReasons(service('web', {}, long))).toEqual([`spec.ports[0].targetPort: ${portNameProblem('metrics-endpoint')}`]);
    const s = value(edit.addService(base(), { name: 'web' }));
    expect(reasons(edit.setServicePorts(s, 'default/web', long))).toEqual([`spec.ports[0].targetPort: ${portNameProblem('metrics-endpoint')}`]);
  });
});

describe("the character loops say what Kubernetes' patterns say", () => {
  // The patterns as Kubernetes writes them (apimachinery validation), against podpath's loops, on strings of the characters that matter.
  const chars = fc.constantFrom(...'abcXYZ019-._/'.split(''));
  const text = fc.array(chars, { maxLength: 12 }).map((a) => a.join(''));
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  it('RFC 1123 labels (namespace names), subdomains (pod names) and label values', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(nameProblem('Namespace', s) === undefined).toBe(label.test(s));
        expect(nameProblem('Pod', s) === undefined).toBe(subdomain.test(s));
        expect(nameProblem('Deployment', s) === undefined).toBe(subdomain.test(s));
        expect(isLabelValue(s)).toBe(s === '' || labelName.test(s));
      }),
      { numRuns: 3000 },
    );
  });
});
