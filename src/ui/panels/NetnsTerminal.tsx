// What Linux would print inside a network namespace, one command per tab: `ip -br
// addr` and `ip route`, `ip neigh`, `bridge fdb`, `iptables-save -t nat` / `-t filter`
// and `conntrack -L`, all from the engine (the last three kinds after the packet sent
// and its reply), a node's nat rule counters over the packets sent (`iptables-save -c -t nat`),
// each device's packets over the same packets (`ip -s link`'s RX and TX packets),
// and `tcpdump -n -i DEV` on each device the packet crossed here (with
// the whole trace as pcapng to save). The route, FDB entry or rule the current hop used is highlighted,
// and so is every rule of the chain of jumps that led to it.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { actions, usePlayground } from '../playground.ts';
import { selectHops, selectTrace } from '../../store/derived.ts';
import { devicesOf, showOf, SHOW_FAILED } from '../../store/shown.ts';
import { formatIssue } from '../../store/engine.ts';
import { NOTHING_LEARNED, rememberedOf } from '../../store/remembered.ts';
import type { Hop, Trace, TraceRequest } from '../../sim/trace/types.ts';
import { cniOf } from '../../sim/cni/index.ts';
import { countedNatText, deviceCounters, deviceCountersText, natRuleCounters } from '../../sim/trace/counters.ts';
import { sentTraces } from '../session/sent.ts';
import { tcpdumpText, traceFrames } from '../../sim/capture/frames.ts';
import { pcapng } from '../../sim/capture/pcapng.ts';
import { downloadBlob } from '../io.ts';
import { hasHubble, hubbleRecords } from '../../sim/flows/hubble.ts';
import TerminalResizer, { useTerminalPercent } from './TerminalResizer.tsx';
import buttons from '../buttons.module.css';
import styles from './NetnsTerminal.module.css';

const NO_TRACES: readonly Trace[] = [];
/**
 * Sends the packet `times` more, each following an endpoint drawn uniformly: kube-proxy's
 * statistic cascade (iptables) and numgen (nftables) give each of N endpoints chance 1/N.
 */
function sendDrawn(request: TraceRequest, endpoints: number, times: number): void {
  for (let i = 0; i < times; i++) actions().send(request, Math.floor(Math.random() * endpoints));
}

interface Output {
  cmd: string;
  text: string;
  /** The iptables table this prints, for the rules of a hop's chain of jumps. */
  table?: 'nat' | 'filter';
  /** It prints kube-proxy's nftables table, which holds nat and filter chains alike. */
  nft?: boolean;
}

type TabId = 'ip' | 'neigh' | 'fdb' | 'nat' | 'counters' | 'devices' | 'filter' | 'nft' | 'conntrack' | 'tcpdump' | 'hubble';
interface Tab {
  id: TabId;
  label: string;
  outputs: Output[];
  /** What this output leaves out or simplifies, said plainly. */
  note?: string;
  /** A file of the whole trace to save (the tcpdump tab's pcapng). */
  save?: { label: string; name: string; bytes: () => Uint8Array };
  /** Something to do that changes what the tab prints (the counters tab's ten more packets), shown above it. */
  act?: { label: string; run: () => void };
}

// A rule counted (the counters tab) is the rule after its count.
const lineIs = (line: string, text: string) => line.trim().replace(/^\d+ {2}(?=-A )/, '') === text.trim();

