// What reads a node's tables (the walk, `show`, the lab) imports this: the builders of
// the rules the first view never reads load with it (felix's filter chains,
// kube-proxy's nftables table; see cni/daemonRules.ts).
import '../cni/calicoPolicy.ts';
import '../proxy/nftables.ts';
