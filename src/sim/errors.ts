// Every error a person can cause, as a value: which document, which field, why.
// The CLI prints it and exits 2; the playground shows it next to what caused it.

export interface PodpathIssue {
  /** `Kind/namespace/name` or `Kind/name` of the document, or `file` for the file as a whole. */
  document: string;
  /** The field path in Kubernetes' spelling, e.g. `spec.ports[0].nodePort`. */
  field: string;
  /** Why, in one sentence a person can act on. */
  reason: string;
  /** 1-based line and column in the source file, when known. */
  line?: number;
  column?: number;
}

export class PodpathError extends Error {
  readonly issues: PodpathIssue[];
  constructor(issues: PodpathIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'PodpathError';
    this.issues = issues;
  }
}

export function formatIssue(i: PodpathIssue): string {
  const where = i.line !== undefined ? ` (line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''})` : '';
  const field = i.field ? ` ${i.field}` : '';
  return `${i.document}${field}: ${i.reason}${where}`;
}

/** Either a value or the reasons there is none. Library functions return this; they do not throw. */
export type Result<T> = { ok: true; value: T; warnings: string[] } | { ok: false; issues: PodpathIssue[]; warnings: string[] };

export function ok<T>(value: T, warnings: string[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(issues: PodpathIssue[], warnings: string[] = []): Result<T> {
  return { ok: false, issues, warnings };
}
