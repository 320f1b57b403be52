// The netns terminal and the packet box as a person uses them: one tab per command,
// every line the engine's (after the packet and its reply), the DNAT rule and the
// jumps that led to it highlighted, and the frame's MACs per hop.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { tcpdumpText, traceFrames } from '../src/sim/capture/frames.ts';
import { compile, conntrackText, fdbListings, neighText, show } from '../src/sim/index.ts';
import { countedNatText, deviceCounters, deviceCountersText, natRuleCounters } from '../src/sim/trace/counters.ts';
import { engineTrace, expect, saved, shot, test } from './fixtures.ts';
import type { TraceRequest } from '../src/sim/trace/types.ts';

const hopsList = (page: Page) => page.getByRole('list', { name: 'Hops' });
/** The lines a terminal tab prints, without its `$ command` lines. */
const printed = (page: Page, netns: string) =>
  page
    .getByLabel(`netns ${netns}`)
    .getByRole('tabpanel')
    .locator('div > div')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, '')).filter((t) => !t.startsWith('$ ')));

/** The demo opened and Send packet pressed: the request it sent (its own first packet), once saved. */
async function firstSend(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await expect.poll(async () => (await saved(page)).request !== null).toBe(true);
  return (await saved(page)).request!;
}

/** To pod web-2 (one connection), then Send packet again (the same packet, a second one): both added to `sent`; the save. */
async function web2Twice(page: Page, sent: TraceRequest[]) {
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  await expect.poll(async () => (await saved(page)).request?.to).toMatchObject({ kind: 'pod', name: 'web-2' });
  const st = await saved(page);
  sent.push(st.request!);
  await page.getByRole('button', { name: 'Send packet' }).click();
  sent.push(st.request!);
  return st;
}

