// Presenter mode on a classroom projector (1280×720): the lecture cluster (3 nodes,
// 8 pods), and every label a student must read is at least 16 px on screen and whole.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, packetAtRest, SHOTS, test, viewAtRest } from './fixtures.ts';

const LECTURE = readFileSync(new URL('../public/scenarios/lecture.yaml', import.meta.url));
const MIN_PX = 16;

test.use({ viewport: { width: 1280, height: 720 } });

async function openLecture(page: Page) {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'lecture.yaml', mimeType: 'application/yaml', buffer: LECTURE });
  await expect(page.getByLabel(/^pod cache-1 /)).toBeVisible();
}

interface Label {
  what: string;
  text: string;
  /** Font size on screen: the computed size times every scale the canvas applies above it. */
  px: number;
  /** Whole: inside the canvas (or the page) and inside its own box on the canvas. */
  whole: boolean;
}

/**
 * Every label a student must read, as the page draws it: the names and addresses of
 * the nodes the walk visits and of their pods, the devices on the packet's path
 * (veth, cni0, eth0, flannel.1), the packet's label, the current hop's explanation,
 * and the Port field.
 */
async function labels(page: Page, nodes: string[], external = false, collapsed: string[] = []): Promise<Label[]> {
  return page.evaluate(([nodes, external, collapsed]) => {
    const out: { what: string; text: string; px: number; whole: boolean }[] = [];
    const canvas = document.querySelector('[data-canvas]')!.getBoundingClientRect();
    const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    const inside = (r: DOMRect, b: DOMRect) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
    /** The innermost element under `root` whose own text is exactly `text` (or matches it). */
    const find = (root: Element, text: string | RegExp) =>
      [...root.querySelectorAll<HTMLElement>('*')].reverse().find((el) => {
        const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
        return typeof text === 'string' ? own === text : text.test(own);
      });
    const onCanvas = (what: string, box: Element | null, text: string | RegExp) => {
      const el = box && find(box, text);
      if (!box || !el) return out.push({ what, text: String(text), px: 0, whole: false });
      const r = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const t = range.getBoundingClientRect();
      out.push({ what, text: el.textContent ?? '', px: parseFloat(getComputedStyle(el).fontSize) * zoom, whole: inside(t, canvas) && inside(r, canvas) && inside(t, box.getBoundingClientRect()) });
    };
    const node = (id: string) => document.querySelector(`.react-flow__node[data-id="${id}"]`);
    for (const n of nodes) {
      const host = node(`node:${n}`)!;
      onCanvas(`node ${n}`, host, n);
      onCanvas(`node ${n} IP`, host, /^192\.168\.56\.\d+$/);
      for (const pod of document.querySelectorAll(`.react-flow__node[data-id^="pod:"][aria-label]`)) {
        const r = pod.getBoundingClientRect();
        if (!inside(r, host.getBoundingClientRect())) continue; // a pod of another node
        const [, name, ip] = /^pod (\S+) (\S+)$/.exec(pod.getAttribute('aria-label')!)!;
        onCanvas(`pod ${name}`, pod, name);
        onCanvas(`pod ${name} IP`, pod, ip);
        // The host end of its veth, written beside the wire under the pod (outside the pod's box: checked on the canvas only).
        const veth = find(pod, /^veth[0-9a-f]+$/);
        if (veth) {
          const t = veth.getBoundingClientRect();
          out.push({ what: `veth of ${name}`, text: veth.textContent!, px: parseFloat(getComputedStyle(veth).fontSize) * zoom, whole: inside(t, canvas) });
        }
      }
      onCanvas(`cni0 on ${n}`, node(`bridge:${n}`), 'cni0');
      onCanvas(`eth0 on ${n}`, node(`nic:${n}`), 'eth0');
      onCanvas(`eth0 address on ${n}`, node(`nic:${n}`), /^192\.168\.56\.\d+\/24$/);
      onCanvas(`flannel.1 on ${n}`, node(`tunnel:${n}`), 'flannel.1');
    }
    // A node the walk does not visit is drawn collapsed: its name, address and pod count, no pods.
    for (const n of collapsed) {
      const host = node(`node:${n}`)!;
      onCanvas(`collapsed node ${n}`, host, n);
      onCanvas(`collapsed node ${n} IP`, host, /^192\.168\.56\.\d+$/);
      onCanvas(`collapsed node ${n} note`, host, /^\d+ pods?, not on this path$/);
    }
    if (external) {
      const client = node('external');
      onCanvas('external client', client, 'external client');
      onCanvas('external client address', client, /^192\.168\.56\.\d+$/);
    }
    // The packet: each address on its label.
    for (const code of document.querySelectorAll<HTMLElement>('[data-testid="packet"] code')) {
      const t = code.getBoundingClientRect();
      out.push({ what: 'packet', text: code.textContent!, px: parseFloat(getComputedStyle(code).fontSize) * zoom, whole: inside(t, canvas) });
    }
    // Off the canvas (no zoom): the hop's explanation, whole on the page, and the Port field, its number whole.
    const page = new DOMRect(0, 0, innerWidth, innerHeight);
    const why = document.querySelector<HTMLElement>('[aria-label="Presenter"] [data-part="why"]')!;
    out.push({ what: 'explanation', text: why.textContent!, px: parseFloat(getComputedStyle(why).fontSize), whole: inside(why.getBoundingClientRect(), page) && why.scrollHeight <= why.clientHeight + 1 });
    const port = document.querySelector<HTMLInputElement>('[aria-label="Presenter"] input[aria-label="Port"]')!;
    const style = getComputedStyle(port);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // The room for the number: the field less its padding and the number arrows (about 1.2em).
    const room = port.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 1.2 * parseFloat(style.fontSize);
    out.push({ what: 'Port field', text: port.value, px: parseFloat(style.fontSize), whole: ctx.measureText(port.value).width <= room && inside(port.getBoundingClientRect(), page) });
    return out;
  }, [nodes, external, collapsed] as const);
}

