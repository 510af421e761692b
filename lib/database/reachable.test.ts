import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { untraversableAncestor } from "./reachable";

const root = mkdtempSync(path.join(tmpdir(), "plenary-reachable-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a directory the postgres user cannot enter", () => {
  it("is found above the path, as /root (mode 700) is above a clone in it", () => {
    const home = path.join(root, "home");
    mkdirSync(path.join(home, "clone", "node_modules"), { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(home, 0o700);
    expect(untraversableAncestor(path.join(home, "clone", "node_modules"))).toEqual({ dir: home, mode: "700" });
    chmodSync(home, 0o711);
    expect(untraversableAncestor(path.join(home, "clone", "node_modules"))).toBeNull();
    expect(untraversableAncestor(path.join(home, "clone", "not-made-yet", "pg"))).toBeNull();
  });

  it("is not the data directory PostgreSQL keeps at mode 700 for its own user", () => {
    const pg = path.join(root, "data", "pg");
    mkdirSync(pg, { recursive: true });
    chmodSync(path.join(root, "data"), 0o755);
    chmodSync(pg, 0o700);
    if (process.getuid?.() === 0) {
      chownSync(pg, 65534, 65534); // nobody: another user's directory
      expect(untraversableAncestor(pg)).toBeNull();
    } else {
      expect(untraversableAncestor(pg)).toEqual({ dir: pg, mode: "700" });
    }
  });
});
