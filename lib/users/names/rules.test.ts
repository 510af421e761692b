import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "@/lib/imports/seed/demo-accounts";
import { ADJECTIVES, NOUNS, newPseudonym } from "../pseudonym";
import { displayNameForm, looksLikePseudonym, nameRefusal, nameSkeleton } from "./rules";

describe("name skeletons", () => {
  it("are one for names that read alike", () => {
    const same = (a: string, b: string) => expect(nameSkeleton(a), `${a} / ${b}`).toBe(nameSkeleton(b));
    same("Alice", "ALICE");
    same("Alice", "\u0410lice"); // Cyrillic А
    same("Alice", "A\u200blice"); // zero width space
    same("Alice", "A\u202elice"); // right-to-left override
    same("Alice", "AIice"); // capital I for l
    same("Alice", "A1ice");
    same("Alice", "\uff21lice"); // fullwidth
    same("Alice", "𝐀lice"); // mathematical bold
    same("Alicé", "Alice");
    same("Zoë", "Zoe");
    same("Mary Ann", "mary-ann");
    same("Mary Ann", "Mary_Ann");
    same("Mary  Ann", "MaryAnn");
    same("Moon", "rnoon");
    same("Otto", "0tt0");
    same("Straße", "STRASSE");
  });

  it("keep names apart that read differently", () => {
    const apart = (a: string, b: string) => expect(nameSkeleton(a), `${a} / ${b}`).not.toBe(nameSkeleton(b));
    apart("Alice", "Alicia");
    apart("Ann", "Anne");
    apart("李小龙", "李小虎");
    apart("कुल", "कल"); // Devanagari vowel signs are letters' parts, not accents
  });

  it("keep the pseudonym vocabulary's pairs apart, so no two pseudonyms look alike", () => {
    const heads = ADJECTIVES.flatMap((a) => NOUNS.map((n) => nameSkeleton(a) + nameSkeleton(n)));
    expect(new Set(heads).size).toBe(ADJECTIVES.length * NOUNS.length);
  });
});

describe("name rules", () => {
  it("store names in NFC with single spaces", () => {
    expect(displayNameForm("  Ada \t  Lovelace ")).toBe("Ada Lovelace");
    expect(displayNameForm("Ade\u0301le")).toBe("Ad\u00e9le");
    expect(displayNameForm("Ada\u00a0\u3000Lovelace")).toBe("Ada Lovelace");
  });

  it("refuse every pseudonym and its disguises", () => {
    for (let i = 0; i < 200; i++) {
      const pseudonym = newPseudonym();
      const [adjective, noun, digits] = pseudonym.split("-") as [string, string, string];
      for (const disguise of [
        pseudonym,
        `${adjective} ${noun} ${digits}`,
        `${adjective.toUpperCase()}_${noun}${digits}`,
        `${adjective}${noun}${digits.replaceAll("0", "O")}`,
      ]) {
        expect(nameRefusal(disguise), disguise).toMatchObject({ reason: "NAME_PSEUDONYM" });
      }
    }
    expect(looksLikePseudonym("Alice Smith 1984")).toBe(true);
    expect(looksLikePseudonym("Alice 1984")).toBe(false);
  });

  it("reserve the demo names except for the demo accounts", () => {
    for (const { name } of DEMO_ACCOUNTS) {
      expect(nameRefusal(name)).toMatchObject({ reason: "NAME_RESERVED" });
      expect(nameRefusal(name, { demo: true })).toBeNull();
    }
    expect(nameRefusal("System", { demo: true })).toMatchObject({ reason: "NAME_RESERVED" });
  });

  it("accept ordinary names, including ones that merely contain a staff word's letters", () => {
    for (const name of [
      "Ada Lovelace",
      "José",
      "Zoë Kravitz",
      "李小龙",
      "नमस्ते",
      "Ecosystem Fan",
      "Badminton Club",
      "Modesty",
      "Edmond",
      "Frank Kestrel",
      "Silver Birch",
      "Alice 1984",
      "R2-D2",
      "Ada L.",
      "O'Brien",
    ]) {
      expect(nameRefusal(name), name).toBeNull();
    }
  });

  it("refuse invisible, blank and over-stacked names", () => {
    for (const name of [
      "\u3164",
      "\u115f\u1160",
      "\u2800",
      "a\u200db",
      "a\u0000b",
      "...",
      "\u0301",
      "Z\u0301\u0302\u0303\u0304\u0305alice",
    ]) {
      expect(nameRefusal(name), JSON.stringify(name)).toMatchObject({ reason: "NAME_INVALID" });
    }
  });
});
