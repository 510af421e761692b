// Links to the neighbouring pages of the log (keyset by seq) and back to the newest events.
import Link from "next/link";

type Props = { newerHref: string | null; olderHref: string | null; newestHref: string | null };

const PAGE_LINK = "rounded border border-gray-300 bg-white px-3 py-1.5 text-sm text-accent hover:bg-gray-50";

export function AuditPager({ newerHref, olderHref, newestHref }: Props) {
  if (!newerHref && !olderHref && !newestHref) return null;
  return (
    <nav aria-label="Pages of the log" className="flex flex-wrap gap-3">
      {newestHref && (
        <Link href={newestHref} className={PAGE_LINK}>
          Newest
        </Link>
      )}
      {newerHref && (
        <Link href={newerHref} rel="prev" className={PAGE_LINK}>
          Newer
        </Link>
      )}
      {olderHref && (
        <Link href={olderHref} rel="next" className={PAGE_LINK}>
          Older
        </Link>
      )}
    </nav>
  );
}
