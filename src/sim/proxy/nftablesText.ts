// kube-proxy's nftables table as text: `nft list table ip kube-proxy` as nft 1.0.6
// prints it, and the `nft -f` input that builds it. Only `show` and the lab print it,
// so it is kept out of the modules the playground's first view loads.
import { NFT_TABLE, type NftRuleset } from './nftables.ts';

/** `nft list table ip kube-proxy` as nft 1.0.6 prints it (elements in kube-proxy's order; the kernel's may differ). */
export function nftList({ sets, chains }: NftRuleset): string {
  const lines = [`table ip ${NFT_TABLE} {`, '\tcomment "rules for kube-proxy"'];
  for (const x of sets) {
    if (lines.length > 2) lines.push('');
    lines.push(`\t${x.kind} ${x.name} {`, `\t\ttype ${x.type}`, `\t\tcomment "${x.comment}"`);
    // nft puts a map's elements one to a line and packs a set's (wrapping long ones; the differential compares elements, not wrapping).
    if (x.elements.length) lines.push(`\t\telements = { ${x.elements.join(x.kind === 'map' ? ',\n\t\t\t     ' : ', ')} }`);
    lines.push('\t}');
  }
  for (const c of chains) {
    lines.push('', `\tchain ${c.name} {`);
    if (c.comment) lines.push(`\t\tcomment "${c.comment}"`);
    if (c.base) lines.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${c.base.listed}; policy accept;`);
    for (const r of c.rules) lines.push(`\t\t${r.text}`);
    lines.push('\t}');
  }
  return lines.join('\n') + '\n}\n';
}

/**
 * `nft -f` input that builds the table: chains first (nft 1.0.6 wants a chain to
 * exist before a map element names it), then sets, maps and their elements, then rules.
 */
export function nftLoad({ sets, chains }: NftRuleset, counters: boolean): string {
  const t = `ip ${NFT_TABLE}`;
  const out = [`add table ${t} { comment "rules for kube-proxy" ; }`];
  for (const c of chains) {
    const spec = [c.base ? `type ${c.base.type} hook ${c.base.hook} priority ${c.base.priority} ;` : '', c.comment ? `comment "${c.comment}" ;` : ''].filter(Boolean).join(' ');
    out.push(`add chain ${t} ${c.name}${spec ? ` { ${spec} }` : ''}`);
  }
  for (const x of sets) {
    out.push(`add ${x.kind} ${t} ${x.name} { type ${x.type} ; comment "${x.comment}" ; }`);
    for (const el of x.elements) out.push(`add element ${t} ${x.name} { ${el} }`);
  }
  for (const c of chains) {
    for (const r of c.rules) {
      const body = counters ? [r.nft.match, 'counter', r.nft.action].filter(Boolean).join(' ') : r.text;
      out.push(`add rule ${t} ${c.name} ${body}`);
    }
  }
  return out.join('\n') + '\n';
}
