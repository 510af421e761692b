// A list of downloads: each a link named by what it holds, its format and a sentence on its shape.
export type Download = { href: string; title: string; format: string; description: React.ReactNode };

export function DownloadList({ label, items }: { label: string; items: Download[] }) {
  return (
    <ul aria-label={label} className="grid gap-3 md:grid-cols-2">
      {items.map((item) => (
        <li key={item.href} className="rounded-lg border border-gray-200 bg-white p-4">
          <h3 className="font-semibold">
            {/* The format is part of the link's name: three links called "Labels" would be ambiguous. */}
            <a href={item.href} className="text-accent underline-offset-2 hover:underline">
              {item.title} <span className="text-xs font-normal">({item.format})</span>
            </a>
          </h3>
          <p className="mt-1 text-sm text-muted">{item.description}</p>
        </li>
      ))}
    </ul>
  );
}
