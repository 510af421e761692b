// The production server: Next's request handler behind a plain Node HTTP server, which is
// what `next start` is too, with one addition. Next's proxy (proxy.ts) is not handed the
// socket, so without a trusted reverse proxy it could not tell clients apart for the rate
// limit. This server stamps each request with its socket's address in an internal header,
// overwriting any copy the client sent, and prefixes it with a token drawn at start and
// known only to this process: the proxy believes the stamp only with that token, so a
// client cannot name an address, and a server started without this file believes none.
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

const server = createServer((request, response) => {
  // Header names arrive lower-cased; every client-sent copy is replaced.
  request.headers[HEADER] = `${token} ${request.socket.remoteAddress ?? ""}`;
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
