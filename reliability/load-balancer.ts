// A real load balancer in front of several app instances: Debian's HAProxy (installed by
// .ci/run), started by the test on a free loopback port with a configuration of its own,
// round-robin over the instances with health checks on /api/health, appending the client's
// address to X-Forwarded-For as a reverse proxy does, and naming the instance that answered
// in X-Plenary-Instance so a test can see that every instance served.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@/lib/runtime/ports";
import { sleep } from "./app";

const HAPROXY = "/usr/sbin/haproxy";
export const INSTANCE_HEADER = "x-plenary-instance";

export type LoadBalancer = {
  url: string;
  output: () => string;
  /** Waits until HAProxy's health checks see `up` of the instances (named i0, i1, …) as up. */
  waitUntilUp: (up: number[]) => Promise<void>;
  dispose: () => Promise<void>;
};

export async function startLoadBalancer(instancePorts: number[]): Promise<LoadBalancer> {
  if (!existsSync(HAPROXY))
    throw new Error(`${HAPROXY} is missing: install Debian's haproxy (apt-get install -y haproxy), as .ci/run does`);
  const dir = mkdtempSync(path.join(tmpdir(), "plenary-haproxy-"));
  const port = await freePort();
  const statsSocket = path.join(dir, "stats.sock");
  const config = [
    "global",
    "  maxconn 4096",
    `  stats socket ${statsSocket} mode 600 level admin`,
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 120s",
    "  timeout server 120s",
    // The client's address appended to X-Forwarded-For (the app, with PLENARY_TRUST_PROXY=1, believes only this last hop).
    "  option forwardfor",
    // A request whose connection could not be made is sent to the other instance; one that
    // reached a dying instance is answered 502/503 and retried by the client with its idempotency key.
    "  retries 3",
    "  option redispatch",
    "  retry-on conn-failure",
    "frontend site",
    `  bind 127.0.0.1:${port}`,
    "  default_backend apps",
    "backend apps",
    "  balance roundrobin",
    "  option httpchk GET /api/health",
    // A loaded instance may take a moment to answer its check; only a dead one fails it.
    "  timeout check 5s",
    "  http-check expect status 200",
    "  default-server inter 500ms fall 3 rise 2",
    `  http-response set-header X-Plenary-Instance %[srv_name]`,
    ...instancePorts.map((p, i) => `  server i${i} 127.0.0.1:${p} check`),
    "",
  ].join("\n");
  const file = path.join(dir, "haproxy.cfg");
  writeFileSync(file, config);
  const lines: string[] = [];
  const child: ChildProcess = spawn(HAPROXY, ["-db", "-f", file], { stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      lines.push(...chunk.split("\n").filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const output = () => lines.slice(-40).join("\n");

  const serverStates = async (): Promise<Map<string, string>> => {
    // "show stat" over HAProxy's stats socket: CSV, one row per server, its status in column 18.
    const text = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(statsSocket);
      let data = "";
      socket.setEncoding("utf8");
      socket.on("connect", () => socket.write("show stat\n"));
      socket.on("data", (chunk: string) => (data += chunk));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    const states = new Map<string, string>();
    for (const line of text.split("\n")) {
      const cells = line.split(",");
      if (cells[0] === "apps" && /^i\d+$/.test(cells[1] ?? "")) states.set(cells[1]!, cells[17] ?? "");
    }
    return states;
  };

  const waitUntilUp = async (up: number[]) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited (code ${child.exitCode}):\n${output()}`);
      const states = await serverStates().catch(() => new Map<string, string>());
      if (up.every((i) => states.get(`i${i}`) === "UP")) return;
      if (Date.now() > deadline)
        throw new Error(
          `haproxy did not see instances ${up.join(", ")} up: ${JSON.stringify([...states])}\n${output()}`,
        );
      await sleep(100);
    }
  };

  return {
    url,
    output,
    waitUntilUp,
    dispose: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(5_000)]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
