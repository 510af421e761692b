import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";

export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);
export const MAIL_DIR = path.resolve(".data-test/mail");

/** Waits for the newest email to `address` and returns the sign-in link in it. */
export async function signInLinkFor(address: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = existsSync(MAIL_DIR)
      ? readdirSync(MAIL_DIR)
          .filter((f) => f.endsWith(`-${address}.eml`))
          .sort()
      : [];
    const newest = files.at(-1);
    if (newest) {
      const mail = await simpleParser(readFileSync(path.join(MAIL_DIR, newest)));
      const link = mail.text?.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)?.[0];
      if (link) return link;
      throw new Error(`The email to ${address} has no sign-in link.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No email reached ${address} within ${timeoutMs} ms.`);
}
