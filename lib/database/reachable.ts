// As root, the embedded PostgreSQL runs as a `postgres` user (PostgreSQL refuses root), which
// must be able to enter every directory above its binaries and its data. A clone under a
// directory other users cannot traverse (/root is mode 700) made initdb die with a spawn
// EACCES stack trace; this finds the first such directory so start-up can say so instead.
import { statSync } from "node:fs";
import path from "node:path";

/** The first directory from the root down to `target`, owned by this user, that other users cannot enter, or null. */
export function untraversableAncestor(target: string): { dir: string; mode: string } | null {
  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    let mode: number;
    let owner: number;
    try {
      ({ mode, uid: owner } = statSync(dir));
    } catch {
      return null; // not made yet: its parent was enterable, and it will be made enterable
    }
    // A directory someone else owns (the data directory, which PostgreSQL keeps at mode 700 for
    // its own user) is that user's to enter; only this user's closed directories keep others out.
    if ((mode & 0o001) === 0 && owner === process.getuid?.()) return { dir, mode: (mode & 0o777).toString(8) };
  }
  return null;
}