async function sendToService(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('80');
  const st = await saved(page);
  return { st, t: engineTrace(st.scenario, st.request!) };
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`the terminal's tabs print what the engine says, the chain of jumps lit (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const { st, t } = await sendToService(page);
    const dnat = t.hops.findIndex((h) => h.action === 'dnat');
    const hop = t.hops[dnat];
    await hopsList(page).getByRole('listitem').nth(dnat).click();
    await page.getByLabel(new RegExp(`^node ${hop.netns} `)).click();
    const term = page.getByLabel(`netns ${hop.netns}`);
    // The nat tab comes forward by itself: it prints the rule this hop matched.
    await expect(term.getByRole('tab', { name: 'iptables nat' })).toHaveAttribute('aria-selected', 'true');
    await expect(term.locator('[data-matched]')).toHaveText([hop.matched!]);
    const jumps = hop.rulePath!.rules.filter((r) => r !== hop.matched);
    expect(jumps.length).toBeGreaterThanOrEqual(3);
    await expect(term.locator('[data-on-path]')).toHaveCount(jumps.length);
    expect(new Set(await term.locator('[data-on-path]').allTextContents())).toEqual(new Set(jumps));
    await expect(term.getByLabel('Chain of jumps')).toHaveText(`nat jumps ${hop.rulePath!.summary}`);
    await shot(page, `10-terminal-jumps-${viewport.width}`);

    // conntrack -L, ip neigh, bridge fdb: the engine's lines for this node after the exchange.
    const ns = compile(st.scenario).netns(hop.netns)!;
    await term.getByRole('tab', { name: 'conntrack' }).click();
    await expect(term.getByRole('tabpanel')).toContainText('$ conntrack -L');
    await expect.poll(() => printed(page, hop.netns)).toEqual(conntrackText(ns, t.learned).split('\n').filter(Boolean));
    expect((await printed(page, hop.netns))[0]).toContain(`dst=${st.scenario.services[0].clusterIP} sport=`);
    await shot(page, `11-terminal-conntrack-${viewport.width}`);
    // The keyboard: arrows move between the tabs.
    await term.getByRole('tab', { name: 'conntrack' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect(term.getByRole('tab', { name: 'ip neigh' })).toHaveAttribute('aria-selected', 'true');
    await expect(term.getByRole('tab', { name: 'ip neigh' })).toBeFocused();
    await expect.poll(() => printed(page, hop.netns)).toEqual(neighText(ns, t.learned).split('\n').filter(Boolean).map((l) => l));
    await page.keyboard.press('ArrowRight');
    await expect(term.getByRole('tab', { name: 'bridge fdb' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => printed(page, hop.netns)).toEqual(fdbListings(ns, t.learned).flatMap((f) => f.text.split('\n').filter(Boolean)));
    await shot(page, `12-terminal-fdb-${viewport.width}`);
  });
}

test('the packet box shows the frame\'s MACs on a wire, and none inside an IP stack', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const { t } = await sendToService(page);
  const sent = t.hops.findIndex((h) => h.action === 'transmit' && h.packet.eth);
  await hopsList(page).getByRole('listitem').nth(sent).click();
  const eth = page.getByLabel('Packet headers').getByRole('group', { name: 'Ethernet header' });
  await expect(eth).toContainText(t.hops[sent].packet.eth!.src);
  await expect(eth).toContainText(t.hops[sent].packet.eth!.dst);
  await shot(page, '13-packet-box-macs');
  const routed = t.hops.findIndex((h) => h.action === 'route' && !h.packet.eth);
  await hopsList(page).getByRole('listitem').nth(routed).click();
  await expect(eth).toHaveCount(0);
  await expect(page.getByLabel('Packet headers')).toContainText('No Ethernet frame here');
});

test('flannel-vxlan: the encapsulating hop lights flanneld\'s FDB entry, and the packet box shows both frames', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  await page.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
  await expect(page.getByLabel('VXLAN device flannel.1 on node-1', { exact: true })).toBeVisible();
  const st = await saved(page);
  const t = engineTrace(st.scenario, st.request!);
  const wrapped = t.hops.findIndex((h) => h.action === 'encapsulate');
  const hop = t.hops[wrapped];
  await hopsList(page).getByRole('listitem').nth(wrapped).click();
  await page.getByLabel(new RegExp(`^node ${hop.netns} `)).click();
  const term = page.getByLabel(`netns ${hop.netns}`);
  await expect(term.getByRole('tab', { name: 'bridge fdb' })).toHaveAttribute('aria-selected', 'true');
  await expect(term.getByRole('tabpanel')).toContainText(`$ bridge fdb show dev flannel.1`);
  await expect(term.locator('[data-matched]')).toHaveText([hop.matched!]);
  await shot(page, '14-terminal-flannel-fdb');
  // On the wire between the nodes: the outer frame's MACs, and inside, the VTEPs'.
  const out = t.hops.findIndex((h) => h.action === 'transmit' && h.packet.outer);
  await hopsList(page).getByRole('listitem').nth(out).click();
  const frames = page.getByLabel('Packet headers').getByRole('group', { name: 'Ethernet header' });
  await expect(frames).toHaveCount(2);
  await expect(frames.first()).toContainText(t.hops[out].packet.eth!.dst);
  await expect(frames.last()).toContainText(t.hops[out].packet.outer!.innerEth!.dst);
  await shot(page, '15-packet-box-vxlan-macs');
});

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`the tcpdump tab prints the frames the packet put on a node's devices, and saves the whole trace as pcapng that tcpdump reads (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const { t } = await sendToService(page);
    const { frames } = traceFrames(t);
    const node = t.hops.find((h) => h.node && h.netns === h.node)!.netns;
    await page.getByLabel(new RegExp(`^node ${node} `)).click();
    const term = page.getByLabel(`netns ${node}`);
    await term.getByRole('tab', { name: 'tcpdump' }).click();
    const here = frames.filter((f) => f.netns === node);
    expect(here.length).toBeGreaterThan(0);
    for (const d of new Set(here.map((f) => f.device))) await expect(term.getByRole('tabpanel')).toContainText(`$ tcpdump -n -i ${d}`);
    // Device by device, as one tcpdump per device prints them.
    const byDevice = [...new Set(here.map((f) => f.device))].flatMap((d) => here.filter((f) => f.device === d));
    await expect.poll(() => printed(page, node)).toEqual(byDevice.flatMap((f) => tcpdumpText(f.headers).split('\n')));
    await shot(page, `12-terminal-tcpdump-${viewport.width}`);
    const [file] = await Promise.all([page.waitForEvent('download'), term.getByRole('button', { name: 'Save the trace as .pcapng' }).click()]);
    expect(file.suggestedFilename()).toBe('podpath-trace.pcapng');
    const path = await file.path();
    const read = execFileSync('tcpdump', ['-n', '-r', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /gm, '').trimEnd();
    expect(read).toBe(frames.map((f) => tcpdumpText(f.headers)).join('\n'));
  });
}