const unreadable = (ls: Label[]) => ls.filter((l) => l.px < MIN_PX || !l.whole).map((l) => `${l.what} "${l.text}" ${l.px.toFixed(1)} px${l.whole ? '' : ', cut'}`);

test('presenter mode at 1280×720: every label a student reads is ≥ 16 px and whole, at every hop of a walk across nodes', async ({ page }) => {
  await openLecture(page);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('p');
  const panel = page.getByRole('region', { name: 'Presenter' });
  await expect(panel).toBeVisible();
  // Canvas and walk only: no top bar, no inspector, no hint.
  await expect(page.getByRole('button', { name: 'Present' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Walkthrough' })).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Hint' })).toHaveCount(0);

  const count = Number(/of (\d+)/.exec((await panel.getByText(/^hop \d+ of \d+/).textContent())!)![1]);
  expect(count).toBeGreaterThan(10);
  const problems: string[] = [];
  let sawDnat = false;
  for (let i = 0; i < count; i++) {
    await expect(panel.getByText(new RegExp(`^hop ${i + 1} of ${count}`))).toBeVisible();
    await packetAtRest(page);
    await viewAtRest(page);
    // node-3 is not on this path: drawn collapsed, its name, address and pod count read too.
    const ls = await labels(page, ['node-1', 'node-2'], false, ['node-3']);
    expect(ls.filter((l) => l.what.startsWith('pod ') && !l.what.endsWith('IP'))).toHaveLength(6);
    problems.push(...unreadable(ls).map((p) => `hop ${i + 1}: ${p}`));
    if ((await panel.locator('[data-part="action"]').textContent()) === 'dnat') {
      sawDnat = true;
      // kube-proxy's chain names are long: the sentence wraps, it is not cut at "→ KUBE-".
      await expect(panel.locator('[data-part="why"]')).toContainText(/KUBE-SEP-\w+ rewrites the destination/);
      await page.screenshot({ path: `${SHOTS}/presenter-1280-dnat.png` });
    }
    await page.keyboard.press('ArrowRight');
  }
  expect(sawDnat).toBe(true);
  expect(problems).toEqual([]);
  // A pod the walk does not enter (db-1) keeps its box but not its veth's name, which the big packet label would cover; client's stays.
  const vethShown = (pod: string) =>
    page.locator(`.react-flow__node[data-id="pod:default/${pod}"]`).getByText(/^veth[0-9a-f]+$/).evaluate((el) => getComputedStyle(el).visibility);
  await expect.poll(() => vethShown('db-1')).toBe('hidden');
  await expect.poll(() => vethShown('client')).toBe('visible');

  // Esc leaves: the top bar and the side panel are back, the keyboard on Present.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Present' })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Walkthrough' })).toBeVisible();
});

