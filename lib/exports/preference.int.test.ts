import { beforeAll, describe, expect, it } from "vitest";
import { decidedBatch, linesOf, signWithTestCheckpointKey, url } from "./fixtures";
import { exportRoutes } from "@/lib/testing/routes";

const tableExportResponse = exportRoutes.table;

signWithTestCheckpointKey();

// Two turns whose contents span lines, as the seed batches write them.
const CONTEXT =
  "User: I boil eggs for a picnic:\n\n- a dozen\n- hard\nAssistant: How soon do you leave?\nUser: In an hour.";

const pairsOf = async (slug: string) =>
  linesOf(
    await tableExportResponse("dataset.preference.jsonl", url(`/api/exports/dataset.preference.jsonl?batch=${slug}`)),
  );

let single: Awaited<ReturnType<typeof decidedBatch>>;
let conversation: Awaited<ReturnType<typeof decidedBatch>>;

beforeAll(async () => {
  single = await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"] });
  conversation = await decidedBatch({ pairwise: ["B", "B", "B", "A", "A"] }, { pairwiseContext: CONTEXT });
}, 120_000);

describe("preference pairs as downloaded", () => {
  it("are TRL's standard format (strings) for a single-turn datapoint", async () => {
    const [pair, ...more] = await pairsOf(single.slug);
    expect(more).toEqual([]);
    expect(pair).toEqual({
      prompt: "How do I boil an egg?",
      chosen: "Simmer 9 minutes.",
      rejected: "Microwave it.",
      metadata: expect.objectContaining({ context: null, chosen_id: "A" }),
    });
  });

  it("are TRL's conversational format for an imported context: its turns, then the prompt, and the context kept verbatim", async () => {
    const [pair, ...more] = await pairsOf(conversation.slug);
    expect(more).toEqual([]);
    expect(pair).toEqual({
      prompt: [
        { role: "user", content: "I boil eggs for a picnic:\n\n- a dozen\n- hard" },
        { role: "assistant", content: "How soon do you leave?" },
        { role: "user", content: "In an hour." },
        { role: "user", content: "How do I boil an egg?" },
      ],
      chosen: [{ role: "assistant", content: "Microwave it." }],
      rejected: [{ role: "assistant", content: "Simmer 9 minutes." }],
      metadata: expect.objectContaining({
        context: CONTEXT,
        final_label: "B",
        chosen_id: "B",
        rejected_id: "A",
        datapoint_id: conversation.pairwise,
      }),
    });
  });
});
