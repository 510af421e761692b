// The dataset table's columns, in order: the CSV header and the Parquet schema both come from
// this list, so the two files cannot drift apart. Types are hyparquet-writer's basic types.
import type { DatasetRow } from "./rules";

type ColumnType = "STRING" | "JSON" | "TIMESTAMP" | "INT32" | "INT64" | "DOUBLE" | "BOOLEAN";
export type Column = { name: keyof DatasetRow; type: ColumnType; nullable: boolean; description: string };

export const DATASET_COLUMNS: readonly Column[] = [
  { name: "datapoint_id", type: "STRING", nullable: false, description: "Plenary's datapoint id (UUID)." },
  { name: "external_id", type: "STRING", nullable: false, description: "The importer's id, unique within the batch." },
  { name: "batch", type: "STRING", nullable: false, description: "Batch slug." },
  { name: "kind", type: "STRING", nullable: false, description: "PAIRWISE, RATING or CLASSIFICATION." },
  { name: "category", type: "STRING", nullable: false, description: "helpfulness, harmlessness or honesty." },
  { name: "title", type: "STRING", nullable: false, description: "Short title shown on the site." },
  { name: "prompt", type: "STRING", nullable: false, description: "The prompt." },
  { name: "context", type: "STRING", nullable: true, description: "Earlier turns shown above the prompt." },
  { name: "responses", type: "JSON", nullable: false, description: 'Candidate responses, [{"id":"A","text":…}, …].' },
  {
    name: "label_options",
    type: "JSON",
    nullable: false,
    description: "Label options as published (pairwise options, classes or rating scale).",
  },
  { name: "proposed_label", type: "STRING", nullable: false, description: "The label proposed at import." },
  {
    name: "final_label",
    type: "STRING",
    nullable: true,
    description: "The moderator-finalized label; empty when not final as of the cut.",
  },
  {
    name: "tally_label",
    type: "STRING",
    nullable: true,
    description: "The label the recorded tally decided; empty when it decided none.",
  },
  {
    name: "is_override",
    type: "BOOLEAN",
    nullable: true,
    description: "The final label overrides the tally (two moderators).",
  },
  { name: "decision_id", type: "STRING", nullable: true, description: "The decision record (decisions.jsonl)." },
  { name: "decided_at", type: "TIMESTAMP", nullable: true, description: "When the label became final (UTC)." },
  {
    name: "finalized_seq",
    type: "INT64",
    nullable: true,
    description: "Seq of the decision.finalized event in audit.jsonl.",
  },
  {
    name: "policy_hash",
    type: "STRING",
    nullable: true,
    description: "SHA-256 of the voting policy document (policies.json).",
  },
  { name: "votes", type: "INT32", nullable: true, description: "Votes counted by the tally." },
  {
    name: "agreement",
    type: "DOUBLE",
    nullable: true,
    description: "Majority share: the most-chosen option's share of the counted votes.",
  },
  { name: "margin", type: "DOUBLE", nullable: true, description: "Leader's weighted share minus the runner-up's." },
  {
    name: "margin_lower",
    type: "DOUBLE",
    nullable: true,
    description: "Lower end of the margin's bootstrap interval.",
  },
  {
    name: "margin_upper",
    type: "DOUBLE",
    nullable: true,
    description: "Upper end of the margin's bootstrap interval.",
  },
  { name: "n_eff", type: "DOUBLE", nullable: true, description: "Kish effective sample size of the vote weights." },
  {
    name: "content_hash",
    type: "STRING",
    nullable: false,
    description: "SHA-256 of the published content, as in its datapoint.published event.",
  },
];
