// GET /api/exports/manifest is the costliest anonymous request: every file of the release is
// produced and hashed to answer it. For one set of filters at one signed cut under one key the
// answer is always the same (Ed25519 signatures are deterministic; only generatedAt differs),
// so each process builds it once, requests that arrive while it is built share that build, and
// at most MAX_BUILDS distinct manifests are built at a time: varying the filters queues the
// requests instead of multiplying the work. A cached manifest never outlives its meaning: a new
// cut or a rotated key is a new key of the cache.
import { canonicalJson } from "@/lib/audit/canonical";
import { BoundedMap } from "@/lib/runtime/bounded-map";
import { buildManifest, type Manifest, type ReleasePlan } from "./manifest";

const MAX_BUILDS = 2;
const cache = new BoundedMap<string, Promise<Manifest>>(256);
let building = 0;
const waiting: (() => void)[] = [];

export function cachedManifest(plan: ReleasePlan): Promise<Manifest> {
  const key = canonicalJson({
    filters: plan.filters,
    treeSize: String(plan.checkpoint.treeSize),
    keyId: plan.key?.keyId ?? null,
  });
  const cached = cache.get(key);
  if (cached) return cached;
  const built = limited(() => buildManifest(plan));
  cache.set(key, built);
  // A failed build is not remembered: the next request tries again.
  built.catch(() => cache.delete(key));
  return built;
}

async function limited<T>(work: () => Promise<T>): Promise<T> {
  while (building >= MAX_BUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
  building++;
  try {
    return await work();
  } finally {
    building--;
    waiting.shift()?.();
  }
}

/** For tests: how many builds run now. */
export const manifestBuildsRunning = () => building;
