// podpath's own small eBPF programs that do, on this machine's kernel, what podpath says
// Cilium's do (Cilium's agent and its programs cannot run here: they need the agent, its
// maps and a Kubernetes API). Built by the lab with clang -target bpf; every value a
// program needs (endpoints, their devices' ifindexes and MACs, the other nodes' podCIDRs,
// the Services' backends) is compiled in from a header the lab writes per node, so
// there are no maps to fill. SPDX-License-Identifier: GPL-2.0 (the programs call
// GPL-only helpers).

/**
 * The tc programs, one section per Cilium program they stand for:
 *   cil_from_container (a pod's lxc, ingress): answers ARP for any address but the
 *     pod's own with the lxc's MAC; then as below; what it passes on it routes first (TTL - 1).
 *   cil_from_host (cilium_host, egress): as below.
 *   cil_from_overlay (cilium_vxlan, ingress): an endpoint of this node as below; anything
 *     else is the host's (ipv4_host_delivery): TTL - 1, MACs set, redirected into
 *     cilium_host's ingress.
 *   cil_from_netdev (eth0, ingress): a NodePort from outside is DNATed to a backend (with
 *     externalTrafficPolicy Local one on this node; none: answered with ICMP port
 *     unreachable). A backend on this node: on up the stack (legacy host routing: even a
 *     packet for a pod of this node, which the stack routes to cilium_host). One on
 *     another node (Cluster): SNATed too (to cilium_host's address in tunnel mode, else
 *     the node's), recorded in the snat_v4_ext map, TTL - 1, and into the tunnel (VNI
 *     world) or out of eth0 by bpf_redirect_neigh. Everything else goes on up the stack.
 *   cil_from_container turns a local backend's reply back (the node's address and
 *     NodePort as its source), TTL - 1, out of eth0 by bpf_redirect_neigh; a remote
 *     backend's reply, found in snat_v4_ext where it comes in (cil_from_overlay in tunnel
 *     mode, cil_from_netdev natively), gets the client back as its destination too.
 *   With a NetworkPolicy: an endpoint's egress is checked where its packet is sent on (in
 *     forward(), after any load balancing), its ingress where a packet is delivered to it;
 *     the denials are the engine's (node.h policy_denies()), and the ct4 map lets replies of
 *     allowed connections through.
 *   Without socket-LB (kubeProxyReplacement false), cil_from_container DNATs a pod's packet
 *     to a ClusterIP to a backend first (per-packet load balancing, recorded in lb4_rev), and
 *     the reply is turned back where it is delivered to the client (the Service as source).
 * The programs of a node are loaded together (bpftool prog loadall), so they share the maps.
 *   cil_to_netdev (eth0, egress), cil_to_host (cilium_host and cilium_net, ingress),
 *     cil_to_overlay (cilium_vxlan, egress): let every packet through.
 * "As below": a destination that is an endpoint of this node is routed to it (TTL - 1,
 * the IP checksum fixed, MACs rewritten, out of its lxc by bpf_redirect); one in another node's podCIDR gets the tunnel
 * key (that node's address; VNI the source's identity, LOCAL_NODE_ID for the node's own)
 * and goes to cilium_vxlan; anything else goes on (TC_ACT_OK).
 */
