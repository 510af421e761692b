// What a display name may be. A name is a claim about who someone is, so it may not copy
// another person, a pseudonym, the site or a role. Names are compared by their skeleton:
// what is left once everything that does not change how a name reads is taken away, so two
// names with one skeleton look alike and only the first to claim it keeps it (the database
// holds the skeleton under a unique index). Pure: no database, no framework.
import unhomoglyph from "unhomoglyph";
import { DEMO_ACCOUNTS } from "@/lib/imports/seed/demo-accounts";
import { ADJECTIVES, NOUNS } from "../pseudonym";

/** Someone as the public record shows them: the display name then (else the pseudonym), and the pseudonym. */
export type Person = { name: string; pseudonym: string };

/** "Ada (calm-otter-0412)", or the pseudonym alone when no other name is shown. */
export function personLabel(person: Person): string {
  return person.name === person.pseudonym ? person.pseudonym : `${person.name} (${person.pseudonym})`;
}

export type NameRefusal = { reason: "NAME_INVALID" | "NAME_RESERVED" | "NAME_PSEUDONYM"; message: string };

/** Characters no font draws: controls, format and bidi controls, default-ignorables (zero widths, Hangul fillers), the braille blank. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");
/** Accents on Latin, Greek and Cyrillic letters (after NFD): a name with or without them reads the same. */
const ACCENT = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}*)\p{M}/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}\p{M}]/gu;
const STACKED_MARKS = /\p{M}{5,}/u;

/** The form a name is stored in: NFC, each run of spaces as one space, trimmed. */
export function displayNameForm(name: string): string {
  return name
    .normalize("NFC")
    .replace(/[\s\p{Z}]+/gu, " ")
    .trim();
}

const fold = (s: string) => s.toUpperCase().toLowerCase(); // full case folding: ß → ss, ſ → s
/** One UTS #39 pass: fold case, decompose, map each confusable to its prototype (Unicode's confusables.txt). */
const mapOnce = (s: string) => unhomoglyph(fold(s).normalize("NFD")).normalize("NFD");

/**
 * The skeleton two names share when they look alike: NFKC (fullwidth and styled letters),
 * invisible characters removed, case folded, confusables mapped as UTS #39 does ("а" → "a",
 * "0" → "o", "m" → "rn"), accents on Latin, Greek and Cyrillic letters dropped, and nothing
 * kept but letters, digits and marks, so spacing and punctuation do not tell names apart.
 * The prototypes are case-sensitive ("I" → "l" but "i" stays), and names are compared
 * without case, so "i" counts as "l" too: otherwise "AIice" would pass for "Alice".
 */
export function nameSkeleton(name: string): string {
  let s = name.normalize("NFKC").replace(INVISIBLE_ALL, "");
  // A prototype may itself fold or map further ("0" → "O" → "o"): repeat until it rests.
  for (let i = 0, previous = ""; i < 4 && s !== previous; i++) [previous, s] = [s, mapOnce(s)];
  return s.replace(ACCENT, "").replace(NOT_LETTER_OR_DIGIT, "").replaceAll("i", "l").normalize("NFC");
}

/** The name's words: what spaces, punctuation or a change from lower to upper case separate ("AdminAlice" is two). */
function words(name: string): string[] {
  return name
    .normalize("NFKC")
    .replace(INVISIBLE_ALL, "")
    .split(/[^\p{L}\p{N}\p{M}]+|(?<=\p{Ll})(?=\p{Lu})/u)
    .filter(Boolean);
}

const skeletons = (list: readonly string[]) => new Set(list.map(nameSkeleton));

/** Whole names nobody may take: the site, the system's own words in the log, placeholders. */
const RESERVED_NAMES = skeletons([
  "system",
  "the system",
  "plenary",
  "admin",
  "administrator",
  "moderator",
  "mod",
  "researcher",
  "citizen",
  "staff",
  "official",
  "support",
  "root",
  "sysop",
  "anonymous",
  "anon",
  "deleted",
  "deleted account",
  "deleted user",
  "unknown",
  "unknown account",
  "an unknown account",
  "nobody",
  "null",
  "undefined",
  "demo",
  ...DEMO_ACCOUNTS.map((a) => a.name),
]);
/** Words that claim a role or speak for the site: refused as any word (or run of words) of a name. */
const STAFF_WORDS = skeletons([
  "admin",
  "administrator",
  "moderator",
  "mod",
  "researcher",
  "system",
  "plenary",
  "staff",
  "official",
  "verified",
  "sysop",
  "demo",
]);
/** Staff words distinctive enough to refuse also glued to the start or end of a name ("moderatoralice"). */
const STAFF_AFFIXES = [...skeletons(["admin", "moderator", "researcher", "plenary"])];
const LONGEST_STAFF_WORD = Math.max(...[...STAFF_WORDS].map((w) => w.length));
const DEMO_NAMES = skeletons(DEMO_ACCOUNTS.map((a) => a.name));

