// Public pseudonyms: readable, unlinkable to the person, stable for the account's life
// (and after deletion, so votes and comments keep their author).
import { randomInt } from "node:crypto";

/** The pseudonym vocabulary; display names may not be made of it (lib/users/names/rules.ts). */
export const ADJECTIVES = [
  "amber", "brisk", "calm", "candid", "civic", "clear", "copper", "curious", "deft", "eager",
  "even", "fair", "frank", "gentle", "golden", "hardy", "honest", "keen", "kind", "lucid",
  "mellow", "modest", "nimble", "patient", "plain", "quiet", "rapid", "ready", "silver", "sober",
  "steady", "stoic", "sunny", "swift", "tidy", "true", "vivid", "warm", "wise", "witty",
];
export const NOUNS = [
  "alder", "badger", "beacon", "birch", "comet", "cormorant", "crane", "delta", "ember", "falcon",
  "fjord", "gannet", "harbor", "heron", "ibex", "juniper", "kestrel", "lantern", "larch", "lynx",
  "maple", "marten", "meadow", "osprey", "otter", "pine", "plover", "quarry", "raven", "ridge",
  "robin", "sparrow", "spruce", "stoat", "summit", "thistle", "tern", "walrus", "willow", "wren",
];

export function newPseudonym(): string {
  const pick = (words: string[]) => words[randomInt(words.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(10_000).toString().padStart(4, "0")}`;
}
