"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="space-y-3">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-muted">The page could not be shown. It has been logged; please try again.</p>
      <button type="button" onClick={reset} className="rounded bg-accent px-3 py-1.5 text-white">
        Try again
      </button>
    </div>
  );
}
