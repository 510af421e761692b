import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ImportForm } from "@/components/imports/ImportForm";
import { currentUser } from "@/lib/auth/session";
import { canImport } from "@/lib/imports/policy";
import { MAX_IMPORT_LINES } from "@/lib/imports/rules";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Import datapoints" };

export default async function ImportPage() {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/admin/import");
  if (!canImport(user)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Import datapoints</h1>
        <p role="alert" className="text-red-800">
          Only admins can import datapoints.
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Import datapoints</h1>
      <p className="text-sm">
        <Link href="/admin/roles" className="underline">
          Roles
        </Link>
      </p>
      <p className="max-w-prose text-sm">
        A JSONL file: one <code>batch</code> record, then its <code>datapoint</code> records, one JSON object a line (up
        to {MAX_IMPORT_LINES.toLocaleString("en-US")} lines). Every line is checked first; if any line has a problem,
        nothing is imported and the report names each line. Importing the same file again changes nothing.
      </p>
      <ImportForm />
    </div>
  );
}
