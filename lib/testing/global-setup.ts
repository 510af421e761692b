// vitest globalSetup for the integration project: one PostgreSQL server per run.
import { mkdirSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startTestServer, type TestServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    testServer: TestServer;
  }
}

export default async function setup(project: TestProject) {
  mkdirSync(".data-test", { recursive: true });
  const { server, stop } = await startTestServer();
  project.provide("testServer", server);
  return stop;
}
