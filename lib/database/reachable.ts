// As root, the embedded PostgreSQL runs as a `postgres` user (PostgreSQL refuses root), which
// must be able to enter every directory above its binaries and its data. A clone under a
// directory other users cannot traverse (/root is mode 700) made initdb die with a spawn
// EACCES stack trace; this finds the first such directory so start-up can say so instead.
import { statSync } from "node:fs";
import path from "node:path";

/** The first directory from `target` up to the root that users other than its owner cannot enter, or null. */
export function untraversableAncestor(target: string): { dir: string; mode: string } | null {
  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    let mode: number;
    try {
      mode = statSync(dir).mode;
    } catch {
      return null; // not made yet: its parent was enterable, and it will be made enterable
    }
    if ((mode & 0o001) === 0) return { dir, mode: (mode & 0o777).toString(8) };
  }
  return null;
}
