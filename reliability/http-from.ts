// HTTP requests sent from a chosen loopback address (127.0.0.0/8 is all this machine's), so a
// test can play many clients that a load balancer and the app tell apart by address. fetch
// cannot pick its local address; node:http can, through an agent per address.
import http from "node:http";

export type PlainResponse = { status: number; headers: http.IncomingHttpHeaders; text: string };

const agents = new Map<string, http.Agent>();

function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, localAddress });
    agents.set(localAddress, agent);
  }
  return agent;
}

export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: init.method ?? "GET",
        headers: init.headers,
        agent: agentFor(localAddress),
        timeout: init.timeoutMs ?? 60_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(init.body);
  });
}

/** Closes the kept-alive connections of every address. */
export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
