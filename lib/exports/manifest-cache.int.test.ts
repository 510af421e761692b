// GET /api/exports/manifest in parallel: identical requests share one build, distinct ones
// are built at most two at a time, and a new cut is a new manifest.
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "@/lib/checkpoints/mutations";
import { decidedBatch, signWithTestCheckpointKey, url } from "./fixtures";
import { manifestBuildsRunning } from "./manifest-cache";
import { exportRoutes } from "@/lib/testing/routes";

const manifestResponse = exportRoutes.manifest;

signWithTestCheckpointKey("plenary.manifest-cache-test/log");

describe("the manifest of a release", () => {
  it("is built once for eight identical requests, and at most twice at a time for distinct ones", async () => {
    await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"] });
    await createCheckpoint();
    const texts = await Promise.all(
      Array.from({ length: 8 }, async () => (await manifestResponse(url("/api/exports/manifest"))).text()),
    );
    // generatedAt differs between builds: one text for all eight means one build answered them.
    expect(new Set(texts).size).toBe(1);
    const first = JSON.parse(texts[0]!) as { asOfSeq: number; signedRelease: string | null };
    expect(first.signedRelease).toMatch(/^plenary-release\/1\n/);

    let most = 0;
    const sampling = setInterval(() => (most = Math.max(most, manifestBuildsRunning())), 1);
    const distinct = await Promise.all(
      ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"].map((share) =>
        manifestResponse(url(`/api/exports/manifest?minAgreement=${share}`)),
      ),
    );
    clearInterval(sampling);
    expect(distinct.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBeLessThanOrEqual(2);

    await decidedBatch({ pairwise: ["B", "B", "B", "A", "B"] });
    await createCheckpoint();
    const later = (await (await manifestResponse(url("/api/exports/manifest"))).json()) as { asOfSeq: number };
    expect(later.asOfSeq).toBeGreaterThan(first.asOfSeq);
  }, 120_000);
});
