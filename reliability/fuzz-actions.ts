// Generated inputs for every server action of the build: well-formed calls with junk
// arguments, calls with made-up action ids, and bodies React cannot decode.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fieldValue, junk, type FuzzRequest, type World } from "./fuzz-values";

/** The form fields each action reads (from lib/*\/actions.ts); unknown actions get junk names only. */
const ACTION_FIELDS: Record<string, string[]> = {
  importUploadAction: ["file"],
  deleteAccountAction: ["confirm"],
  updateDisplayNameAction: ["name"],
  changeRoleAction: ["userId", "role", "grant"],
  declareStrataAction: ["region", "age"],
  setTierAction: ["userId", "tier"],
  changeBatchPolicyAction: ["batchId", "policyHash", "reason"],
  deleteCommentAction: ["commentId"],
  editCommentAction: ["commentId", "body"],
  postCommentAction: ["datapointId", "parentId", "body"],
  flagCommentAction: ["id", "reason", "note"],
  flagDatapointAction: ["id", "reason", "note"],
  finalizeAction: ["mode", "datapointId", "label", "overrideReason", "rationale"],
  reviewOverrideAction: ["decisionId", "verdict", "rationale", "datapointId"],
  resolveAppealAction: ["appealId", "verdict", "rationale", "datapointId"],
  closeBatchAction: ["batchId"],
  fileAppealAction: ["datapointId", "reason"],
  castVoteAction: ["datapointId", "option", "rationale", "idempotencyKey"],
  keepCommentAction: ["commentId", "reason", "datapointId"],
  hideCommentAction: ["commentId", "reason", "datapointId"],
  dismissFlagAction: ["flagId", "reason", "datapointId"],
};

/** Where React's reply encoding puts the fields of the FormData it refers to as "$K1". */
const FORM_PREFIX = "_1_";

export type FieldValue = { text: string } | { file: Uint8Array<ArrayBuffer> };

export type ServerAction = { id: string; name: string; page: string };

/** Every server action of the build, with a page that serves it (dynamic segments filled in). */
export function serverActions(world: World, root = process.cwd()): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page = worker
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace("[slug]", world.batchSlug)
      .replace("[id]", world.datapoints[0]!.id);
    return { id, name: entry.exportedName ?? id, page: page || "/" };
  });
}

/** React's reply encoding reads strings starting with "$" as references; junk must stay plain data. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  return value;
}

const actionHeaders = (action: ServerAction, cookie: string | null): Record<string, string> => ({
  "next-action": action.id,
  accept: "text/x-component",
  ...(cookie ? { cookie } : {}),
});

/**
 * Well-formed calls (as React encodes them) with junk arguments: junk fields in the form,
 * junk previous state, or arguments that are not a form at all. Each must come back as the
 * action's FormState, never as a 500.
 */
export function actionInputs(world: World, actions: ServerAction[], seed: number, perAction: number): FuzzRequest[] {
  const cookie = fc.constantFrom(null, world.cookies.citizen, world.cookies.moderator, world.cookies.admin);
  return actions.flatMap((action, i) => {
    const names = ACTION_FIELDS[action.name] ?? [];
    const fieldName = names.length
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, fc.string({ maxLength: 10 }))
      : fc.string({ maxLength: 10 });
    const value: fc.Arbitrary<FieldValue> = fc.oneof(
      { weight: 6, arbitrary: fieldValue(world).map((text) => ({ text })) },
      fc.uint8Array({ maxLength: 300 }).map((file) => ({ file })),
    );
    const form = fc.array(fc.tuple(fieldName, value), { maxLength: 8 });
    const previous = fc.jsonValue({ maxDepth: 2 }).map(escapeDollars);
    const notAForm = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map((args) => args.map(escapeDollars));
    const call = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(previous, form).map(([state, fields]) => ({ args: [state, "$K1"], fields })) },
      notAForm.map((args) => ({ args, fields: [] as [string, FieldValue][] })),
    );
    return fc
      .sample(fc.tuple(call, cookie), { seed: seed + 1_000 + i, numRuns: perAction })
      .map(([{ args, fields }, c]) => actionCall(action, c, args, fields));
  });
}

/**
 * A call as React's client encodes it: the arguments as JSON in field "0", where "$K1" stands
 * for a FormData whose fields React 19.2 reads from the entries named "_1_<name>". Field "0"
 * comes last: Next decodes the body as it streams in, and reads "$K1" the moment "0" arrives,
 * so fields after it would never reach the action.
 */
export function actionCall(
  action: ServerAction,
  cookie: string | null,
  args: unknown[],
  fields: [string, FieldValue][],
): FuzzRequest {
  const body = new FormData();
  for (const [name, v] of fields) {
    if ("file" in v) body.append(`${FORM_PREFIX}${name}`, new Blob([v.file]), "junk.jsonl");
    else body.append(`${FORM_PREFIX}${name}`, v.text);
  }
  body.append("0", JSON.stringify(args));
  return {
    target: `action ${action.name}`,
    method: "POST",
    path: action.page,
    headers: actionHeaders(action, cookie),
    body,
    expect: "form-state",
  };
}