test('the Port field shows a NodePort whole (30000, not 3000), in the side panel and presenting', async ({ page }) => {
  await openLecture(page);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('From', { exact: true }).selectOption('external');
  await page.getByLabel('To', { exact: true }).selectOption('node:node-2');
  const port = page.getByLabel('Port', { exact: true });
  await expect(port).toHaveValue('30000');
  const fits = () =>
    port.evaluate((el: HTMLInputElement) => {
      const s = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      return ctx.measureText(el.value).width <= el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 1.2 * parseFloat(s.fontSize);
    });
  expect(await fits()).toBe(true);
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.getByRole('region', { name: 'Presenter' })).toBeVisible();
  await expect(port).toHaveValue('30000');
  expect(await fits()).toBe(true);
  await packetAtRest(page);
  await viewAtRest(page, 300);
  const problems = unreadable(await labels(page, ['node-2'], true, ['node-1', 'node-3']));
  expect(problems).toEqual([]);
  await page.getByRole('button', { name: 'Leave (Esc)' }).click();
  await expect(page.getByRole('button', { name: 'Present' })).toBeVisible();
});

/** The boxes of every node, and whether each is wholly inside the canvas as drawn now. */
const allNodesInView = (page: Page) =>
  page.evaluate(() => {
    const c = document.querySelector('[data-canvas]')!.getBoundingClientRect();
    return [...document.querySelectorAll('.react-flow__node[data-id^="node:"]')].every((n) => {
      const r = n.getBoundingClientRect();
      return r.left >= c.left - 1 && r.right <= c.right + 1 && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
    });
  });

test('the view re-frames after a CNI switch, a window resize, and when the terminal opens or is resized (by keyboard)', async ({ page }) => {
  await openLecture(page);
  await viewAtRest(page);
  await expect.poll(() => allNodesInView(page)).toBe(true);

  // Zoomed in by hand first, so that only a re-framing brings every node back into view.
  const zoomIn = async () => {
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom In' }).click();
    await viewAtRest(page, 300);
    await expect.poll(() => allNodesInView(page)).toBe(false);
  };
  await zoomIn();
  await page.getByLabel('CNI', { exact: true }).selectOption('bridge-hostgw');
  await viewAtRest(page, 300);
  await expect.poll(() => allNodesInView(page)).toBe(true);

  await zoomIn();
  await page.setViewportSize({ width: 1000, height: 640 });
  await viewAtRest(page, 300);
  await expect.poll(() => allNodesInView(page)).toBe(true);

  // A pod selected: its netns terminal opens under the canvas, which frames the cluster above it.
  await zoomIn();
  await page.getByLabel(/^pod web-1 /).click();
  const resizer = page.getByRole('separator', { name: 'Terminal height' });
  await expect(resizer).toBeVisible();
  await viewAtRest(page, 300);
  await expect.poll(() => allNodesInView(page)).toBe(true);

  const before = Number(await resizer.getAttribute('aria-valuenow'));
  const terminal = page.getByRole('region', { name: 'netns default/web-1' });
  const h0 = (await terminal.boundingBox())!.height;
  await resizer.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 10));
  expect((await terminal.boundingBox())!.height).toBeGreaterThan(h0 + 20);
  await viewAtRest(page, 300);
  await expect.poll(() => allNodesInView(page)).toBe(true);
  await page.keyboard.press('End');
  await expect(resizer).toHaveAttribute('aria-valuenow', '15');

  // By mouse: the edge dragged up gives the terminal more of the height.
  const edge = (await resizer.boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2, edge.y - 150, { steps: 5 });
  await page.mouse.up();
  expect(Number(await resizer.getAttribute('aria-valuenow'))).toBeGreaterThan(30);
  await viewAtRest(page, 300);
  await expect.poll(() => allNodesInView(page)).toBe(true);
});

