import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
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
});
