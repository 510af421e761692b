// `npm run key:rotate -- --new <PKCS#8 PEM file>`: hand the log over to a new Ed25519 key. With
// the site stopped (so no instance signs with the old key afterwards): signs a last checkpoint
// of the whole log with the old key, has the old key sign a rotation statement naming the new
// key and that tree size (lib/checkpoints/rotation.ts), appends it to the rotations file beside
// the key, keeps the old key as <key file>.retired-<key ID> and puts the new key in its place.
// Releases then carry the rotations, so a verifier that trusted the old key trusts the new one.
import { parseArgs } from "node:util";
import { ConfigError, databaseUrl } from "@/lib/env";

function fail(message: string): never {
  console.error(`key:rotate: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { new: { type: "string" }, help: { type: "boolean", short: "h" } } });
} catch (error) {
  fail((error as Error).message);
}
if (args.values.help || !args.values.new) {
  console.log(
    "Usage: npm run key:rotate -- --new <Ed25519 private key, PKCS#8 PEM>   (openssl genpkey -algorithm ed25519 -out new.pem)\nStop the site first; start it again afterwards.",
  );
  process.exit(args.values.help ? 0 : 2);
}
try {
  databaseUrl();
  const { noteVerifier } = await import("@/lib/checkpoints/note");
  const { signKeyRotation } = await import("@/lib/checkpoints/rotation");
  const { configuredSigner } = await import("@/lib/checkpoints/signer");
  const { createCheckpoint } = await import("@/lib/checkpoints/mutations");
  const { latestCheckpoint } = await import("@/lib/checkpoints/data");
  const { installRotatedKey, readPrivateKeyFile } = await import("@/lib/runtime/checkpoint-key");
  const { toHex } = await import("@/lib/audit/hash");
  const next = readPrivateKeyFile(args.values.new);
  const signer = configuredSigner();
  const from = noteVerifier(signer.name, signer.privateKey);
  const to = noteVerifier(signer.name, next);
  if (toHex(from.publicKey) === toHex(to.publicKey)) fail("the new key is the key in use.");
  await createCheckpoint();
  const last = await latestCheckpoint();
  const lastTreeSize = last ? Number(last.treeSize) : 0;
  const note = signKeyRotation(signer, from, to, lastTreeSize);
  const { retired } = installRotatedKey(next, note, toHex(from.keyId));
  console.log(
    `key:rotate: the old key ${toHex(from.keyId)} signed the log up to tree size ${lastTreeSize} and handed it to ${toHex(to.keyId)}.`,
  );
  console.log(
    `key:rotate: the old key is kept as ${retired}. Start the site again: it signs with the new key from now on.`,
  );
  process.exit(0);
} catch (error) {
  fail(error instanceof ConfigError ? error.message : (error as Error).message);
}
