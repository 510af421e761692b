import type { Metadata } from "next";
import Link from "next/link";
import { UserMenu } from "@/components/auth/UserMenu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Plenary", template: "%s · Plenary" },
  description: "Public deliberation and weighted voting on AI-alignment training data.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <header className="border-b border-gray-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Plenary
            </Link>
            <Link href="/datapoints" className="text-sm text-muted hover:text-ink">
              Datapoints
            </Link>
            <Link href="/policies" className="text-sm text-muted hover:text-ink">
              Policies
            </Link>
            <Link href="/audit" className="text-sm text-muted hover:text-ink">
              Audit log
            </Link>
            <Link href="/data" className="text-sm text-muted hover:text-ink">
              Data
            </Link>
            <div className="ml-auto">
              <UserMenu />
            </div>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
          {children}
        </main>
        <footer className="mx-auto max-w-6xl px-4 py-8 text-sm text-muted">
          Every published datapoint, vote and decision is recorded in an append-only, hash-chained audit log.{" "}
          <Link href="/developers" className="underline hover:text-ink">
            Public API
          </Link>{" "}
          ·{" "}
          <Link href="/verify" className="underline hover:text-ink">
            Verify a release
          </Link>
        </footer>
      </body>
    </html>
  );
}
