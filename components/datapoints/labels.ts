// Display names for datapoint enums (no domain logic, no I/O).
export const KIND_LABEL = {
  PAIRWISE: "Pairwise preference",
  RATING: "Rating",
  CLASSIFICATION: "Classification",
} as const;
export const STATUS_LABEL = {
  DRAFT: "Draft",
  OPEN: "Open for voting",
  CLOSED: "Voting closed",
  FINALIZED: "Finalized",
  REOPENED: "Reopened on appeal",
} as const;
