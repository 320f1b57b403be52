// @vitest-environment jsdom
// The Share dialog as a person uses it: the link holds the playground on screen (read
// back by the page's own link reader), Copy says Copied, Tab stays inside, Escape
// closes and gives the keyboard back to Share; a link too long for a QR code says so.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ShareButtons from './ShareButtons.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { loadIo } from '../../store/store.ts';
import { readShareFragment, shareFragment } from '../../store/shareLink.ts';
import { benchScenario } from '../bench.ts';
import { QR_MAX_BYTES, qrOf } from './qr.ts';

const dialog = () => screen.findByRole('dialog', { name: 'Share this playground' });

describe('the Share dialog', () => {
  freshPlaygroundEachTest();
  beforeAll(() => loadIo());
  afterEach(() => vi.unstubAllGlobals());

  it('gives a link to the playground on screen, copies it, keeps Tab inside and closes on Escape', async () => {
    const user = userEvent.setup();
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    st().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'pod', namespace: 'default', name: 'web-2', port: 8080 }, proto: 'tcp' });
    st().setStep(4);
    render(<ShareButtons />);
    await user.click(screen.getByRole('button', { name: 'Share' }));
    const d = await dialog();
    const field = (await within(d).findByRole('textbox', { name: 'Link' }, { timeout: 5000 })) as HTMLInputElement;
    await waitFor(() => expect(field.value).toMatch(/#s=/));
    const back = await readShareFragment(shareFragment(new URL(field.value).hash)!);
    expect(back.ok && back.value.request).toEqual(st().request);
    expect(back.ok && back.value.step).toBe(4);
    expect(within(d).getByRole('img', { name: 'QR code of the link' })).toBeTruthy();

    const copy = within(d).getByRole('button', { name: 'Copy' });
    await waitFor(() => expect(document.activeElement).toBe(copy));
    await user.click(copy);
    expect(copied).toEqual([field.value]);
    expect(within(d).getByRole('button', { name: 'Copied' })).toBeTruthy();

    // Tab goes round the dialog's own controls.
    const close = within(d).getByRole('button', { name: 'Close' });
    await user.tab();
    expect(document.activeElement).toBe(close);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(within(d).getByRole('button', { name: 'Copied' }));

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Share' }));
  });

  it('says when the link is too long for a QR code, rather than failing', async () => {
    const user = userEvent.setup();
    await st().adoptScenario(benchScenario(6, 40));
    render(<ShareButtons />);
    await user.click(screen.getByRole('button', { name: 'Share' }));
    const d = await dialog();
    const note = await within(d).findByRole('note', {}, { timeout: 5000 });
    const length = (within(d).getByRole('textbox', { name: 'Link' }) as HTMLInputElement).value.length;
    expect(length).toBeGreaterThan(QR_MAX_BYTES);
    expect(note.textContent).toBe(`No QR code: this link is ${length.toLocaleString('en')} characters, more than a QR code holds (2,953). Share the link itself.`);
    expect(within(d).queryByRole('img', { name: 'QR code of the link' })).toBeNull();
  }, 30_000);

  it('a QR code holds up to 2,953 bytes', () => {
    expect(qrOf('x'.repeat(QR_MAX_BYTES))).toMatchObject({ ok: true, size: 177 + 4, dense: true });
    // Version 16 (81 modules a side, and the border) is still fine for a room.
    expect(qrOf('x'.repeat(100))).toMatchObject({ ok: true, dense: false });
    expect(qrOf('x'.repeat(QR_MAX_BYTES + 1))).toEqual({ ok: false, code: 'too-long', bytes: QR_MAX_BYTES + 1 });
  });
});
