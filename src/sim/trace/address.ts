// A hop's packet carries its ends as `IP:PORT` text (what a person reads): written here,
// and read back here by what rebuilds the packet from the hops (captures, flows).

export const hostPort = (ip: string, port: number) => `${ip}:${port}`;

/** The address and port of an `IP:PORT` text, as hostPort wrote it. */
export function splitHostPort(text: string): { ip: string; port: number } {
  const i = text.lastIndexOf(':');
  return { ip: text.slice(0, i), port: Number(text.slice(i + 1)) };
}
