// Containers in one pod share the pod's network namespace: one eth0, one address, one
// table of ports. Two containers that both listen on the same port and protocol cannot
// both bind it. Kubernetes does not refuse such a pod: validation only refuses a
// hostPort taken twice, and the API server answers a containerPort declared by two
// containers with a warning ("duplicate port definition", pkg/api/pod/warnings.go).
// The failure comes at run time: the second bind() returns EADDRINUSE. One rule,
// used by the scenario reader and by a lesson's edits alike.
import type { ContainerPort, Protocol } from './model.ts';

/** One container's declared ports (a pod's containers, in the order the kubelet starts them). */
export interface ContainerPorts {
  name: string;
  ports: ContainerPort[];
}

/** Two containers of one pod declare the same port: only one of them can listen on it. */
export interface AddressInUse {
  code: 'address-in-use';
  /** The pod, as the reader or the lesson names it (e.g. `Pod/default/web`). */
  pod: string;
  containerPort: number;
  protocol: Protocol;
  /** The container that declares it first (started first by the kubelet). */
  first: string;
  /** The container that declares it again. */
  second: string;
}

/**
 * The ports open in the pod's netns (a port and protocol that several containers
 * declare once: the socket that bound it) and every port a later container declares again.
 */
export function portsInPodNetns(pod: string, containers: readonly ContainerPorts[]): { ports: ContainerPort[]; clashes: AddressInUse[] } {
  // One container (most pods): nothing can clash, and no map is made for each of 150,000 pods.
  if (containers.length === 1) return { ports: containers[0].ports.slice(), clashes: [] };
  const owner = new Map<string, string>();
  const ports: ContainerPort[] = [];
  const clashes: AddressInUse[] = [];
  for (const c of containers) {
    for (const p of c.ports) {
      const id = `${p.containerPort}/${p.protocol}`;
      const first = owner.get(id);
      if (first === undefined || first === c.name) {
        // (The same port listed twice in one container is that container's own affair, as before.)
        owner.set(id, c.name);
        ports.push(p);
      } else {
        clashes.push({ code: 'address-in-use', pod, containerPort: p.containerPort, protocol: p.protocol, first, second: c.name });
      }
    }
  }
  return { ports, clashes };
}

/** What happens, in words: accepted by Kubernetes, refused by the kernel at bind() (with the socket options that would change that). */
export function addressInUseText(c: AddressInUse): string {
  const port = `${c.containerPort}/${c.protocol}`;
  // SO_REUSEPORT (both sockets, same user) lets both bind, TCP or UDP; for UDP so does SO_REUSEADDR on both (udp_lib_lport_inuse).
  const unless = c.protocol === 'UDP' ? 'unless both sockets set SO_REUSEPORT or SO_REUSEADDR' : 'unless both sockets set SO_REUSEPORT, when the kernel shares the connections between them';
  return (
    `${c.pod}: containers ${c.first} and ${c.second} both declare containerPort ${port}. A containerPort opens nothing by itself (it is informational); the clash comes when both programs listen on port ${c.containerPort} on all addresses, as they declare, ` +
    `in the one network namespace a pod's containers share. Kubernetes accepts the pod (the API server only warns of a duplicate port definition); at run time, whichever binds second ` +
    `(the kubelet starts the containers in order, but does not wait for a bind) gets EADDRINUSE (address already in use) from bind(), ${unless}. A server that cannot bind its port usually exits, and the kubelet restarts it again and again (CrashLoopBackOff). ` +
    `A packet to port ${c.containerPort} reaches the socket that did bind.`
  );
}
