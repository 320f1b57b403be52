// Colour contrast, read from tokens.css: every pair of colours the stylesheets put
// together (text on its background, a control's edge, the focus ring, the packet and
// the highlights on the canvas) meets WCAG 2.1 AA — 4.5:1 for text, 3:1 for large
// text and for the parts of a control or a drawing a person must see (1.4.3, 1.4.11).
// A token changed to a paler colour fails here, not on a projector.
// (Disabled controls are exempt in WCAG, and axe-core in e2e/a11y.spec.ts checks the
// page as drawn; this keeps the palette itself honest.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const tokensCss = readFileSync(fileURLToPath(new URL('../tokens.css', import.meta.url)), 'utf8').replace(/\/\*[^]*?\*\//g, '');
/** The first value each custom property is given in :root. */
const tokens = new Map<string, string>();
for (const m of tokensCss.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) if (!tokens.has(m[1])) tokens.set(m[1], m[2].trim());

/** A token's colour as [r, g, b] (0–255), following var() references; opaque hex colours only. */
function rgbOf(token: string): [number, number, number] {
  let v = tokens.get(token);
  for (let hops = 0; v && /^var\(/.test(v) && hops < 5; hops++) v = tokens.get(/^var\((--[\w-]+)\)$/.exec(v)![1]);
  const hex = v && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v)?.[1];
  if (!hex) throw new Error(`${token} is not an opaque hex colour: ${v}`);
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2.1's relative luminance and contrast ratio. */
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const TEXT = 4.5;
const GRAPHIC = 3;
/** [foreground, background, what it is]: the pairs the stylesheets use. */
const textPairs: [string, string, string][] = [
  ['--ink', '--paper', 'the page'],
  ['--ink', '--surface', 'panels and controls'],
  ['--ink-2', '--surface', 'a hop’s sentence, titles'],
  ['--ink-2', '--packet-current', 'the current hop'],
  ['--muted', '--surface', 'secondary text in a panel'],
  ['--muted', '--paper', 'secondary text on the page'],
  ['--muted', '--chip', 'a port’s chip'],
  ['--muted', '--node-bg', 'small print inside a node'],
  ['--service', '--surface', 'a NAT hop’s action, a Service'],
  ['--service', '--packet-current', 'a NAT hop’s action, current'],
  ['--service', '--service-bg', 'a Service box'],
  ['--tunnel', '--surface', 'a VXLAN hop’s action'],
  ['--tunnel', '--tunnel-bg', 'the VXLAN device'],
  ['--tunnel-ink', '--tunnel-bg', 'the VXLAN device’s small print'],
  ['--pod', '--pod-bg', 'a pod box'],
  ['--node', '--node-bg', 'a node box'],
  ['--bridge', '--bridge-bg', 'cni0'],
  ['--on-strong', '--packet', 'the packet, Send packet'],
  ['--on-strong', '--packet-strong', 'Send packet, hovered'],
  ['--on-strong', '--ok', 'the packet delivered'],
  ['--on-strong', '--bad', 'the packet dropped, Stop recording'],
  ['--on-strong', '--tunnel', 'the packet inside VXLAN'],
  ['--on-strong', '--service', 'a reply hop’s number'],
  ['--on-strong', '--ink-2', 'a hop’s number'],
  ['--on-strong', '--ink', 'Play'],
  ['--on-strong', '--pod', 'the lesson bar'],
  ['--on-strong', '--bar', 'the top bar'],
  ['--on-strong', '--bar-control', 'a control on the top bar'],
  ['--on-strong', '--external', 'the external client'],
  ['--on-dark', '--network', 'the node network'],
  ['--on-dark', '--night', 'commands to copy'],
  ['--ink', '--ok-bg', 'the verdict: delivered'],
  ['--ink', '--bad-bg', 'the verdict: dropped or refused'],
  ['--bad', '--surface', 'an error'],
  ['--bad-ink', '--bad-bg', 'an error notice'],
  ['--bad-ink', '--surface', 'an error toast'],
  ['--hint-ink', '--hint-bg', 'the hint line'],
  ['--rewritten-ink', '--rewritten', 'an address a hop rewrote, the matched rule'],
  ['--ink', '--rewritten-soft', 'a rewritten address in the headers'],
  ['--term-ink', '--term-bg', 'the terminal'],
  ['--term-ink', '--term-path', 'a jump towards the matched rule'],
  ['--rewritten', '--term-path', 'the chain of jumps’ label'],
  ['--term-dim', '--term-bg', 'the terminal’s notes'],
  ['--term-dim', '--term-bar', 'the terminal’s tabs'],
  ['--term-cmd', '--term-bg', 'a command'],
  ['--term-note', '--term-bg', 'where the packet is now'],
];
const graphicPairs: [string, string, string][] = [
  ['--focus-ring', '--surface', 'the focus ring on a panel'],
  ['--focus-ring', '--paper', 'the focus ring on the page and the canvas'],
  ['--focus-ring', '--packet-current', 'the focus ring on the current hop'],
  ['--focus-ring', '--hint-bg', 'the focus ring on the hint line'],
  ['--focus-ring', '--node-bg', 'the focus ring, a lesson’s highlight inside a node'],
  ['--focus-ring', '--pod-bg', 'a lesson’s highlight on a pod'],
  ['--focus-ring', '--bad-bg', 'the focus ring on the recording bar'],
  ['--focus-ring-on-dark', '--bar', 'the focus ring on the top bar'],
  ['--focus-ring-on-dark', '--bar-control', 'the focus ring on a control on the bar'],
  ['--focus-ring-on-dark', '--term-bg', 'the focus ring in the terminal'],
  ['--field-line', '--surface', 'a text field’s or select’s edge'],
  ['--field-line', '--paper', 'a field’s edge on the page'],
  ['--bar-line', '--bar', 'a control’s edge on the top bar'],
  ['--bar-line', '--bar-control', 'a control’s edge, inside'],
  ['--packet', '--paper', 'the ring around the current hop’s device, on the canvas'],
  ['--packet', '--node-bg', 'the ring around a device inside a node'],
  ['--packet', '--pod-bg', 'the ring around a pod'],
  ['--packet', '--bridge-bg', 'the ring around cni0'],
  ['--packet', '--packet-current', 'the current hop’s bar in the list'],
  ['--ok', '--ok-bg', 'the delivered verdict’s border'],
  ['--bad', '--bad-bg', 'the dropped verdict’s border'],
];

describe('colour contrast (WCAG 2.1 AA), from tokens.css', () => {
  it('computes WCAG ratios: black on white is 21:1, a colour on itself 1:1', () => {
    tokens.set('--test-black', '#000');
    tokens.set('--test-white', '#ffffff');
    expect(contrast('--test-black', '--test-white')).toBeCloseTo(21, 5);
    expect(contrast('--test-white', '--test-white')).toBe(1);
  });

  it.each(textPairs)('text %s on %s (%s) is at least 4.5:1', (fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(TEXT);
  });

  it.each(graphicPairs)('%s on %s (%s) is at least 3:1', (fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(GRAPHIC);
  });

  it('the bright --focus alone would not do on white: the ring on light backgrounds is its own token', () => {
    expect(contrast('--focus', '--surface')).toBeLessThan(GRAPHIC);
    expect(contrast('--focus-ring', '--surface')).toBeGreaterThanOrEqual(GRAPHIC);
  });
});
