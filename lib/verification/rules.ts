// What the /verify page tells a researcher to run: pure, so the commands it prints are the
// ones the unit tests check.

/** Characters a POSIX shell reads literally in a word; anything else is single-quoted. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export type OriginHints = {
  /** NEXTAUTH_URL: the site's configured public address, which wins when set. */
  configured?: string;
  /** The request's Host header. */
  host?: string | null;
  /** X-Forwarded-Proto, believed only behind a trusted proxy. */
  forwardedProto?: string | null;
  trustProxy: boolean;
  port: number;
};

/**
 * The site's origin for the commands. The configured URL wins: a Host header is whatever the
 * client sent, and a page naming another site's manifest would send researchers elsewhere.
 */
export function siteOrigin({ configured, host, forwardedProto, trustProxy, port }: OriginHints): string {
  if (configured) return new URL(configured).origin;
  if (!host || !HOST.test(host)) return `http://localhost:${port}`;
  const proto = trustProxy && (forwardedProto === "https" || forwardedProto === "http") ? forwardedProto : "http";
  return `${proto}://${host}`;
}

export type VerifyCommands = {
  /** A release downloaded into ./release, the key pinned. */
  directory: string;
  /** The same release straight from this site's manifest URL. */
  url: string;
  /** The key pinned from its PEM file instead of the verifier key string. */
  pemDownload: string;
  pem: string;
  /** A newer release checked to extend an earlier one. */
  previous: string;
  manifestUrl: string;
};

/** `query`: the /data filters as URL parameters (lib/exports/schema.ts filterParams), or "". */
export function verifyCommands(site: string, verifierKey: string, query: string): VerifyCommands {
  const manifestUrl = `${site}/api/exports/manifest${query ? `?${query}` : ""}`;
  const key = `--key ${shellWord(verifierKey)}`;
  return {
    directory: `npm run verify -- ./release ${key}`,
    url: `npm run verify -- ${shellWord(manifestUrl)} ${key}`,
    pemDownload: `curl -o checkpoint-key.pem ${shellWord(`${site}/api/exports/checkpoint-key.pem`)}`,
    pem: "npm run verify -- ./release --key checkpoint-key.pem",
    previous: `npm run verify -- ./release-new ${key} --previous ./release-old`,
    manifestUrl,
  };
}
