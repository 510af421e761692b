import type { Counts } from "@/lib/tally/counts";

export function TallyView({ counts, captions }: { counts: Counts; captions: Map<string, string> }) {
  return (
    <section aria-labelledby="tally" className="space-y-2" data-testid="tally">
      <h3 id="tally" className="font-semibold">Current tally (unweighted)</h3>
      <p className="text-sm text-muted">{counts.total === 1 ? "1 vote" : `${counts.total} votes`}</p>
      <ul className="space-y-1">
        {counts.options.map((o) => (
          <li key={o.option} className="text-sm">
            <div className="flex justify-between">
              <span>{captions.get(o.option) ?? o.option}</span>
              <span>
                {o.count} ({Math.round(o.share * 100)}%)
              </span>
            </div>
            <div aria-hidden="true" className="h-2 rounded bg-gray-200">
              <div className="h-2 rounded bg-accent" style={{ width: `${o.share * 100}%` }} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
