// Display names for datapoint enums (no domain logic, no I/O).
export const KIND_LABEL = { PAIRWISE: "Pairwise preference", RATING: "Rating", CLASSIFICATION: "Classification" } as const;
export const STATUS_LABEL = {
  DRAFT: "Draft",
  OPEN: "Open for voting",
  CLOSED: "Voting closed",
  FINALIZED: "Finalized",
  REOPENED: "Reopened on appeal",
} as const;

// Made once: building a formatter costs far more than formatting with it.
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDate(date: Date): string {
  return dateFormat.format(date) + " UTC";
}
