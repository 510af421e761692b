// Node flags of the production server process: `next start` as scripts/start.ts runs it
// (the benchmarks start it the same way, bench/support/server.ts).
//
// --max-semi-space-size=32: V8's young generation, where a request's short-lived objects
// live, in 32 MB halves instead of 16 MB. A vote request allocates more than a trivial
// route does (the body, the event and its canonical JSON, the driver's buffers), and
// scavenging showed in the server's CPU profile under load; with larger halves it runs half
// as often for the same survivors. Measured (BENCHMARKS.md §6): more votes/s over HTTP, a
// little more for the trivial route; the cost is up to ~50 MB more memory per server.
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=32"];
