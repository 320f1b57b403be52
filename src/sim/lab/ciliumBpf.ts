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
 *   cil_from_netdev (eth0, ingress), cil_to_netdev (eth0, egress), cil_to_host
 *     (cilium_host and cilium_net, ingress), cil_to_overlay (cilium_vxlan, egress): let
 *     every packet through (legacy host routing: cil_from_netdev hands even a packet for a
 *     pod of this node to the stack, which routes it to cilium_host).
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
	if (from == FROM_HOST) {
		/* bpf_host.c rewrite_dmac_to_host: at cilium_host's egress, the destination MAC becomes cilium_net's. */
		net_mac(mac);
		bpf_skb_store_bytes(skb, 0, mac, 6, 0);
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		eth = data;
		ip = data + sizeof(*eth);
		if ((void *)(ip + 1) > end)
			return TC_ACT_OK;
	}
	if (lookup_ep(ip->daddr, &e)) {
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
		key.tunnel_id = identity_of(ip->saddr);
		key.tunnel_ttl = 64;
		/* As Cilium's ctx_set_encap_info: no outer UDP checksum. */
		if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX) < 0)
			return TC_ACT_SHOT;
		return bpf_redirect(VXLAN_IFINDEX, 0);
	}
	if (from == FROM_CONTAINER && !dec_ttl(skb, ip))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
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

SEC("cil_from_container")
int from_container(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return arp_respond(skb);
	return forward(skb, FROM_CONTAINER);
}

SEC("cil_from_host")
int from_host(struct __sk_buff *skb)
{
	return forward(skb, FROM_HOST);
}

SEC("cil_from_overlay")
int from_overlay(struct __sk_buff *skb)
{
	return forward(skb, FROM_OVERLAY);
}

/* The programs that let podpath's packets through unchanged. Legacy host routing:
 * bpf_host.c's cil_from_netdev hands what it receives to the stack. */
#define PASS_ONLY(section, name) \
	SEC(section) int name(struct __sk_buff *skb) { return TC_ACT_OK; }
PASS_ONLY("cil_from_netdev", from_netdev)
PASS_ONLY("cil_to_netdev", to_netdev)
PASS_ONLY("cil_to_host", to_host)
PASS_ONLY("cil_to_overlay", to_overlay)

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
