// The production server: Next's request handler behind a plain Node HTTP server, which is
// what `next start` is too, with one addition. Next's proxy (proxy.ts) is not handed the
// socket, so without a trusted reverse proxy it could not tell clients apart for the rate
// limit. This server stamps each request with its socket's address in an internal header,
// overwriting any copy the client sent, and prefixes it with a token drawn at start and
// known only to this process: the proxy believes the stamp only with that token, so a
// client cannot name an address, and a server started without this file believes none.
//
// Second, Next buffers a request's body for the proxy and hands the buffered copy on, so a
// large body would sit in memory before the proxy could refuse it. A body over 1 MB or of
// undeclared length is therefore judged here first, unread, by the same check the proxy
// makes (lib/http/request-guard.ts, handed over by instrumentation.ts): refused, it gets its
// answer and its body is discarded as it arrives.
// Plain JavaScript so it runs under `node` with the server's flags, without tsx.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const nextModule = require("next");
const next = nextModule.default ?? nextModule;

const HEADER = "x-plenary-client-address";
const port = Number(process.env.PORT ?? 3000);
// Set before Next loads the app: the proxy reads it through lib/env.
const token = randomBytes(24).toString("hex");
process.env.PLENARY_CLIENT_ADDRESS_TOKEN = token;

const app = next({ dev: false, port, dir: process.cwd() });
const handle = app.getRequestHandler();
await app.prepare();

/** lib/http/server-actions.ts LARGE_ACTION_BYTES: bodies up to this size go straight on. */
const LARGE_BODY_BYTES = 1024 * 1024;
const GUARD = Symbol.for("plenary.refuseUnreadBody");

function needsJudging(request) {
  const length = request.headers["content-length"];
  if (length === undefined) return request.headers["transfer-encoding"] !== undefined;
  return !/^\d{1,12}$/.test(length) || Number(length) > LARGE_BODY_BYTES;
}

async function refusalOf(request) {
  const guard = globalThis[GUARD];
  if (typeof guard !== "function") {
    return {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "The server is not ready for large requests; try again shortly.\n",
    };
  }
  try {
    return await guard({ method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers });
  } catch (error) {
    console.error(
      `plenary: the check of a large request body failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: "The request could not be checked; try again shortly.\n",
    };
  }
}

const server = createServer(async (request, response) => {
  // Header names arrive lower-cased; every client-sent copy is replaced.
  request.headers[HEADER] = `${token} ${request.socket.remoteAddress ?? ""}`;
  if (needsJudging(request)) {
    const refusal = await refusalOf(request);
    if (refusal) {
      response.writeHead(refusal.status, refusal.headers);
      response.end(refusal.body);
      // What still arrives is discarded as it comes, not kept (clients read an answer only
      // once they have sent their body); a body still arriving after 10 s is cut off.
      request.resume();
      const cut = setTimeout(() => request.socket.destroy(), 10_000).unref();
      request.once("end", () => clearTimeout(cut));
      return;
    }
  }
  void handle(request, response);
});
server.listen(port, () => console.log(`plenary: listening on port ${port}`));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Requests still running get a moment, then the process ends anyway.
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