test("presenting during a lesson: the lesson's narration stays, in large type, and Page Down still moves on", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('dialog', { name: 'Lessons' }).getByRole('button', { name: /^Across hosts/ }).click();
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await expect(lesson).toBeVisible();
  await page.getByRole('button', { name: 'Present' }).click();
  await expect(page.getByRole('region', { name: 'Presenter' })).toBeVisible();
  await expect(lesson).toBeVisible();
  const say = lesson.locator('p[aria-live]');
  const before = (await say.textContent())!;
  const size = await say.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(MIN_PX);
  // Whole: on the page, not clipped by its box.
  expect(await say.evaluate((el) => el.getBoundingClientRect().bottom <= innerHeight && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await page.keyboard.press('PageDown');
  await expect(say).not.toHaveText(before);
  await expect(page.getByRole('region', { name: 'Presenter' })).toBeVisible();
  await packetAtRest(page);
  await viewAtRest(page, 300);
  await page.screenshot({ path: `${SHOTS}/presenter-lesson-1280.png` });
});

/**
 * Step a whole walk in presenter mode: at every hop, every label of the nodes it visits
 * (and of the collapsed ones) ≥ 16 px and whole, no pod of a collapsed node drawn, and
 * the packet never drawn over a collapsed node (it does not go through it).
 */
async function everyHop(page: Page, visited: string[], collapsed: string[], external: boolean, pods: number) {
  const panel = page.getByRole('region', { name: 'Presenter' });
  await expect(panel).toBeVisible();
  const count = Number(/of (\d+)/.exec((await panel.getByText(/^hop \d+ of \d+/).textContent())!)![1]);
  expect(count).toBeGreaterThan(10);
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    await expect(panel.getByText(new RegExp(`^hop ${i + 1} of ${count}`))).toBeVisible();
    await packetAtRest(page);
    await viewAtRest(page);
    const ls = await labels(page, visited, external, collapsed);
    expect(ls.filter((l) => l.what.startsWith('pod ') && !l.what.endsWith('IP'))).toHaveLength(pods);
    problems.push(...unreadable(ls).map((p) => `hop ${i + 1}: ${p}`));
    const crossing = await page.evaluate((collapsed) => {
      const packet = document.querySelector('[data-testid="packet"]')?.getBoundingClientRect();
      if (!packet) return [];
      return collapsed.filter((n) => {
        const r = document.querySelector(`.react-flow__node[data-id="node:${n}"]`)!.getBoundingClientRect();
        return packet.left < r.right && r.left < packet.right && packet.top < r.bottom && r.top < packet.bottom;
      });
    }, collapsed);
    if (crossing.length) problems.push(`hop ${i + 1}: the packet is drawn over collapsed ${crossing.join(', ')}`);
    await page.keyboard.press('ArrowRight');
  }
  expect(problems).toEqual([]);
}

test('a walk across the whole row at 1280×720 (node-1 to node-3): node-2 collapsed, every label ≥ 16 px and whole at every hop', async ({ page }) => {
  await openLecture(page);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('From', { exact: true }).selectOption('pod:default/client');
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/cache-1');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('p');
  await everyHop(page, ['node-1', 'node-3'], ['node-2'], false, 5);
  await page.screenshot({ path: `${SHOTS}/presenter-1280-row.png` });
  // node-2 and its pods come back whole when presenter mode is left.
  await page.keyboard.press('Escape');
  await expect(page.getByLabel(/^pod web-1 /)).toBeVisible();
  await expect(page.getByLabel('bridge cni0 on node-2')).toHaveCount(1);
});

test('from the external client to a NodePort on node-3 at 1280×720: node-1 collapsed, every label ≥ 16 px and whole at every hop', async ({ page }) => {
  await openLecture(page);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('From', { exact: true }).selectOption('external');
  await page.getByLabel('To', { exact: true }).selectOption('node:node-3');
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('30000');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('p');
  // kube-proxy on node-3 sends it to web-1, on node-2: node-2 and node-3 are visited.
  await everyHop(page, ['node-2', 'node-3'], ['node-1'], true, 5);
  await page.screenshot({ path: `${SHOTS}/presenter-1280-external.png` });
});
