// Reading Calico's IPPool fields from a Cluster document, with the reasons a value is refused:
// loaded with the parser, not the first view.
import type { PodpathIssue } from '../errors.ts';
import { CALICO_ENCAP_MODES, DEFAULT_CALICO_POOL, type CalicoEncapMode, type CalicoPool } from './calicoPool.ts';

/** Why `spec.calico` cannot be read, field by field; [] when it can. */
export function calicoPoolProblems(value: unknown, document: string): { pool?: Partial<CalicoPool>; issues: PodpathIssue[] } {
  const issues: PodpathIssue[] = [];
  const add = (field: string, reason: string) => issues.push({ document, field: `spec.calico${field}`, reason });
  if (value === undefined || value === null) return { issues };
  if (typeof value !== 'object' || Array.isArray(value)) {
    add('', `must be a mapping such as {ipipMode: Never, vxlanMode: Always, blockSize: 26}, got ${JSON.stringify(value)}`);
    return { issues };
  }
  const v = value as Record<string, unknown>;
  const pool: Partial<CalicoPool> = {};
  for (const key of Object.keys(v)) {
    if (key !== 'ipipMode' && key !== 'vxlanMode' && key !== 'blockSize' && key !== 'natOutgoing') add(`.${key}`, `is not an IPPool field podpath reads (it reads ipipMode, vxlanMode, blockSize and natOutgoing)`);
  }
  for (const key of ['ipipMode', 'vxlanMode'] as const) {
    if (v[key] === undefined) continue;
    if (CALICO_ENCAP_MODES.includes(v[key] as CalicoEncapMode)) pool[key] = v[key] as CalicoEncapMode;
    else add(`.${key}`, `must be one of ${CALICO_ENCAP_MODES.join(', ')} (Calico's IPPool values, capitalised), got ${JSON.stringify(v[key])}`);
  }
  if (v.blockSize !== undefined) {
    const b = v.blockSize;
    // Calico's IPPool validation: an IPv4 blockSize is 20 to 32.
    if (typeof b === 'number' && Number.isInteger(b) && b >= 20 && b <= 32) pool.blockSize = b;
    else add('.blockSize', `must be a whole number from 20 to 32 (Calico's limits for IPv4), got ${JSON.stringify(b)}`);
  }
  if (v.natOutgoing !== undefined) {
    if (typeof v.natOutgoing === 'boolean') pool.natOutgoing = v.natOutgoing;
    else add('.natOutgoing', `must be true or false, got ${JSON.stringify(v.natOutgoing)}`);
  }
  const merged = { ...DEFAULT_CALICO_POOL, ...pool };
  if (merged.ipipMode !== 'Never' && merged.vxlanMode !== 'Never') {
    add('', `ipipMode ${merged.ipipMode} and vxlanMode ${merged.vxlanMode}: Calico refuses an IPPool with both IP-in-IP and VXLAN on; set one of them to Never${v.ipipMode === undefined ? ' (ipipMode defaults to Always, as in calico.yaml)' : ''}`);
  }
  return { pool, issues };
}