/** An adjective and a noun of the pseudonym vocabulary, as skeletons; and what the digits become. */
const PSEUDONYM_HEADS = new Set(ADJECTIVES.flatMap((a) => NOUNS.map((n) => nameSkeleton(a) + nameSkeleton(n))));
const DIGIT_SKELETONS = skeletons([..."0123456789"]);
/** The pseudonym's shape in any vocabulary: two words of letters, then four digits. */
const PSEUDONYM_SHAPE = /^\p{L}[\p{L}\p{M}]* \p{L}[\p{L}\p{M}]* ?\p{Nd}{4}$/u;

function claimsRole(name: string, skeleton: string): boolean {
  if (RESERVED_NAMES.has(skeleton)) return true;
  if (STAFF_AFFIXES.some((a) => skeleton.startsWith(a) || skeleton.endsWith(a))) return true;
  // Runs of words too, so splitting a word ("S Y S T E M", "SyStem") does not hide it.
  const parts = words(name).map(nameSkeleton);
  for (let i = 0; i < parts.length; i++) {
    let run = "";
    for (let j = i; j < parts.length && run.length <= LONGEST_STAFF_WORD; j++) {
      run += parts[j];
      if (STAFF_WORDS.has(run)) return true;
    }
  }
  return false;
}

/**
 * Whether a name passes for a pseudonym: the vocabulary's adjective and noun followed by
 * digits or their look-alikes, however spaced or cased ("Calm Otter O412"), or any two words
 * and four digits ("Happy Dog 1234"). Every pseudonym is drawn from that vocabulary
 * (lib/users/pseudonym.ts), so this refuses every pseudonym, of live, deleted and future
 * accounts alike, and every look-alike of one.
 */
export function looksLikePseudonym(name: string, skeleton = nameSkeleton(name)): boolean {
  for (let end = skeleton.length - 1; end > 0 && DIGIT_SKELETONS.has(skeleton[end]!); end--) {
    if (PSEUDONYM_HEADS.has(skeleton.slice(0, end))) return true;
  }
  const spaced = words(name.replace(/(?<=\p{L})(?=\p{Nd})/gu, " ")).join(" ");
  return PSEUDONYM_SHAPE.test(spaced);
}

/**
 * Why a name (in its stored form) may not be anyone's, or null when it may: the checks that
 * need no other account. That no live account has the same skeleton is the database's to
 * say. `demo`: the account is a seeded demo account, which keeps its reserved demo name.
 */
export function nameRefusal(name: string, { demo = false }: { demo?: boolean } = {}): NameRefusal | null {
  if (INVISIBLE.test(name))
    return { reason: "NAME_INVALID", message: "The name contains invisible or control characters." };
  if (STACKED_MARKS.test(name))
    return { reason: "NAME_INVALID", message: "The name stacks too many accents on one letter." };
  const skeleton = nameSkeleton(name);
  if (!/[\p{L}\p{N}]/u.test(skeleton))
    return { reason: "NAME_INVALID", message: "A display name needs at least one letter or digit." };
  if (!(demo && DEMO_NAMES.has(skeleton)) && claimsRole(name, skeleton)) {
    return {
      reason: "NAME_RESERVED",
      message:
        "That name is reserved: a display name may not be, or contain, a role or staff word (such as admin, moderator or system), nor the site's or a demo account's name.",
    };
  }
  if (looksLikePseudonym(name, skeleton)) {
    return {
      reason: "NAME_PSEUDONYM",
      message: "Names shaped like a pseudonym (such as calm-otter-0412) are kept for pseudonyms; choose another.",
    };
  }
  return null;
}

export const NAME_TAKEN_MESSAGE = "Someone already goes by that name, or by one that looks the same; choose another.";