/** Calls with a made-up action id: Next refuses them (4xx) before any code runs. */
export function unknownActionInputs(world: World, seed: number, count: number): FuzzRequest[] {
  const id = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{2,42}$/),
    fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 50 }).filter((s) => s.trim() === s && s !== ""),
  );
  const page = fc.constantFrom("/", "/profile", "/moderation", `/datapoints/${world.datapoints[0]!.id}`);
  return fc
    .sample(fc.tuple(id, page, fieldValue(world)), { seed: seed + 2_000, numRuns: count })
    .map(([actionId, p, v]) => {
      const body = new FormData();
      body.append(`${FORM_PREFIX}x`, v);
      body.append("0", JSON.stringify([null, "$K1"]));
      return {
        target: "action (unknown id)",
        method: "POST",
        path: p,
        headers: { "next-action": actionId, accept: "text/x-component" },
        body,
        expect: "4xx" as const,
      };
    });
}

/**
 * What a body's arguments ("0") are: not a list React can decode, a list of plain JSON, or
 * one that may go either way (references, or nesting the proxy may refuse as too deep).
 */
function argumentsKind(text: string): "invalid" | "plain" | "either" {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "invalid";
  }
  if (!Array.isArray(value)) return "invalid";
  return text.includes('"$') || text.includes("[[[[[[[[") ? "either" : "plain";
}

/** A body's expected answer: refused when it cannot be decoded, the action's answer when it plainly can, never a 5xx. */
const expectFor = (kind: ReturnType<typeof argumentsKind> | "missing") =>
  (kind === "plain" ? "form-state" : kind === "either" ? "no-5xx" : "4xx") as FuzzRequest["expect"];

/**
 * Bodies React cannot decode (not JSON, not a list, dangling references, no arguments at
 * all), and forms posted without JavaScript whose bound-action record is junk. Next answered
 * them with a 500; they must get a 4xx.
 */
export function undecodableActionInputs(actions: ServerAction[], seed: number, count: number): FuzzRequest[] {
  const raw = fc.oneof(
    junk,
    fc.constantFrom(
      "[",
      '["$@9"]',
      '["$K9"]',
      '{"a":1}',
      '"$F0"',
      "$Q1",
      '[null,"$Q5"]',
      '[null,"$1:a"]',
      '[null,"$n12x"]',
      '[null,"$R1"]',
      "[".repeat(5_000) + "]".repeat(5_000),
      "[".repeat(200_000) + "]".repeat(200_000),
      "1",
      "null",
    ),
  );
  const body = fc.oneof(
    raw.map((text) => ({ text })),
    raw.map((text) => ({ form: [["0", text]] as [string, string][] })),
    fc
      .array(fc.tuple(fc.string({ maxLength: 6 }), junk), { maxLength: 4 })
      .map((fields) => ({ form: fields.filter(([k]) => k !== "0") })),
  );
  const calls = fc
    .sample(fc.tuple(fc.constantFrom(...actions), body), { seed: seed + 3_000, numRuns: Math.ceil(count / 2) })
    .map(([action, b]): FuzzRequest => {
      let payload: string | FormData;
      let expect: FuzzRequest["expect"];
      if ("text" in b) {
        payload = b.text;
        expect = expectFor(argumentsKind(b.text));
      } else {
        payload = new FormData();
        for (const [k, v] of b.form) payload.append(k, v);
        const args = b.form.find(([k]) => k === "0")?.[1];
        expect = expectFor(args === undefined ? "missing" : argumentsKind(args));
      }
      const h = actionHeaders(action, null);
      if (typeof payload === "string") h["content-type"] = "text/plain;charset=UTF-8";
      return { target: `action ${action.name}`, method: "POST", path: action.page, headers: h, body: payload, expect };
    });
  return [...calls, ...formPostInputs(actions, seed, count - calls.length)];
}

/** Forms posted without JavaScript (no Next-Action header) naming a real action, with a junk bound-action record. */
function formPostInputs(actions: ServerAction[], seed: number, count: number): FuzzRequest[] {
  const bound = fc.oneof(
    fc.constantFrom('"$@1"', '"$Q9"', "5", "null", '"$@9"', "[]", '["$K9"]', '"junk"'),
    junk.map((j) => JSON.stringify(j)),
  );
  const record = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...actions), bound)
        .map(([a, b]) => ({ id: a.id, text: `{"id":"${a.id}","bound":${b}}` })),
    },
    fc.tuple(fc.constantFrom(...actions), junk).map(([a, j]) => ({ id: a.id, text: `{"id":"${a.id}"${j}` })),
  );
  const extra = fc.array(fc.tuple(fc.constantFrom("$ACTION_1:1", "$ACTION_KEY", "name", "$ACTION_1:9"), junk), {
    maxLength: 3,
  });
  return fc
    .sample(fc.tuple(record, extra, fc.constantFrom(...actions)), { seed: seed + 4_000, numRuns: count })
    .map(([r, fields, action]) => {
      const body = new FormData();
      body.append("$ACTION_REF_1", "");
      body.append("$ACTION_1:0", r.text);
      for (const [k, v] of fields) body.append(k, v);
      return {
        target: `form post ${action.name}`,
        method: "POST",
        path: action.page,
        headers: {},
        body,
        expect: "no-5xx" as const,
      };
    });
}
