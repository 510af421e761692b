// Pure rules about datapoints: what their published content is, its hash, their options
// and where a datapoint stands in its lifecycle given its batch's times.
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { DatapointRecord } from "./schema";

export type LabelOption = { id: string; caption: string };

export const PAIRWISE_LABEL_OPTIONS: LabelOption[] = [
  { id: "A", caption: "A is better" },
  { id: "B", caption: "B is better" },
  { id: "TIE", caption: "Equally good" },
  { id: "BOTH_BAD", caption: "Both unacceptable (exclude from dataset)" },
];

/** Label options as stored: pairwise gets the fixed four; others keep what was imported. */
export function labelOptionsOf(record: DatapointRecord): Record<string, unknown> {
  return record.kind === "pairwise" ? { options: PAIRWISE_LABEL_OPTIONS } : record.labelOptions;
}

/** Everything a voter is asked to judge, in the form that is hashed and published. */
export function publishedContent(record: DatapointRecord) {
  return {
    externalId: record.externalId,
    kind: record.kind,
    category: record.category,
    title: record.title,
    prompt: record.prompt,
    context: record.context ?? null,
    responses: record.responses,
    labelOptions: labelOptionsOf(record),
    proposedLabel: record.proposedLabel,
    proposedLabelSource: record.proposedLabelSource,
  };
}

export function contentHashOf(record: DatapointRecord): string {
  return sha256Hex(canonicalJson(publishedContent(record)));
}

export type ScheduledStatus = "DRAFT" | "OPEN" | "CLOSED";

/** Draft before the batch opens, open while it is open, closed after. */
export function scheduledStatus(batch: { opensAt: Date; closesAt: Date }, now: Date): ScheduledStatus {
  if (now < batch.opensAt) return "DRAFT";
  return now < batch.closesAt ? "OPEN" : "CLOSED";
}

export type OptionsView = { question: string; options: LabelOption[] };

/** The choices a voter has, in one shape for every kind (ratings become one option per point). */
export function optionsView(kind: "PAIRWISE" | "RATING" | "CLASSIFICATION", labelOptions: unknown): OptionsView {
  const stored = labelOptions as Record<string, unknown>;
  if (kind === "PAIRWISE") return { question: "Which response is better?", options: PAIRWISE_LABEL_OPTIONS };
  if (kind === "CLASSIFICATION") {
    const { question, classes } = stored as { question: string; classes: LabelOption[] };
    return { question, options: classes };
  }
  const scale = stored as { question: string; min: number; max: number; minCaption: string; maxCaption: string };
  const options: LabelOption[] = [];
  for (let value = scale.min; value <= scale.max; value++) {
    const caption = value === scale.min ? scale.minCaption : value === scale.max ? scale.maxCaption : "";
    options.push({ id: String(value), caption: caption ? `${value} — ${caption}` : String(value) });
  }
  return { question: scale.question, options };
}
