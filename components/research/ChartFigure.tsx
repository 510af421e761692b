import type { ChartTable } from "@/lib/research/charts";
import type { ChartId } from "@/lib/research/schema";

type Props = { slug: string; id: ChartId; title: string; description: string; svg: string; table: ChartTable };

/**
 * One research chart: heading, what it shows in words, the server-rendered SVG (no chart
 * JavaScript reaches the browser), the same data as a table, and both downloads.
 */
export function ChartFigure({ slug, id, title, description, svg, table }: Props) {
  const headingId = `chart-${id}`;
  const columns = table.columns.filter((c) => c.header !== null);
  const base = `/api/research/${slug}/${id}`;
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3 rounded-lg border border-gray-200 bg-white p-4"
      data-testid={`chart-${id}`}
    >
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="max-w-3xl text-sm text-muted">{description}</p>
      {/* Our own SVG: Vega escapes every text it draws, and the data are numbers and fixed bin names. */}
      <div dangerouslySetInnerHTML={{ __html: svg }} />
      <details>
        <summary className="cursor-pointer text-accent underline">
          Data table<span className="sr-only"> of the {title.toLowerCase()}</span>
        </summary>
        <table className="mt-2 text-sm" data-testid={`table-${id}`}>
          <caption className="sr-only">{title}: the data behind the chart</caption>
          <thead>
            <tr className="text-left text-muted">
              {columns.map((c) => (
                <th key={c.key} scope="col" className="pr-4 font-normal">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.key} scope="row" className="pr-4 text-left font-normal">
                      {row[c.key]}
                    </th>
                  ) : (
                    <td key={c.key} className="pr-4 tabular-nums">
                      {row[c.key]}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p className="text-sm">
        Download:{" "}
        <a href={`${base}.csv`} download className="text-accent underline">
          CSV<span className="sr-only"> data of the {title.toLowerCase()}</span>
        </a>{" "}
        ·{" "}
        <a href={`${base}.svg`} download className="text-accent underline">
          SVG image<span className="sr-only"> of the {title.toLowerCase()}</span>
        </a>
      </p>
    </section>
  );
}
