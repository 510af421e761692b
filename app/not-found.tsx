import Link from "next/link";

export default function NotFound() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-muted">There is no page or datapoint at this address.</p>
      <Link href="/" className="text-accent underline">
        Back to Plenary
      </Link>
    </div>
  );
}
