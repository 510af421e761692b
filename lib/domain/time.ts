// How the site writes a moment: always UTC, the same on the server and in every reader's
// browser, in one of two precisions. The one place dates are formatted.

// Made once: building a formatter costs far more than formatting with it.
const minuteFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "27 Nov 2026, 08:28 UTC": to the minute, for pages. */
export function formatDate(date: Date): string {
  return `${minuteFormat.format(date)} UTC`;
}

/** "2026-11-27 08:28:39 UTC": to the second, for the log. */
export function formatSecond(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