export const CILIUM_TC_C = String.raw`// SPDX-License-Identifier: GPL-2.0
// podpath lab: stands for Cilium's cil_from_container / cil_from_host / cil_from_overlay,
// and the programs that only let podpath's packets through.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <stddef.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct ep {
	__u32 ifindex;
	__u8 pod_mac[6];
	__u8 lxc_mac[6];
};

/* A remote backend's reply, as its SNAT left it: its address and port, the port it goes
 * to (the client's, kept by the SNAT) and the protocol. Cilium keeps this in
 * cilium_snat_v4_external and the NodePort in the connection's CT entry: one map here. */
/* Cilium's maps of connections are LRU hashes too (cilium_snat_v4_external, cilium_ct4_global). */
#define LRU_MAP(name, key_type, value_type) \
	struct { \
		__uint(type, BPF_MAP_TYPE_LRU_HASH); \
		__uint(max_entries, 65536); \
		__type(key, key_type); \
		__type(value, value_type); \
	} name SEC(".maps")

/* The packet's IPv4 header (no options: podpath's probes send none) and the TCP or UDP
 * ports after it: 0 when it is no such packet (ARP, ICMP, too short), which every
 * function below that rewrites or tracks connections leaves alone. */
static __always_inline int ipv4_l4(struct __sk_buff *skb, struct iphdr **ip, __be16 **ports)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	*ip = data + sizeof(*eth);
	*ports = data + sizeof(*eth) + sizeof(struct iphdr);
	if ((void *)(*ports + 2) > end || eth->h_proto != bpf_htons(ETH_P_IP) || (*ip)->ihl != 5)
		return 0;
	return (*ip)->protocol == IPPROTO_TCP || (*ip)->protocol == IPPROTO_UDP;
}

/* The IPv4 header again after a helper that may move the packet (bpf_skb_store_bytes, a map
 * update, a checksum fix): 0 when the frame is too short for one (Cilium's revalidate_data). */
static __always_inline int revalidate_ip(struct __sk_buff *skb, struct iphdr **ip)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	*ip = data + sizeof(struct ethhdr);
	return (void *)(*ip + 1) <= end;
}

struct snat_key {
	__be32 backend;
	__be16 backend_port;
	__be16 port;
	__u8 proto;
	__u8 pad[3];
};

struct snat_entry {
	__be32 client;
	__be16 nodeport;
	__u8 pad[2];
};

LRU_MAP(snat_v4_ext, struct snat_key, struct snat_entry);

#define WORLD_ID 2

/* Per-packet load balancing (no socket-LB): a backend's reply to a client, as the DNAT left
 * the connection, → the Service the client sent to. Cilium keeps this as the CT entry's
 * rev_nat_index (cilium_ct4_global) and the Service in cilium_lb4_reverse_nat. */
struct lb_key {
	__be32 backend;
	__be32 client;
	__be16 backend_port;
	__be16 client_port;
	__u8 proto;
	__u8 pad[3];
};

struct lb_service {
	__be32 ip;
	__be16 port;
	__u8 pad[2];
};

LRU_MAP(lb4_rev, struct lb_key, struct lb_service);

#define MAC(m, a, b, c, d, e, f) do { (m)[0] = a; (m)[1] = b; (m)[2] = c; (m)[3] = d; (m)[4] = e; (m)[5] = f; } while (0)

/* node.h, written by the lab for this node: VXLAN_IFINDEX, HOST_IFINDEX, host_mac(),
 * net_mac(), vxlan_mac(), is_host(), lookup_ep(), lookup_remote(), identity_of() and lxc_mac_of(). */
#include "node.h"

struct arp_eth {
	__be16 hrd, pro;
	__u8 hln, pln;
	__be16 op;
	__u8 sha[6];
	__be32 sip;
	__u8 tha[6];
	__be32 tip;
} __attribute__((packed));

/* ipv4_l3's TTL decrement, the IP checksum fixed; 0 when the TTL ran out. */
static __always_inline int dec_ttl(struct __sk_buff *skb, struct iphdr *ip)
{
	__u16 old, new;

	if (ip->ttl <= 1)
		return 0;
	old = *(__u16 *)&ip->ttl;
	ip->ttl--;
	new = *(__u16 *)&ip->ttl;
	bpf_l3_csum_replace(skb, sizeof(struct ethhdr) + offsetof(struct iphdr, check), old, new, 2);
	return 1;
}

#define FROM_CONTAINER 1
#define FROM_HOST 2
#define FROM_OVERLAY 3

/* A packet the node's own stack made (it has a socket), not one it forwards: Cilium knows
 * these by CILIUM_OUTPUT's mark (the host's identity); a forwarded one, even masqueraded to
 * a node address, is world's (inherit_identity_from_host). */
static __always_inline int made_here(struct __sk_buff *skb)
{
	return skb->sk != 0;
}

/* NetworkPolicy (POLICED, node.h): a connection's tuple as first seen, as Cilium's conntrack
 * (cilium_ct4_global) keeps it, so a reply (CT_REPLY) skips the policy. */
struct ct_key {
	__be32 src;
	__be32 dst;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

LRU_MAP(ct4, struct ct_key, __u8);

/* policy_can_egress4 (egress = 1, in the sending endpoint's program) or the destination's
 * policy program (egress = 0): a reply of a tracked connection passes; a new connection
 * passes where no policy denies it, and is tracked; 0 means drop (DROP_POLICY). The node's
 * own addresses reach its endpoints unpoliced (--allow-localhost). */
static __always_inline int policy_passes(struct __sk_buff *skb, int egress, int from)
{
	struct iphdr *ip;
	__be16 *ports;
	struct ct_key k = {}, r = {};
	__u8 one = 1;

	if (!POLICED || !ipv4_l4(skb, &ip, &ports))
		return 1;
	k.src = ip->saddr;
	k.dst = ip->daddr;
	k.sport = ports[0];
	k.dport = ports[1];
	k.proto = ip->protocol;
	r.src = k.dst;
	r.dst = k.src;
	r.sport = k.dport;
	r.dport = k.sport;
	r.proto = k.proto;
	if (bpf_map_lookup_elem(&ct4, &r))
		return 1;
	/* The node's own packets to its endpoints are not policed (made_here: see below). */
	if (!(!egress && from == FROM_HOST && made_here(skb)) &&
	    policy_denies(egress, egress ? k.src : k.dst, egress ? k.dst : k.src, k.proto, bpf_ntohs(k.dport)))
		return 0;
	bpf_map_update_elem(&ct4, &k, &one, BPF_ANY);
	return 1;
}

static __always_inline int xlate(struct __sk_buff *skb, __u8 proto, int dst, __be32 old_ip, __be32 new_ip, __be16 old_port, __be16 new_port);

/* The reply of a per-packet load-balanced connection (lb4_rev), turned back: 0 when it was
 * none or is done, -1 when the rewrite failed. */
static __always_inline int rev_lb(struct __sk_buff *skb)
{
	struct iphdr *ip;
	__be16 *ports;
	struct lb_key k = {};
	struct lb_service *v, svc;
	__be32 backend;
	__be16 bport;
	__u8 proto;

	if (!ipv4_l4(skb, &ip, &ports))
		return 0;
	k.backend = ip->saddr;
	k.backend_port = ports[0];
	k.client = ip->daddr;
	k.client_port = ports[1];
	k.proto = ip->protocol;
	v = bpf_map_lookup_elem(&lb4_rev, &k);
	if (!v)
		return 0;
	svc = *v;
	proto = ip->protocol;
	backend = ip->saddr;
	bport = ports[0];
	return xlate(skb, proto, 0, backend, svc.ip, bport, svc.port) < 0 ? -1 : 0;
}

/* from FROM_CONTAINER: Cilium's pass_to_stack routes the packet (ipv4_l3) before handing it
 * to the node's stack. From FROM_OVERLAY: what is for no local endpoint is the host's. */
static __always_inline int forward(struct __sk_buff *skb, int from)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct ep e = {};
	__u32 node_ip = 0;
	__u8 mac[6];

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	/* The sending endpoint's egress policy (after any load balancing: the backend is the destination). */
	if (from == FROM_CONTAINER && !policy_passes(skb, 1, from))
		return TC_ACT_SHOT;
	if (!revalidate_ip(skb, &ip))
		return TC_ACT_OK;
	if (from == FROM_HOST) {
		/* bpf_host.c rewrite_dmac_to_host: at cilium_host's egress, the destination MAC becomes cilium_net's. */
		net_mac(mac);
		bpf_skb_store_bytes(skb, 0, mac, 6, 0);
		if (!revalidate_ip(skb, &ip))
			return TC_ACT_OK;
	}
	if (lookup_ep(ip->daddr, &e)) {
		/* The destination's ingress policy (tail_ipv4_policy), before anything is rewritten. */
		if (!policy_passes(skb, 0, from))
			return TC_ACT_SHOT;
		/* The reply of a connection this node load-balanced per packet: the Service back as
		 * its source (ipv4_policy: CT_REPLY with rev_nat_index, lb4_rev_nat). */
		if (rev_lb(skb) < 0 || !revalidate_ip(skb, &ip))
			return TC_ACT_SHOT;
		/* Routed, as Cilium's local delivery (ipv4_l3): the TTL drops by one. Legacy host
		 * routing: out of the destination's lxc with bpf_redirect (not bpf_redirect_peer). */
		if (!dec_ttl(skb, ip))
			return TC_ACT_SHOT;
		bpf_skb_store_bytes(skb, 0, e.pod_mac, 6, 0);
		bpf_skb_store_bytes(skb, 6, e.lxc_mac, 6, 0);
		return bpf_redirect(e.ifindex, 0);
	}
	if (from == FROM_OVERLAY) {
		/* ipv4_host_delivery: routed (TTL - 1), destination MAC cilium_host's, source cilium_vxlan's, into cilium_host's ingress. */
		if (!dec_ttl(skb, ip))
			return TC_ACT_SHOT;
		host_mac(mac);
		bpf_skb_store_bytes(skb, 0, mac, 6, 0);
		vxlan_mac(mac);
		bpf_skb_store_bytes(skb, 6, mac, 6, 0);
		return bpf_redirect(HOST_IFINDEX, BPF_F_INGRESS);
	}
	if (is_host(ip->daddr)) {
		/* The node's own address (Cilium's host endpoint): up its stack, whatever MAC the
		 * inner frame carries. */
		if (from == FROM_CONTAINER && !dec_ttl(skb, ip))
			return TC_ACT_SHOT;
		bpf_skb_change_type(skb, 0 /* PACKET_HOST */);
		return TC_ACT_OK;
	}
	if (lookup_remote(ip->daddr, &node_ip)) {
		struct bpf_tunnel_key key = {};
		key.remote_ipv4 = node_ip;
		/* What the host stack hands cil_from_host is the node's own (LOCAL_NODE_ID) only if it made it. */
		key.tunnel_id = from == FROM_HOST && !made_here(skb) ? WORLD_ID : identity_of(ip->saddr);
		key.tunnel_ttl = 64;
		/* As Cilium's ctx_set_encap_info: no outer UDP checksum. */
		if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX) < 0)
			return TC_ACT_SHOT;
		/* No netfilter mark goes with it into the tunnel (inherit_identity_from_host clears it;
		 * from 1.16 cil_to_overlay sets Cilium's own): the outer packet meets no kube-proxy masquerade mark. */
		skb->mark = 0;
		return bpf_redirect(VXLAN_IFINDEX, 0);
	}
	if (from == FROM_CONTAINER && !dec_ttl(skb, ip))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

/* NodePort (nodeport_lb4 in cil_from_netdev) for externalTrafficPolicy Local: node.h's
 * nodeport_pick() gives a backend on this node and nodeport_of() the NodePort a backend
 * serves. Stateless where Cilium keeps conntrack (cilium_ct4_global, node_port set): the
 * backend is picked by a hash of the client's address and port, so every packet of a
 * connection goes to the same one (and the lab's tries, each from a new port, to all of
 * them); a backend's packet to an address outside the cluster is taken to be such a
 * connection's reply, which holds in the lab, where nothing outside reaches a pod's address. */
#define IP_CSUM_OFF (sizeof(struct ethhdr) + offsetof(struct iphdr, check))

/* The L4 checksum's offset (TCP 16, UDP 6) and the flags its update needs (UDP's 0 is "none"). */
static __always_inline int l4_csum(__u8 proto, __u32 *off, __u64 *flags)
{
	if (proto == IPPROTO_TCP) {
		*off = sizeof(struct ethhdr) + sizeof(struct iphdr) + 16;
		*flags = 0;
		return 1;
	}
	if (proto == IPPROTO_UDP) {
		*off = sizeof(struct ethhdr) + sizeof(struct iphdr) + 6;
		*flags = BPF_F_MARK_MANGLED_0;
		return 1;
	}
	return 0;
}

/* Rewrite the destination (dst = 1) or the source address and port, checksums fixed (lb4_xlate, lb4_rev_nat). */
static __always_inline int xlate(struct __sk_buff *skb, __u8 proto, int dst, __be32 old_ip, __be32 new_ip, __be16 old_port, __be16 new_port)
{
	__u32 off;
	__u64 flags;
	__u32 ip_off = sizeof(struct ethhdr) + (dst ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr));
	__u32 port_off = sizeof(struct ethhdr) + sizeof(struct iphdr) + (dst ? 2 : 0);

	if (!l4_csum(proto, &off, &flags))
		return -1;
	if (bpf_l4_csum_replace(skb, off, old_ip, new_ip, flags | BPF_F_PSEUDO_HDR | 4) < 0 ||
	    bpf_l4_csum_replace(skb, off, old_port, new_port, flags | 2) < 0 ||
	    bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_ip, new_ip, 4) < 0 ||
	    bpf_skb_store_bytes(skb, ip_off, &new_ip, 4, 0) < 0 ||
	    bpf_skb_store_bytes(skb, port_off, &new_port, 2, 0) < 0)
		return -1;
	return 0;
}

static __always_inline __u16 csum_fold(__s64 sum)
{
	__u32 c = (__u32)sum;

	c = (c & 0xffff) + (c >> 16);
	c = (c & 0xffff) + (c >> 16);
	return (__u16)~c;
}

/* __tail_no_service_ipv4 (service-no-backend-response: reject): the packet becomes an ICMP
 * port unreachable to its sender (the original IP header and 8 bytes of L4 quoted), sent
 * back out of the device it came in by. */
static __always_inline int no_service(struct __sk_buff *skb)
{
	struct {
		struct iphdr ip;
		struct {
			__u8 type, code;
			__u16 checksum;
			__be32 unused;
		} icmp;
		__u8 quoted[28];
	} __attribute__((packed)) r = {};
	__u8 macs[12], swapped[12];

	if (bpf_skb_load_bytes(skb, 0, macs, 12) < 0 || bpf_skb_load_bytes(skb, sizeof(struct ethhdr), r.quoted, 28) < 0)
		return TC_ACT_SHOT;
	__builtin_memcpy(swapped, macs + 6, 6);
	__builtin_memcpy(swapped + 6, macs, 6);
	r.ip.version = 4;
	r.ip.ihl = 5;
	r.ip.tot_len = bpf_htons(sizeof(r));
	r.ip.ttl = 64;
	r.ip.protocol = IPPROTO_ICMP;
	/* The quoted header's destination (this node) answers its source. */
	__builtin_memcpy(&r.ip.saddr, r.quoted + 16, 4);
	__builtin_memcpy(&r.ip.daddr, r.quoted + 12, 4);
	r.ip.check = csum_fold(bpf_csum_diff(0, 0, (__be32 *)&r, sizeof(r.ip), 0));
	r.icmp.type = 3; /* destination unreachable */
	r.icmp.code = 3; /* port unreachable */
	r.icmp.checksum = csum_fold(bpf_csum_diff(0, 0, (__be32 *)((__u8 *)&r + sizeof(r.ip)), sizeof(r.icmp) + sizeof(r.quoted), 0));
	if (bpf_skb_change_tail(skb, sizeof(struct ethhdr) + sizeof(r), 0) < 0 ||
	    bpf_skb_store_bytes(skb, 0, swapped, 12, 0) < 0 ||
	    bpf_skb_store_bytes(skb, sizeof(struct ethhdr), &r, sizeof(r), 0) < 0)
		return TC_ACT_SHOT;
	return bpf_redirect(skb->ifindex, 0);
}

/* A NodePort reply turned back: routed (ipv4_l3, TTL - 1) and sent out of eth0 to the neighbour the FIB gives (fib_redirect). */
static __always_inline int routed_out_eth0(struct __sk_buff *skb)
{
	struct iphdr *ip;

	if (!revalidate_ip(skb, &ip) || !dec_ttl(skb, ip))
		return TC_ACT_SHOT;
	return bpf_redirect_neigh(ETH0_IFINDEX, NULL, 0, 0);
}

/* tail_nodeport_nat_egress_ipv4: a backend on another node. The source becomes SNAT_IP
 * (the client's port kept), recorded for the reply; routed (TTL - 1); then into the
 * tunnel toward the backend's node with VNI world, or out of eth0 by the FIB. */
static __always_inline int nodeport_remote(struct __sk_buff *skb, __u8 proto, __be32 client, __be16 cport, __be16 nport, __be32 to_ip, __be16 to_port)
{
	struct snat_key k = {};
	struct snat_entry v = {};
	struct iphdr *ip;

	if (xlate(skb, proto, 1, NODE_IP, to_ip, nport, to_port) < 0 || xlate(skb, proto, 0, client, SNAT_IP, cport, cport) < 0)
		return TC_ACT_SHOT;
	k.backend = to_ip;
	k.backend_port = to_port;
	k.port = cport;
	k.proto = proto;
	v.client = client;
	v.nodeport = nport;
	if (bpf_map_update_elem(&snat_v4_ext, &k, &v, BPF_ANY) < 0 || !revalidate_ip(skb, &ip) || !dec_ttl(skb, ip))
		return TC_ACT_SHOT;
	if (VXLAN_IFINDEX) {
		struct bpf_tunnel_key key = {};
		__u32 node_ip = 0;

		if (!lookup_remote(to_ip, &node_ip))
			return TC_ACT_SHOT;
		key.remote_ipv4 = node_ip;
		key.tunnel_id = WORLD_ID;
		key.tunnel_ttl = 64;
		if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX) < 0)
			return TC_ACT_SHOT;
		skb->mark = 0;
		return bpf_redirect(VXLAN_IFINDEX, 0);
	}
	return bpf_redirect_neigh(ETH0_IFINDEX, NULL, 0, 0);
}

/* tail_nodeport_nat_ingress_ipv4 and nodeport_rev_dnat_ingress_ipv4: a remote backend's
 * reply to SNAT_IP, found in snat_v4_ext, goes back to the client from the node's address
 * and NodePort, routed (TTL - 1), out of eth0 by the FIB: 1 when it was one. */
static __always_inline int snat_reply(struct __sk_buff *skb, int *verdict)
{
	struct iphdr *ip;
	__be16 *ports;
	struct snat_key k = {};
	struct snat_entry *v;
	__be32 client, backend;
	__be16 nport, bport, cport;
	__u8 proto;

	if (!ipv4_l4(skb, &ip, &ports) || ip->daddr != SNAT_IP)
		return 0;
	k.backend = ip->saddr;
	k.backend_port = ports[0];
	k.port = ports[1];
	k.proto = ip->protocol;
	v = bpf_map_lookup_elem(&snat_v4_ext, &k);
	if (!v)
		return 0;
	client = v->client;
	nport = v->nodeport;
	proto = ip->protocol;
	backend = ip->saddr;
	bport = ports[0];
	cport = ports[1];
	if (xlate(skb, proto, 1, SNAT_IP, client, cport, cport) < 0 || xlate(skb, proto, 0, backend, NODE_IP, bport, nport) < 0) {
		*verdict = TC_ACT_SHOT;
		return 1;
	}
	*verdict = routed_out_eth0(skb);
	return 1;
}

/* What cil_from_netdev does for a NodePort from outside, or a remote backend's reply; anything else goes up the stack. */
static __always_inline int nodeport(struct __sk_buff *skb)
{
	struct iphdr *ip;
	__be16 *ports;
	__be32 to_ip = 0;
	__be16 to_port = 0;
	struct ep e = {};
	__u32 hash;
	int picked, verdict;

	if (!ipv4_l4(skb, &ip, &ports) || ip->daddr != NODE_IP)
		return TC_ACT_OK;
	hash = bpf_ntohl(ip->saddr) * 2654435761u ^ bpf_ntohs(ports[0]) * 40503u;
	hash ^= hash >> 15;
	picked = nodeport_pick(ip->protocol, bpf_ntohs(ports[1]), hash, &to_ip, &to_port);
	if (picked == 0)
		return snat_reply(skb, &verdict) ? verdict : TC_ACT_OK;
	if (picked < 0)
		return no_service(skb);
	if (!lookup_ep(to_ip, &e))
		return nodeport_remote(skb, ip->protocol, ip->saddr, ports[0], ports[1], to_ip, to_port);
	if (xlate(skb, ip->protocol, 1, NODE_IP, to_ip, ports[1], to_port) < 0)
		return TC_ACT_SHOT;
	/* Legacy host routing: on into the node's stack, which routes it to cilium_host. */
	return TC_ACT_OK;
}

/* In cil_from_container: the reply of a NodePort connection, turned back to the node's
 * address and NodePort, routed (TTL - 1) and sent out of eth0 with the neighbour's MAC
 * (fib_redirect): 1 when it was one. */
static __always_inline int nodeport_reply(struct __sk_buff *skb, int *verdict)
{
	struct iphdr *ip;
	__be16 *ports;
	__be16 nport = 0;
	__u8 proto;
	__be32 backend;
	__be16 bport;

	if (!ipv4_l4(skb, &ip, &ports))
		return 0;
	if (in_cluster(ip->daddr) || !nodeport_of(ip->protocol, ip->saddr, bpf_ntohs(ports[0]), &nport))
		return 0;
	proto = ip->protocol;
	backend = ip->saddr;
	bport = ports[0];
	if (xlate(skb, proto, 0, backend, NODE_IP, bport, nport) < 0) {
		*verdict = TC_ACT_SHOT;
		return 1;
	}
	*verdict = routed_out_eth0(skb);
	return 1;
}

/* __per_packet_lb_svc_xlate_4 (no socket-LB): a pod's packet to a ClusterIP is DNATed to a
 * backend picked by a hash of the client's address and port (every packet of a connection
 * to the same one, as Cilium's conntrack keeps it), recorded in lb4_rev for the reply, and
 * sent on as any (forward()); a ClusterIP without a backend is answered with ICMP port
 * unreachable into the pod: 1 when it decided. */
static __always_inline int per_packet_lb(struct __sk_buff *skb, int *verdict)
{
	struct iphdr *ip;
	__be16 *ports;
	struct lb_key k = {};
	struct lb_service v = {};
	__be32 to_ip = 0;
	__be16 to_port = 0;
	__u32 hash;
	int picked;

	if (!ipv4_l4(skb, &ip, &ports))
		return 0;
	hash = bpf_ntohl(ip->saddr) * 2654435761u ^ bpf_ntohs(ports[0]) * 40503u;
	hash ^= hash >> 15;
	picked = svc_pick(ip->protocol, ip->daddr, bpf_ntohs(ports[1]), hash, &to_ip, &to_port);
	if (picked == 0)
		return 0;
	if (picked < 0) {
		*verdict = no_service(skb);
		return 1;
	}
	k.backend = to_ip;
	k.backend_port = to_port;
	k.client = ip->saddr;
	k.client_port = ports[0];
	k.proto = ip->protocol;
	v.ip = ip->daddr;
	v.port = ports[1];
	if (bpf_map_update_elem(&lb4_rev, &k, &v, BPF_ANY) < 0 || xlate(skb, k.proto, 1, v.ip, to_ip, v.port, to_port) < 0) {
		*verdict = TC_ACT_SHOT;
		return 1;
	}
	*verdict = forward(skb, FROM_CONTAINER);
	return 1;
}

/* Cilium's ARP responder: a pod's ARP request for any address but its own is answered
 * with the lxc's MAC, back out of the lxc; the node's kernel never sees it. */
static __always_inline int arp_respond(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct arp_eth *arp = data + sizeof(*eth);
	__u8 mac[6];
	__be32 tip;

	if ((void *)(arp + 1) > end || arp->op != bpf_htons(1) || arp->tip == arp->sip)
		return TC_ACT_OK;
	if (!lxc_mac_of(skb->ifindex, mac))
		return TC_ACT_OK;
	tip = arp->tip;
	__builtin_memcpy(arp->tha, arp->sha, 6);
	arp->tip = arp->sip;
	__builtin_memcpy(arp->sha, mac, 6);
	arp->sip = tip;
	arp->op = bpf_htons(2);
	__builtin_memcpy(eth->h_dest, eth->h_source, 6);
	__builtin_memcpy(eth->h_source, mac, 6);
	return bpf_redirect(skb->ifindex, 0);
}

/* Each program is named as the Cilium program it stands for: bpftool pins it under that
 * name, and tc shows it (its ELF section, which must differ from the symbol, says nothing). */
#define PROG(name) SEC("podpath/" #name) int name(struct __sk_buff *skb)

PROG(cil_from_container)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return arp_respond(skb);
	int verdict;
	if (nodeport_reply(skb, &verdict))
		return verdict;
	if (per_packet_lb(skb, &verdict))
		return verdict;
	return forward(skb, FROM_CONTAINER);
}

PROG(cil_from_netdev)
{
	return nodeport(skb);
}

PROG(cil_from_host)
{
	return forward(skb, FROM_HOST);
}

PROG(cil_from_overlay)
{
	int verdict;

	/* bpf_overlay.c runs nodeport_lb4 first: a remote backend's reply to IPV4_GATEWAY is turned back here. */
	if (snat_reply(skb, &verdict))
		return verdict;
	return forward(skb, FROM_OVERLAY);
}

/* The programs that let podpath's packets through unchanged. */
#define PASS_ONLY(name) \
	PROG(name) { return TC_ACT_OK; }
PASS_ONLY(cil_to_netdev)
PASS_ONLY(cil_to_host)
PASS_ONLY(cil_to_overlay)

char _license[] SEC("license") = "GPL";
`;

