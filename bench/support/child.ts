// Measurements that need a process of their own (peak memory of one job, not of the
// benchmark's setup): the benchmark runs its own file again with --role, and the child
// prints one JSON line of figures.
import { spawn } from "node:child_process";

export async function runChild<T>(
  script: string,
  role: string,
  env: Record<string, string | undefined> = {},
  nodeFlags: string[] = [],
): Promise<T> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", script, "--role", role], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const line = out.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{"))
    throw new Error(`${script} --role ${role} failed (exit ${code}): ${out.trim().slice(-500)}`);
  return JSON.parse(line) as T;
}

/** In the child: print the figures for the parent and exit. */
export function report(figures: object): never {
  console.log(JSON.stringify(figures));
  process.exit(0);
}
