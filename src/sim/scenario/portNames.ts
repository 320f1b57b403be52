// Kubernetes requires a name on every port of a Service that has more than one
// (the parser refuses such a Service without them). Where podpath itself makes a
// second port (the Inspector's Add port, an old save being migrated), the ports
// without a name get the first free `port-N`.

export function nameUnnamedPorts<P extends { name?: string }>(ports: P[]): P[] {
  if (ports.length < 2 || ports.every((p) => p.name)) return ports;
  const taken = new Set(ports.map((p) => p.name).filter((n): n is string => !!n));
  let n = 1;
  return ports.map((p) => {
    if (p.name) return p;
    while (taken.has(`port-${n}`)) n++;
    taken.add(`port-${n}`);
    return { ...p, name: `port-${n}` };
  });
}
