// Magic-link email. With SMTP_URL set it goes out through nodemailer; without it (the
// embedded demo setup) the link is printed on the server console instead.
import nodemailer from "nodemailer";
import type { SendVerificationRequestParams } from "next-auth/providers/email";
import { env } from "@/lib/env";

export async function sendSignInEmail({ identifier, url, expires }: SendVerificationRequestParams): Promise<void> {
  const { SMTP_URL, EMAIL_FROM } = env();
  const host = new URL(url).host;
  if (!SMTP_URL) {
    console.log(`plenary: sign-in link for ${identifier} (valid until ${expires.toISOString()}): ${url}`);
    return;
  }
  const transport = nodemailer.createTransport(SMTP_URL);
  const result = await transport.sendMail({
    to: identifier,
    from: EMAIL_FROM,
    subject: `Sign in to Plenary (${host})`,
    text: `Sign in to Plenary by opening this link:\n\n${url}\n\nThe link works once and expires at ${expires.toUTCString()}.\nIf you did not ask for it, ignore this email.\n`,
    html: `<p>Sign in to Plenary by opening this link:</p><p><a href="${escapeHtml(url)}">Sign in to ${escapeHtml(host)}</a></p><p>The link works once and expires at ${escapeHtml(expires.toUTCString())}. If you did not ask for it, ignore this email.</p>`,
  });
  const failed = [...(result.rejected ?? []), ...(result.pending ?? [])];
  if (failed.length) throw new Error(`The sign-in email to ${failed.join(", ")} could not be sent.`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
