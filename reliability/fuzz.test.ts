// At least 10,000 generated invalid inputs across every route handler and every server action
// of the production build: routes must refuse them with a 4xx, actions must answer with their
// FormState, and nothing may answer 5xx. RELIABILITY_SEED=<n> replays another sample.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";
import { expectChainValid, expectGaplessLog, expectRowsMatchLog, expectVotesMatchLog } from "./checks";
import {
  actionCall,
  actionInputs,
  serverActions,
  undecodableActionInputs,
  unknownActionInputs,
  type ServerAction,
} from "./fuzz-actions";
import { ROUTE_METHODS, routeInputs } from "./fuzz-routes";
import type { FuzzRequest, World } from "./fuzz-values";
import { ballot, makeVoters, services, type Services } from "./voters";

const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_127);
const PER_ROUTE = 100;
const PER_ACTION = 80;
const CONCURRENCY = 12;

let database: TestDatabase;
let app: App;
let s: Services;
let world: World;

beforeAll(async () => {
  database = await startDatabase();
  app = await startApp(database);
  s = await services(database);
  const batch = await s.makeBatch();
  const [citizen, moderator, admin] = [
    ...(await makeVoters(s, 1)),
    ...(await makeVoters(s, 1, "MODERATOR")),
    ...(await makeVoters(s, 1, "ADMIN")),
  ];
  const { DEMO_ACCOUNTS } = await import("@/lib/imports/seed/demo-accounts");
  world = {
    datapoints: ballot(batch).map((b) => ({ id: b.datapointId, options: b.options })),
    batchSlug: "helpfulness-nov-2026",
    demoEmails: DEMO_ACCOUNTS.map((a) => a.email),
    cookies: { citizen: citizen!.cookie, moderator: moderator!.cookie, admin: admin!.cookie },
  };
  console.log(`reliability: fuzzing with seed ${SEED} (RELIABILITY_SEED replays another)`);
});

afterAll(async () => {
  await app?.dispose();
  await s?.db.$disconnect();
  await database?.dispose();
});

/** An answer, judged on its whole body; only an excerpt is kept. */
type Outcome = {
  request: FuzzRequest;
  status: number;
  excerpt: string;
  formState: boolean;
  state: string | null;
  leak: boolean;
};

/** An action's answer carries its FormState (`{"status":"error"|"ok",…}`, a line of the RSC payload) or a redirect. */
const FORM_STATE = /^[0-9a-f]+:\{"status":"(?:error|ok)".*$/m;
/** Error names, messages or stack frames in a body. */
const LEAK = /\bat \S+ \(|(?:Type|Syntax|Reference|Range)Error|Error: /;

async function send(requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        try {
          const response = await fetch(app.url + request.path, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            redirect: "manual",
            signal: AbortSignal.timeout(60_000),
          });
          const body = await response.text();
          const state = FORM_STATE.exec(body)?.[0] ?? null;
          outcomes.push({
            request,
            status: response.status,
            excerpt: body.slice(0, 300),
            formState: response.headers.has("x-action-redirect") || state !== null,
            state,
            leak: LEAK.test(body),
          });
        } catch (error) {
          // No HTTP answer at all (the connection was reset): status 0.
          outcomes.push({
            request,
            status: 0,
            excerpt: String((error as Error).cause ?? error),
            formState: false,
            state: null,
            leak: false,
          });
        }
      }
    }),
  );
  return outcomes;
}

const describeOutcome = (o: Outcome) =>
  `${o.status} ← ${o.request.method} ${o.request.path.slice(0, 200)} ${JSON.stringify(o.request.headers).slice(0, 200)} body=${
    o.request.body instanceof FormData
      ? JSON.stringify(
          [...o.request.body.entries()].map(([k, v]) => [k, typeof v === "string" ? v.slice(0, 80) : "(file)"]),
        )
      : String(o.request.body ?? "").slice(0, 200)
  }\n    → ${o.excerpt}`;

function failuresOf(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => {
    switch (o.request.expect) {
      case "4xx":
        return o.status < 400 || o.status >= 500 || o.leak;
      case "next-auth":
        return o.status === 0 || o.status >= 500;
      case "no-5xx":
        return o.status === 0 || o.status >= 500 || o.leak;
      case "form-state":
        return o.status === 0 || o.status >= 500 || !o.formState;
    }
  });
}

function countBy(outcomes: Outcome[], key: (o: Outcome) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(key(o), (counts.get(key(o)) ?? 0) + 1);
  return counts;
}

async function expectHealthy() {
  const response = await fetch(`${app.url}/api/health`);
  expect(response.status, app.output()).toBe(200);
}

/** Whatever the junk wrote, it wrote whole: every row with its event and the chain intact. */
async function expectNothingHalfWritten() {
  await expectGaplessLog(database);
  await expectVotesMatchLog(database);
  await expectRowsMatchLog(database);
  await expectChainValid(s);
}

const actionNamed = (name: string): ServerAction => {
  const action = serverActions(world).find((a) => a.name === name);
  if (!action) throw new Error(`no server action ${name} in the build`);
  return action;
};