test("a node's rule counters add up the connections sent: each nat rule's count, as iptables-save -c would show the packets", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // Four packets: Send packet's own first one, then to the Service, then to a pod, then that one again.
  const sent = [await firstSend(page)];
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect.poll(async () => (await saved(page)).request?.to.kind).toBe('service');
  sent.push((await saved(page)).request!);
  const st = await web2Twice(page, sent);
  const traces = sent.map((r) => engineTrace(st.scenario, r));
  // The client pod's node: the first netns on the way that is a node's.
  const node = traces[1].hops.find((h) => !h.netns.includes('/'))!.netns;
  await page.getByLabel(new RegExp(`^node ${node} `)).click();
  const term = page.getByLabel(`netns ${node}`);
  await term.getByRole('tab', { name: 'rule counters' }).click();
  await expect(term.getByRole('tabpanel')).toContainText('$ iptables-save -c -t nat');
  await expect(term.getByRole('tabpanel')).toContainText('4 connections counted: each Send packet since the cluster last changed is a connection');
  const shown = show(compile(st.scenario), node);
  if (!shown.ok) throw new Error('show failed');
  const want = countedNatText(shown.value.nat, natRuleCounters(traces).get(node)).split('\n').filter(Boolean);
  expect((await printed(page, node)).map((l) => l.trim())).toEqual(want.map((l) => l.trim()));
  // The Service connection's DNAT rule counted once; every connection from this node's pod passed PREROUTING.
  const dnat = traces[1].hops.find((h) => h.action === 'dnat')!;
  expect(want.some((l) => l.trim() === `1  ${dnat.matched}`)).toBe(true);
  expect(want.some((l) => /^4 {2}-A PREROUTING /.test(l.trim()))).toBe(true);
  await shot(page, '13-terminal-rule-counters-1280');
});

test("the rule counters' Send 10 more spreads the connections over a Service's endpoints as kube-proxy draws them", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const { st, t } = await sendToService(page);
  const node = t.hops.find((h) => !h.netns.includes('/'))!.netns;
  await page.getByLabel(new RegExp(`^node ${node} `)).click();
  const term = page.getByLabel(`netns ${node}`);
  await term.getByRole('tab', { name: 'rule counters' }).click();
  await term.getByRole('button', { name: `Send 10 more, each to one of the ${t.candidates.length} endpoints drawn at random (each has chance 1/${t.candidates.length})` }).click();
  // Send packet's own first packet, the one to the Service, and ten more to it.
  await expect(term.getByRole('tabpanel')).toContainText('12 connections counted');
  const lines = (await printed(page, node)).map((l) => l.trim());
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).reduce((n, l) => n + Number(l.split(' ')[0]), 0);
  // Every one of the eleven to the ClusterIP took its KUBE-SERVICES jump, and exactly one endpoint's DNAT each.
  const clusterIP = st.scenario.services.find((v) => v.name === 'web')!.clusterIP!;
  expect(count(new RegExp(`-d ${clusterIP.replace(/\./g, '\\.')}/32 .* -j KUBE-SVC-`))).toBe(11);
  expect(count(/-j DNAT --to-destination /)).toBe(11);
  await shot(page, '14-terminal-rule-counters-spread-1920');
});

test("a node's and a pod's device counters add up the packets sent, request and reply, device by device, as ip -s link counts them", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // Three packets: Send packet's own first one, then to the pod on the other node, twice.
  const sent = [await firstSend(page)];
  const st = await web2Twice(page, sent);
  const traces = sent.map((r) => engineTrace(st.scenario, r));
  const dp = compile(st.scenario);
  const counts = deviceCounters(traces);
  for (const netns of ['node-1', 'default/client']) {
    const label = netns.includes('/') ? `pod ${netns.split('/')[1]} ` : `node ${netns} `;
    await page.getByLabel(new RegExp(`^${label}`)).first().click();
    const term = page.getByLabel(`netns ${netns}`);
    await term.getByRole('tab', { name: 'device counters' }).click();
    await expect(term.getByRole('tabpanel')).toContainText('$ ip -s link');
    await expect(term.getByRole('tabpanel')).toContainText('The packets of the 3 Send packets since the cluster last changed');
    const want = deviceCountersText(dp.netns(netns)!.devices, counts.get(netns)).split('\n').filter(Boolean);
    await expect.poll(async () => (await printed(page, netns)).map((l) => l.trim())).toEqual(want.map((l) => l.trim()));
    // The client's eth0 sent three requests and took three replies in.
    if (netns === 'default/client') expect(want.find((l) => l.startsWith('eth0'))!.split(/\s+/).slice(1)).toEqual(['3', '3']);
    // node-1's eth0: the two packets to web-2 on node-2 out and their replies in (the first packet stays on node-1).
    if (netns === 'node-1') expect(want.find((l) => l.startsWith('eth0'))!.split(/\s+/).slice(1)).toEqual(['2', '2']);
    await shot(page, `17-terminal-device-counters-${netns.replace('/', '-')}-1280`);
  }
});