/** For each line of `nft list` output, the chain it is in (the last `chain NAME {` above it). */
function chainOfLines(lines: string[]): (string | undefined)[] {
  let chain: string | undefined;
  return lines.map((l) => {
    const m = /^\s*chain (\S+) \{$/.exec(l);
    if (m) chain = m[1];
    else if (/^\s*(set|map) /.test(l)) chain = undefined;
    return chain;
  });
}

function Block({ out, hop }: { out: Output; hop?: Hop }) {
  const lines = out.text.split('\n');
  // The last newline ends the output; it is not an empty line of it (and no output is no line).
  if (lines[lines.length - 1] === '') lines.pop();
  const path = hop?.rulePath && (hop.rulePath.table === out.table || out.nft) ? hop.rulePath.rules : [];
  // nft lists a rule without its chain: the chain is the `chain NAME {` above it, and a rule is lit only there.
  const chains = out.nft ? chainOfLines(lines) : undefined;
  const pathChains = hop?.rulePath?.chains;
  const inChain = (i: number, ruleIndex: number) => !chains || !pathChains || chains[i] === pathChains[ruleIndex];
  const matchedIndex = path.length - 1;
  return (
    <div className={styles.block}>
      <div className={styles.cmd}>$ {out.cmd}</div>
      {lines.map((l, i) => {
        const hit = !!hop?.matched && lineIs(l, hop.matched) && (!chains || matchedIndex < 0 || inChain(i, matchedIndex));
        const onPath = !hit && path.some((r, k) => lineIs(l, r) && inChain(i, k));
        const cls = hit ? `${styles.line} ${styles.matched}` : onPath ? `${styles.line} ${styles.onPath}` : styles.line;
        // data-matched: the line the current hop used, which the terminal scrolls to (and the tests read);
        // data-on-path: a jump (or a rule run on the way) that led netfilter to it.
        return (
          <div key={i} className={cls} data-matched={hit || undefined} data-on-path={onPath || undefined}>
            {l || '\u00a0'}
          </div>
        );
      })}
    </div>
  );
}

/** Does this tab print the line the hop used, or a rule of its path? */
function holds(tab: Tab, hop: Hop): boolean {
  return tab.outputs.some((o) => {
    const lines = o.text.split('\n');
    if (hop.matched && lines.some((l) => lineIs(l, hop.matched!))) return true;
    return !!hop.rulePath && (hop.rulePath.table === o.table || !!o.nft) && lines.some((l) => hop.rulePath!.rules.some((r) => lineIs(l, r)));
  });
}

/** inSheet: in a phone's or tablet's sheet (App.tsx), as tall as its lines, the sheet scrolling; no handle to resize it. */
export default function NetnsTerminal({ inSheet = false }: { inSheet?: boolean }) {
  const scenario = usePlayground((s) => s.scenario);
  const sel = usePlayground((s) => s.selection);
  const hops = usePlayground(selectHops);
  const step = usePlayground((s) => s.step);
  const outcome = usePlayground(selectTrace);
  const request = usePlayground((s) => s.request);
  const learned = outcome?.kind === 'traced' ? outcome.trace.learned : NOTHING_LEARNED;
  const sent = outcome?.kind === 'traced';
  // A refusal's way back (a RST, an ICMP error) is not walked: say so rather than imply it was.
  const refused = outcome?.kind === 'traced' && outcome.trace.verdict === 'refused';
  const current = hops.length ? hops[Math.min(step, hops.length - 1)] : undefined;
  // The selected pod or node (a pod's netns is `namespace/name`, a node's its name).
  const netns = sel && sel.kind !== 'service' ? sel.key : null;
  const out = useMemo(() => (netns ? showOf(scenario, netns) : null), [scenario, netns]);
  const memory = useMemo(() => (netns ? rememberedOf(scenario, netns, learned) : null), [scenario, netns, learned]);
  const captured = useMemo(() => (outcome?.kind === 'traced' ? traceFrames(outcome.trace) : null), [outcome]);
  // Hubble (Cilium's): the flows this node's agent would report for the packet and its reply.
  const flows = useMemo(() => (outcome?.kind === 'traced' && hasHubble(scenario) ? hubbleRecords(scenario, outcome.trace) : null), [outcome, scenario]);
  // The packets sent into this cluster (noted by ../session/sends.ts as they are sent) as nat rule counters,
  // read again at each send (the same packet sent again changes nothing else this reads).
  const isNode = !!netns && !netns.includes('/');
  const sendSerial = usePlayground((s) => s.sendSerial);
  const sentHere = useMemo(() => (netns ? sentTraces(scenario) : NO_TRACES), [scenario, netns, sendSerial]);
  const counted = useMemo(() => (isNode && sentHere.length ? natRuleCounters(sentHere) : undefined), [sentHere, isNode]);
  // The same packets on this netns's devices (ip -s link's RX and TX packets).
  const onDevices = useMemo(() => (netns && sentHere.length ? deviceCounters(sentHere).get(netns) : undefined), [sentHere, netns]);
  const devices = useMemo(() => (netns ? devicesOf(scenario, netns) : []), [scenario, netns]);
  const hop = current && current.netns === netns ? current : undefined;

  const nft = out?.kind === 'shown' ? out.netns.nft : undefined;
  const tabs = useMemo<Tab[]>(() => {
    if (out?.kind !== 'shown' || !memory) return [];
    const list: Tab[] = [
      // What is modelled, not kernel-checked, here (Calico's tunl0) is said under the output.
      { id: 'ip', label: 'ip addr · route', outputs: [{ cmd: 'ip -br addr', text: out.netns.addr }, { cmd: 'ip route', text: out.netns.route }], ...(out.netns.note ? { note: out.netns.note } : {}) },
      {
        id: 'neigh',
        label: 'ip neigh',
        outputs: [{ cmd: 'ip neigh', text: memory.neigh }],
        note: 'States as just after the packet and its reply (modelled): a REACHABLE entry goes STALE after 15–45 s without traffic (reachable_time is drawn at random between ½ and 1½ × base_reachable_time, 30 s).',
      },
    ];
    if (memory.fdb.length) {
      list.push({
        id: 'fdb',
        label: 'bridge fdb',
        outputs: memory.fdb.map((f) => ({ cmd: f.cmd, text: f.text })),
        note: 'Each pod announces its MAC as its eth0 comes up (the bridge plugin sets arp_notify=1), so cni0 knows every pod on the node; an entry ages out after 300 s without traffic.',
      });
    }
    list.push({
      id: 'nat',
      label: 'iptables nat',
      outputs: [{ cmd: 'iptables-save -t nat', text: out.netns.nat, table: 'nat' }],
      ...(isNode && !nft ? { note: "Left out: the empty canary chains kube-proxy and kubelet create to notice a flushed table (KUBE-PROXY-CANARY, KUBE-KUBELET-CANARY)." } : {}),
      ...(nft ? { note: "kube-proxy runs in nftables mode: its rules are in its own table (the nft tab), not in iptables' nat table." } : {}),
    });
    if (isNode) {
      const n = sentHere.length;
      // A Service's connections spread over its endpoints as kube-proxy draws them: ten more show the split in the counters.
      const picks = outcome?.kind === 'traced' ? outcome.trace.candidates.length : 0;
      list.push({
        id: 'counters',
        label: 'rule counters',
        ...(picks > 1 && request
          ? { act: { label: `Send 10 more, each to one of the ${picks} endpoints drawn at random (each has chance 1/${picks})`, run: () => sendDrawn(request, picks, 10) } }
          : {}),
        outputs: [{ cmd: 'iptables-save -c -t nat   # the rules that counted', text: !n ? 'no packet sent since the cluster last changed: press Send packet\n' : counted?.get(netns!)?.size ? countedNatText(out.netns.nat, counted.get(netns!)) : `no nat rule of ${netns} counted the packets sent\n`, table: 'nat' }],
        note: `${n === 0 ? 'No connection counted yet' : n === 1 ? 'One connection counted' : `${n} connections counted`}: each Send packet since the cluster last changed is a connection, and a rule counts the connection's first packet (conntrack translates the rest), as iptables-save -c's packet column does (podpath counts no bytes, and leaves out the chains' own policy counters). A VXLAN tunnel's outer packets are new flows: they count too. The kernel differential holds every path's counters to the lab's.${nft ? " kube-proxy writes no counters into its nftables table: only iptables' rules count here." : ''}`,
      });
    }
    {
      const n = sentHere.length;
      // An eBPF datapath's tc programs redirect packets where the lab's netdev counters cannot see them.
      const ebpf = cniOf(scenario.cluster).ebpf !== undefined;
      list.push({
        id: 'devices',
        label: 'device counters',
        outputs: [{ cmd: 'ip -s link   # RX and TX packets of each device', text: deviceCountersText(devices, onDevices) }],
        note: `${n === 0 ? 'No packet sent yet since the cluster last changed: press Send packet.' : n === 1 ? 'The packets of the one Send packet since the cluster last changed, its request and its reply' : `The packets of the ${n} Send packets since the cluster last changed, each request and its reply`}${n ? ': one where a device sends it out and one where a device takes it in (a VXLAN device counts the inner packet it wraps or unwraps).' : ''} Only the walk's packets: a TCP connection also sends its ACKs, data and FIN, ARP its own, and a refused packet's RST or ICMP error comes back unwalked, all of which ip -s link counts too; a bridge's own device (cni0), which counts only what goes up to the node or comes down from it, and lo are left out. ${ebpf ? "Under Cilium, for legacy host routing as podpath models it: a program's redirect out of an lxc device counts there, one into cilium_host's way in counts nothing (with BPF host routing, bpf_redirect_peer, an lxc device would count no TX). The kernel differential holds UDP paths to the nodes' ip -s link statistics with podpath's own programs (not Cilium's)." : 'The kernel differential holds UDP paths (one datagram each way) to the lab\'s counters, device by device.'}`,
      });
    }
    list.push({
      id: 'filter',
      label: 'iptables filter',
      outputs: [{ cmd: 'iptables-save -t filter', text: out.netns.filter, table: 'filter' }],
      ...(nft ? { note: "kube-proxy runs in nftables mode: its filter chains are in its own table (the nft tab), so none of its rules is here. Only the rules podpath models (and podpath lab installs) are shown." } : {}),
      ...(isNode && !nft
        ? { note: "Only the rules podpath models (and podpath lab installs): a real node also has kube-proxy's FORWARD jumps to KUBE-FORWARD (drop conntrack INVALID, accept marked and ESTABLISHED traffic) and KUBE-EXTERNAL-SERVICES, its KUBE-PROXY-FIREWALL, health-check KUBE-NODEPORTS and canary chain, kubelet's KUBE-FIREWALL and canary, and flanneld's FLANNEL-FWD." }
        : {}),
    });
    if (nft) {
      list.push({
        id: 'nft',
        label: 'nft',
        outputs: [{ cmd: 'nft list table ip kube-proxy', text: nft, nft: true }],
        note: 'kube-proxy in nftables mode, as it writes its table (Kubernetes pkg/proxy/nftables). The kernel lists a set\'s elements in its own order, and wraps long lines.',
      });
    }
    list.push({
      id: 'conntrack',
      label: 'conntrack',
      outputs: [{ cmd: 'conntrack -L', text: memory.conntrack }],
      note:
        "A connection refused by a RST leaves no TCP entry: the RST, its only answer, makes conntrack delete it at once. A TCP entry stops at the SYN and its answer, as the walk sends no more (a real connection goes on to ESTABLISHED, then TIME_WAIT); timeouts are shown as they start (they count down). A VXLAN packet's UDP source port is a hash the kernel seeds at random: podpath shows one of its own. Left out: the entries cni0's own IGMP reports (to 224.0.0.22) leave for 10 minutes after it comes up.",
    });
    const here = captured?.frames.filter((f) => f.netns === netns) ?? [];
    if (captured && here.length) {
      const devices = [...new Set(here.map((f) => f.device))];
      list.push({
        id: 'tcpdump',
        label: 'tcpdump',
        outputs: devices.map((d) => ({ cmd: `tcpdump -n -i ${d}`, text: here.filter((f) => f.device === d).map((f) => tcpdumpText(f.headers)).join('\n') + '\n' })),
        note: `The frames the packet and its reply put on ${devices.join(' and ')}, as tcpdump prints them (without its timestamps); a tunnel or bridge device is left out. A real kernel picks the TCP sequence numbers, IP IDs and a tunnel's outer source port at random, sizes the TCP window from the route, and adds TCP options to a SYN: podpath writes fixed ones. The kernel differential captures one connection per example on the sending node's eth0 and the receiving pod's eth0 with tcpdump and holds podpath's frames there to them.`,
        save: { label: 'Save the trace as .pcapng', name: 'podpath-trace.pcapng', bytes: () => pcapng(captured.frames) },
      });
    }
    const mine = isNode ? (flows?.filter((r) => r.node_name === netns) ?? []) : [];
    if (flows && isNode) {
      list.push({
        id: 'hubble',
        label: 'hubble',
        outputs: [{ cmd: `hubble observe --node ${netns} -o jsonpb`, text: mine.map((r) => JSON.stringify(r)).join('\n') + '\n' }],
        note: `${mine.length ? '' : `No flow of this packet is reported on ${netns}. `}Modelled from Cilium's source, not kernel-checked: under Helm's default monitor aggregation a connection's first packets are reported where a program sends them on (TO_OVERLAY, TO_ENDPOINT, TO_STACK). The times are this page's; endpoint IDs are podpath's numbering; the node's own packets' trace points, socket-LB's events and policy verdicts are not modelled.`,
      });
    }
    return list;
  }, [out, memory, isNode, nft, captured, netns, flows, sentHere, counted, outcome, request, devices, onDevices, scenario]);

  const [tabId, setTabId] = useState<TabId>('ip');
  // The tabs printing what the current hop used (read once per hop: a big cluster's nat table is long).
  const holding = useMemo(() => new Set(hop ? tabs.filter((t) => holds(t, hop)).map((t) => t.id) : []), [tabs, hop]);
  // Show the tab that prints what the current hop used (a route, an FDB entry, a rule).
  const percent = useTerminalPercent();
  const hopKey = hop ? `${step}:${hop.matched ?? ''}` : '';
  useEffect(() => {
    const first = tabs.find((t) => holding.has(t.id));
    if (first) setTabId(first.id);
    // Once per hop and netns (not on every render), so a person may still pick another tab.
  }, [hopKey, netns, tabs.length]);
  const tab = tabs.find((t) => t.id === tabId) ?? tabs[0];

  const body = useRef<HTMLDivElement>(null);
  const tabRefs = useRef(new Map<TabId, HTMLButtonElement>());
  // Bring the line the packet just used (or the first jump towards it) into view.
  useEffect(() => {
    const el = body.current?.querySelector<HTMLElement>('[data-matched]') ?? body.current?.querySelector<HTMLElement>('[data-on-path]');
    const box = body.current;
    if (el && box) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3);
  }, [hopKey, netns, tab?.id]);
  if (!netns || !out) return null;

  // The tabs are a tablist: arrows move between them, Home and End go to the ends.
  const onTabKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === tab?.id);
    const to = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    setTabId(tabs[to].id);
    tabRefs.current.get(tabs[to].id)?.focus();
  };
  const prefix = `root@${netns.includes('/') ? netns.split('/')[1] : netns}`;
  const idBase = `term-${netns.replace(/[^\w-]/g, '_')}`;
  return (
    <section className={inSheet ? `${styles.terminal} ${styles.inSheet}` : styles.terminal} aria-label={`netns ${netns}`} style={inSheet ? undefined : { height: `${percent}%` }}>
      {!inSheet && <TerminalResizer />}
      <div className={styles.title}>
        <span className={styles.dot} /> netns <strong>{netns}</strong>
        <span className={styles.when}>{!sent ? '· no packet sent yet' : refused ? '· after the packet sent (the refusal’s way back is not walked; only its effect on conntrack is shown)' : '· after the packet sent and its reply'}</span>
        {current && current.netns !== netns && <span className={styles.note}>· the packet is in {current.netns} now</span>}
        <button type="button" className={`${buttons.icon} ${styles.close}`} aria-label="Close terminal" onClick={() => actions().select(null)}>
          ×
        </button>
      </div>
      {out.kind === 'shown' && tab ? (
        <>
          <div className={styles.tabs} role="tablist" aria-label="Commands" onKeyDown={onTabKey}>
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`${idBase}-tab-${t.id}`}
                aria-selected={t.id === tab.id}
                aria-controls={`${idBase}-panel`}
                tabIndex={t.id === tab.id ? 0 : -1}
                className={t.id === tab.id ? `${styles.tab} ${styles.selected}` : styles.tab}
                ref={(el) => {
                  if (el) tabRefs.current.set(t.id, el);
                  else tabRefs.current.delete(t.id);
                }}
                onClick={() => setTabId(t.id)}
              >
                {t.label}
                {holding.has(t.id) && <span className={styles.used} aria-hidden="true" />}
              </button>
            ))}
          </div>
          {hop?.rulePath && tab.outputs.some((o) => o.table === hop.rulePath!.table) && (
            // The chain of jumps in one line: its rules may be far apart in the table below.
            <p className={styles.jumps} aria-label="Chain of jumps">
              <span className={styles.jumpsLabel}>{hop.rulePath.table} jumps</span> {hop.rulePath.summary}
            </p>
          )}
          <div className={styles.body} data-prompt={prefix} ref={body} role="tabpanel" id={`${idBase}-panel`} aria-labelledby={`${idBase}-tab-${tab.id}`} tabIndex={0}>
            {tab.act && (
              <button type="button" className={styles.save} onClick={tab.act.run}>
                {tab.act.label}
              </button>
            )}
            {tab.outputs.map((o) => (
              <Block key={o.cmd} out={o} hop={hop} />
            ))}
            {tab.note && <p className={styles.caveat}>{tab.note}</p>}
            {tab.save && (
              <button type="button" className={styles.save} onClick={() => downloadBlob(tab.save!.name, new Blob([tab.save!.bytes() as BlobPart], { type: 'application/vnd.tcpdump.pcap' }))}>
                {tab.save.label}
              </button>
            )}
          </div>
        </>
      ) : (
        <div className={styles.body} ref={body}>
          <div className={styles.line}>{out.kind === 'refused' ? out.issues.map(formatIssue).join('\n') : out.kind === 'failed' ? SHOW_FAILED : ''}</div>
        </div>
      )}
    </section>
  );
}