describe("generated invalid inputs", () => {
  it("fields encoded as the fuzzer encodes them reach the action", async () => {
    // A valid form through the same encoding must take effect, so the junk forms below are
    // known to arrive at the actions' own validation rather than at an empty form.
    const name = `Probe ${SEED.toString(36)}`;
    const [renamed] = await send([
      actionCall(
        actionNamed("updateDisplayNameAction"),
        world.cookies.citizen,
        [null, "$K1"],
        [["name", { text: name }]],
      ),
    ]);
    expect(renamed!.state, describeOutcome(renamed!)).toContain('"status":"ok"');
    expect((await database.sql.query(`SELECT 1 FROM users WHERE name = $1`, [name])).rowCount).toBe(1);

    const { id, options } = world.datapoints[0]!;
    const key = "6f1c2f8e-4a55-4c43-9a0e-3b1f9d1c7e21";
    const fields: [string, { text: string }][] = [
      ["datapointId", { text: id }],
      ["option", { text: options[0]! }],
      ["idempotencyKey", { text: key }],
      ["rationale", { text: "probe" }],
    ];
    const [voted] = await send([
      actionCall(actionNamed("castVoteAction"), world.cookies.citizen, [null, "$K1"], fields),
    ]);
    expect(voted!.state, describeOutcome(voted!)).toContain('"status":"ok"');
    const stored = await database.sql.query(`SELECT option FROM vote_history WHERE idempotency_key = $1`, [key]);
    expect(stored.rows).toEqual([{ option: options[0] }]);

    // The same call with one field missing is refused by the action, naming the field.
    const [missing] = await send([
      actionCall(
        actionNamed("castVoteAction"),
        world.cookies.citizen,
        [null, "$K1"],
        fields.filter(([f]) => f !== "option"),
      ),
    ]);
    expect(missing!.state).toContain('"status":"error"');
    expect(missing!.state).toContain('"option"');
  });

  it("every route handler refuses them with a 4xx, never a 5xx", async () => {
    const manifest = JSON.parse(readFileSync(".next/app-path-routes-manifest.json", "utf8")) as Record<string, string>;
    const routes = Object.entries(manifest)
      .filter(([file]) => file.endsWith("/route"))
      .map(([, route]) => route);
    // Every route handler of the build is described (so a new route cannot escape the fuzzing).
    expect([...new Set(routes)].sort()).toEqual(Object.keys(ROUTE_METHODS).sort());

    const requests = [...routeInputs(world, SEED, PER_ROUTE), ...unknownActionInputs(world, SEED, PER_ROUTE * 5)];
    const started = Date.now();
    const outcomes = await send(requests);
    const strict = outcomes.filter((o) => o.request.expect === "4xx");
    const upstream = outcomes.filter((o) => o.request.expect === "next-auth" && o.status >= 500).length;
    console.log(
      `reliability: ${outcomes.length} route inputs in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(countBy(outcomes, (o) => String(o.status))))}; ${strict.length} must be 4xx; ${upstream} next-auth 4 answers were its own known 500s`,
    );

    const failures = failuresOf(outcomes);
    const failing = JSON.stringify(Object.fromEntries(countBy(failures, (o) => `${o.request.target} ${o.status}`)));
    expect(
      failures.slice(0, 8).map(describeOutcome),
      `${failures.length} of ${outcomes.length} inputs got the wrong answer: ${failing}`,
    ).toEqual([]);
    expect(strict.length).toBeGreaterThanOrEqual(10_000);
    const perTarget = countBy(outcomes, (o) => o.request.target);
    for (const route of Object.keys(ROUTE_METHODS))
      expect(perTarget.get(route) ?? 0, route).toBeGreaterThanOrEqual(PER_ROUTE);
    await expectHealthy();
    await expectNothingHalfWritten();
  });

  it("every server action answers junk arguments with its FormState, never a 5xx", async () => {
    const actions = serverActions(world);
    expect(actions.length).toBeGreaterThanOrEqual(20);
    const started = Date.now();
    const outcomes = await send(actionInputs(world, actions, SEED, PER_ACTION));
    console.log(
      `reliability: ${outcomes.length} server-action inputs (${actions.length} actions) in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(countBy(outcomes, (o) => String(o.status))))}`,
    );
    const failures = failuresOf(outcomes);
    const failing = JSON.stringify(Object.fromEntries(countBy(failures, (o) => `${o.request.target} ${o.status}`)));
    expect(
      failures.slice(0, 8).map(describeOutcome),
      `${failures.length} of ${outcomes.length} inputs got the wrong answer: ${failing}`,
    ).toEqual([]);
    const perAction = countBy(outcomes, (o) => o.request.target);
    for (const action of actions) expect(perAction.get(`action ${action.name}`), action.name).toBe(PER_ACTION);
    // The junk reached the actions' own validation (field messages), not just the form guard.
    expect(outcomes.some((o) => o.state?.includes('"fieldErrors"'))).toBe(true);
    // Some junk is valid (a real datapoint and option, a plausible name): it must have taken effect.
    console.log(
      `reliability: ${outcomes.filter((o) => o.state?.includes('"status":"ok"')).length} of the junk calls succeeded`,
    );
    await expectHealthy();
    await expectNothingHalfWritten();
  });

  it("bodies React cannot decode are refused with a 4xx that reveals nothing, and the server carries on", async () => {
    const outcomes = await send(undecodableActionInputs(serverActions(world), SEED, 600));
    const statuses = countBy(outcomes, (o) => String(o.status));
    const refused = outcomes.filter((o) => o.request.expect === "4xx").length;
    console.log(
      `reliability: ${outcomes.length} undecodable server-action bodies and form posts (${refused} must be 4xx); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    const failures = failuresOf(outcomes);
    expect(
      failures.slice(0, 8).map(describeOutcome),
      `${failures.length} of ${outcomes.length} inputs got the wrong answer`,
    ).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(200);
    await expectHealthy();
  });
});
