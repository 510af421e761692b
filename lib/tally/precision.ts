// Every number the engine publishes is rounded to 12 significant digits. The arithmetic
// itself is IEEE-754 double (+ − × ÷ and √ are exactly specified, and the engine sums in
// a fixed order), so the same code gives the same bits anywhere; rounding the output also
// gives a reimplementation in another language room for last-place differences.
// Number.prototype.toPrecision is exactly specified by ECMAScript, unlike printf-style %g.

const SIGNIFICANT_DIGITS = 12;

/** The published form of a number: 12 significant digits, no negative zero. */
export function published(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot publish ${value}`);
  if (value === 0) return 0;
  return Number(value.toPrecision(SIGNIFICANT_DIGITS));
}
