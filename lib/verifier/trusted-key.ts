// The key a researcher pins with --key: a PEM public key file, a file holding the C2SP verifier
// key string, or that string itself (`<origin>+<key ID>+<base64 key>`, as the site publishes at
// /.well-known/plenary-checkpoint-key).
import { createPublicKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { noteVerifier, parseVerifierKey, type NoteVerifier } from "@/lib/checkpoints/note";
import { UnusableInput } from "./source";

/** `origin` names a PEM key's log (a PEM carries no name); a verifier key names its own. */
export function readTrustedKey(value: string, origin: string | undefined): NoteVerifier {
  const text = existsSync(value) ? readFileSync(value, "utf8").trim() : value.trim();
  if (text.includes("-----BEGIN")) {
    if (!origin)
      throw new UnusableInput(
        "--key is a PEM key, which names no log, and the release names none; pass the verifier key string instead.",
      );
    try {
      return noteVerifier(origin, createPublicKey(text));
    } catch (error) {
      throw new UnusableInput(`--key ${value} is not an Ed25519 public key (${(error as Error).message}).`);
    }
  }
  const verifier = parseVerifierKey(text);
  if (!verifier)
    throw new UnusableInput(
      `--key ${value} is neither a PEM public key nor a verifier key such as plenary.example.org/log+1a2b3c4d+AW…`,
    );
  return verifier;
}
