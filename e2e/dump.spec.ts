// A real cluster's dump, imported as a person would: several files picked at once
// (a `kubectl cluster-info dump --output-directory` tree's), read as one cluster with
// the addresses they hold, and what podpath inferred without a Cluster document said.
import { expect, saved, shot, test } from './fixtures.ts';
import { dumpDirectory, dumpLists, kubeadmFlannel } from '../src/sim/testing/dumps.ts';

const files = Object.entries(dumpDirectory(dumpLists(kubeadmFlannel())))
  .filter(([path]) => path === 'nodes.json' || /\/(pods|services)\.json$/.test(path))
  .map(([path, text]) => ({ name: path.replace('/', '-'), mimeType: 'application/json', buffer: Buffer.from(text) }));

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`Import takes a dump's files at once and opens them as one cluster (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await page.getByLabel('Scenario file').setInputFiles(files);
    // The dump's own addresses, on the dump's own nodes.
    await expect(page.getByLabel('pod web-1 10.244.1.5', { exact: true })).toBeVisible();
    await expect(page.getByLabel('pod coredns-7c65d6cfc9-x2bqf 10.244.0.2', { exact: true })).toBeVisible();
    // The CNI the nodes' flannel annotations say, and the message that says what was inferred.
    await expect(page.getByLabel('CNI', { exact: true })).toHaveValue('flannel-vxlan');
    const status = page.getByRole('status').filter({ hasText: 'Imported 5 files as one cluster' });
    await expect(status).toContainText('no podpath.dev/v1alpha1 Cluster document, so one was inferred');
    await expect(status).toContainText("cni flannel-vxlan: flannel's backend-type annotation on cp-1, worker-1 says vxlan");
    await shot(page, `dump-01-imported-${viewport.width}`);
    const s = (await saved(page)).scenario;
    expect(s.cluster).toMatchObject({ podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', nodeNetwork: '192.168.122.0/24' });
  });
}

test('a bad file among them: the cluster stays, and the message names the file', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  const bad = files.map((f) => (f.name === 'default-pods.json' ? { ...f, buffer: Buffer.from(f.buffer.toString().replace('"containerPort": 8080', '"containerPort": 99999')) } : f));
  await page.getByLabel('Scenario file').setInputFiles(bad);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('default-pods.json: Pod/default/web-1 spec.containers[0].ports[0].containerPort: must be a port number 1-65535, got 99999');
  // The demo is still there.
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await shot(page, 'dump-02-bad-file');
});
