// next-auth 4: magic-link email, GitHub when configured, database sessions through the
// Prisma adapter. Demo sign-in is a separate route (lib/auth/mutations.ts) because
// next-auth's credentials provider cannot create database sessions.
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import EmailProvider from "next-auth/providers/email";
import GitHubProvider from "next-auth/providers/github";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createSignInUser } from "@/lib/users/mutations";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./cookies";
import { sendSignInEmail } from "./email";

function adapter(): Adapter {
  const base = PrismaAdapter(db as never) as Adapter;
  return {
    ...base,
    // Every account gets a pseudonym and its `user.created` audit event.
    createUser: async (user: Omit<AdapterUser, "id">) => (await createSignInUser(user)) as AdapterUser,
    // next-auth updates a user only to mark the email verified: no provider's name (or any
    // other field) enters this way, so names are set only through the naming rules.
    updateUser: ({ id, emailVerified }) => base.updateUser!({ id, emailVerified }),
  };
}

function providers(): NextAuthOptions["providers"] {
  const settings = env();
  const list: NextAuthOptions["providers"] = [
    EmailProvider({ from: settings.EMAIL_FROM, maxAge: 30 * 60, sendVerificationRequest: sendSignInEmail }),
  ];
  if (settings.GITHUB_ID && settings.GITHUB_SECRET) {
    list.push(GitHubProvider({ clientId: settings.GITHUB_ID, clientSecret: settings.GITHUB_SECRET }));
  }
  return list;
}

export const authOptions: NextAuthOptions = {
  adapter: adapter(),
  providers: providers(),
  secret: env().NEXTAUTH_SECRET,
  // Requests read the session themselves (lib/auth/data.ts, by these same rules); next-auth
  // reads it in its own routes.
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
  pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
  callbacks: {
    // Deleted accounts cannot sign in again (their email is erased, but OAuth links were too).
    signIn: async ({ user }) => !(user as { deletedAt?: Date | null }).deletedAt,
    session: async ({ session, user }) => ({
      ...session,
      user: { id: user.id, name: user.name ?? null, pseudonym: (user as { pseudonym?: string }).pseudonym },
    }),
  },
};

export const githubEnabled = (): boolean => !!(env().GITHUB_ID && env().GITHUB_SECRET);