/**
 * Socket-LB: stands for Cilium's cil_sock4_connect (bpf_sock.c) at cgroup/connect4. A
 * connect() to a Service's ClusterIP and port is rewritten to one of its backends, picked
 * at random; services.h (written by the lab) holds the Services as lb_pick().
 */
export const CILIUM_SOCK_C = String.raw`// SPDX-License-Identifier: GPL-2.0
// podpath lab: stands for Cilium's cil_sock4_connect (socket-LB).
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* services.h: lb_pick(protocol, ip, port, &ip, &port) for every Service port: 1 with a
 * backend picked, -1 for a Service port without backends, 0 for any other address. */
#include "services.h"

#define EHOSTUNREACH 113

SEC("cgroup/connect4")
int sock4_connect(struct bpf_sock_addr *ctx)
{
	__u32 ip = bpf_ntohl(ctx->user_ip4);
	__u16 port = bpf_ntohs((__u16)ctx->user_port);
	int picked = lb_pick(ctx->protocol, ip, port, &ip, &port);

	if (picked < 0) {
		/* As Cilium's socket-LB: a Service without backends fails connect() with EHOSTUNREACH. */
		bpf_set_retval(-EHOSTUNREACH);
		return 0;
	}
	if (picked > 0) {
		ctx->user_ip4 = bpf_htonl(ip);
		ctx->user_port = bpf_htons(port);
	}
	return 1;
}

char _license[] SEC("license") = "GPL";
`;
