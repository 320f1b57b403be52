// The picture of the playground on screen, downloaded as SVG or PNG (the SVG drawn
// into a canvas at twice its size, for a sharp slide on a projector).
import { dataplaneOf, selectHops, selectNodeNetworkName, selectTrace } from '../../store/derived.ts';
import { playground } from '../playground.ts';
import { PALETTE_TOKENS, pictureFileName, pictureSvg, type Palette, type PictureInput } from './picture.ts';
import { downloadBlob } from '../io.ts';

/** The page's colour tokens, so the picture matches the canvas. */
function pagePalette(): Palette {
  const css = getComputedStyle(document.documentElement);
  return Object.fromEntries(Object.entries(PALETTE_TOKENS).map(([k, token]) => [k, css.getPropertyValue(token).trim()])) as unknown as Palette;
}

export function pictureInputNow(): PictureInput {
  const st = playground.getState();
  const t = selectTrace(st);
  return {
    scenario: st.scenario,
    positions: st.positions,
    dataplane: dataplaneOf(st.scenario),
    request: st.request,
    trace: t?.kind === 'traced' ? t.trace : null,
    hops: selectHops(st),
    step: st.step,
    nodeNetwork: selectNodeNetworkName(st),
    palette: pagePalette(),
  };
}

export function downloadSvg(): string {
  const input = pictureInputNow();
  const name = pictureFileName(input.request, 'svg');
  downloadBlob(name, new Blob([pictureSvg(input)], { type: 'image/svg+xml' }));
  return name;
}

/** Draw SVG text into a canvas `scale` times its size. */
async function rasterize(svg: string, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.naturalWidth * scale);
    canvas.height = Math.round(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob gave nothing'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A browser caps a canvas (Chrome: 268 million pixels, 32,767 a side; iOS Safari: 16.7 million): too big at 2×, it is drawn at 1× rather than not at all. */
export async function downloadPng(): Promise<string> {
  const input = pictureInputNow();
  const svg = pictureSvg(input);
  const name = pictureFileName(input.request, 'png');
  let png: Blob;
  try {
    png = await rasterize(svg, 2);
  } catch {
    png = await rasterize(svg, 1);
  }
  downloadBlob(name, png);
  return name;
}
