// The unknown fields each Service was read with. Its own module, not knownFields.ts':
// the trace's checks of its ends read it in the playground's first view, which does not
// need the parser's tables of known fields (they load with the YAML reader).

/** One field Kubernetes does not know, where it is, and the known field it is probably a typo of. */
export interface UnknownField {
  path: string;
  didYouMean?: string;
}

/**
 * The unknown fields of each Service as read, so a trace to a Service left without a
 * selector by a typo (`selecter:`) can point at the typo, not at missing endpoints.
 */
export const serviceTypos = new WeakMap<object, UnknownField[]>();
