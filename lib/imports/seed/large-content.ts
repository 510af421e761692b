// Synthetic text for the large seed: datapoints (as import records, so they pass the same
// schema as a real import), comment bodies and vote rationales. Lengths are those of real
// content — prompts of a paragraph, responses of a few, comments of a few sentences — so
// pages, exports and the search index carry realistic weight. Pure and seeded.
import { CATEGORIES, datapointRecordSchema, type DatapointRecord } from "@/lib/datapoints/schema";
import type { SeededRandom } from "@/lib/tally/seeded-random";

const WORDS = (
  "answer apply assume balance battery budget careful change check claim clear code compare context cost data " +
  "decide default detail differ document effect energy error estimate evidence example explain fact figure " +
  "file follow garden guide habit health history idea improve include input issue kitchen language layer " +
  "limit list local manage measure method model network number option order pattern person plan policy " +
  "practice price problem process profile question reason record report request result review risk rule " +
  "safety sample schedule search service signal simple source spreadsheet standard step storage summary " +
  "system table task test theory time tool travel trust update value version water weather window work"
).split(" ");
const OPENERS = [
  "How do I",
  "What is the best way to",
  "Can you explain how to",
  "Is it safe to",
  "Why does my",
  "Help me",
];
const PROPOSED_SOURCES = ["reward-model-v3", "heuristic-length", "annotator-pool-b", "reward-model-v2"];
const RATING_CAPTIONS = [
  { question: "How helpful is this response?", minCaption: "Not helpful at all", maxCaption: "Extremely helpful" },
  {
    question: "How honest and well calibrated is this response?",
    minCaption: "Misleading",
    maxCaption: "Fully honest",
  },
];
const CLASS_SETS = [
  {
    question: "Is this refusal appropriate?",
    classes: [
      { id: "justified_refusal", caption: "Justified refusal" },
      { id: "over_refusal", caption: "Over-refusal" },
      { id: "partial_help", caption: "Partial help" },
    ],
  },
  {
    question: "What is the main problem with this response, if any?",
    classes: [
      { id: "none", caption: "No problem" },
      { id: "factual_error", caption: "Factual error" },
      { id: "sycophancy", caption: "Sycophancy" },
      { id: "unsafe_detail", caption: "Unsafe detail" },
    ],
  },
];

export class SyntheticText {
  constructor(private readonly random: SeededRandom) {}

  private pick<T>(list: readonly T[]): T {
    return list[this.random.nextIndex(list.length)]!;
  }

  private between(low: number, high: number): number {
    return low + this.random.nextIndex(high - low + 1);
  }

  sentence(words = this.between(6, 18)): string {
    const parts = Array.from({ length: words }, () => this.pick(WORDS));
    parts[0] = parts[0]!.charAt(0).toUpperCase() + parts[0]!.slice(1);
    return `${parts.join(" ")}.`;
  }

  /** About `words` words in sentences, with a paragraph break now and then. */
  paragraphs(words: number): string {
    const out: string[] = [];
    let count = 0;
    while (count < words) {
      const length = this.between(6, 18);
      out.push(this.sentence(length));
      count += length;
      if (count < words && this.random.nextFloat() < 0.2) out.push("\n\n");
      else if (count < words) out.push(" ");
    }
    return out
      .join("")
      .replace(/ \n\n /g, "\n\n")
      .trim();
  }

  /** A response: paragraphs, and sometimes a short list, as markdown. */
  response(): string {
    const body = this.paragraphs(this.between(80, 240));
    if (this.random.nextFloat() < 0.3) return body;
    const items = Array.from({ length: this.between(2, 5) }, () => `- ${this.sentence(this.between(4, 10))}`);
    return `${body}\n\n${items.join("\n")}`;
  }

  title(): string {
    return `${this.pick(OPENERS)} ${Array.from({ length: this.between(3, 7) }, () => this.pick(WORDS)).join(" ")}?`;
  }

  comment(): string {
    return this.paragraphs(this.between(10, 80));
  }

  rationale(): string {
    return this.sentence(this.between(8, 30));
  }

  /** One candidate datapoint as an import record, validated by the import schema. */
  datapoint(batch: string, externalId: string): DatapointRecord {
    const kindRoll = this.random.nextFloat();
    const common = {
      record: "datapoint" as const,
      batch,
      externalId,
      category: this.pick(CATEGORIES),
      title: this.title(),
      prompt: this.paragraphs(this.between(30, 120)),
      ...(this.random.nextFloat() < 0.2 ? { context: this.paragraphs(this.between(20, 60)) } : {}),
      proposedLabelSource: this.pick(PROPOSED_SOURCES),
    };
    let record: unknown;
    if (kindRoll < 0.6) {
      record = {
        ...common,
        kind: "pairwise",
        responses: [
          { id: "A", text: this.response() },
          { id: "B", text: this.response() },
        ],
        proposedLabel: this.pick(["A", "B", "A", "B", "TIE"]),
      };
    } else if (kindRoll < 0.8) {
      const scale = this.pick(RATING_CAPTIONS);
      const max = this.pick([5, 7]);
      record = {
        ...common,
        kind: "rating",
        responses: [{ id: "A", text: this.response() }],
        labelOptions: { ...scale, min: 1, max },
        proposedLabel: String(this.between(1, max)),
      };
    } else {
      const set = this.pick(CLASS_SETS);
      record = {
        ...common,
        kind: "classification",
        responses: [{ id: "A", text: this.response() }],
        labelOptions: set,
        proposedLabel: this.pick(set.classes).id,
      };
    }
    return datapointRecordSchema.parse(record);
  }
}
