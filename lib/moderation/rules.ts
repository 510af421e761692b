// Pure moderation rules.

/** Open flags on one comment that hide it automatically until a moderator reviews it. */
export const AUTO_HIDE_FLAGS = 3;

export const autoHideReason = (flags: number) =>
  `Hidden automatically after ${flags} flags; a moderator will review it.`;

export function shouldAutoHide(openFlags: number, alreadyHidden: boolean): boolean {
  return !alreadyHidden && openFlags >= AUTO_HIDE_FLAGS;
}
