import type { Metadata } from "next";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-bold">Check your email</h1>
      <p>
        A sign-in link is on its way. Open it in this browser to finish signing in; it works once and expires in 30
        minutes.
      </p>
    </div>
  );
}
