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

type FieldValue = { text: string } | { file: Uint8Array<ArrayBuffer> };

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
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
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
    const fieldName = names.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, fc.string({ maxLength: 10 })) : fc.string({ maxLength: 10 });
    const value: fc.Arbitrary<FieldValue> = fc.oneof(
      { weight: 6, arbitrary: fieldValue(world).map((text) => ({ text })) },
      fc.uint8Array({ maxLength: 300 }).map((file) => ({ file })),
    );
    const form = fc.array(fc.tuple(fieldName, value), { maxLength: 8 });
    const previous = fc.jsonValue({ maxDepth: 2 }).map(escapeDollars);
    const notAForm = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map(escapeDollars);
    const call = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(previous, form).map(([state, fields]) => ({ args: [state, "$K1"], fields })) },
      notAForm.map((args) => ({ args, fields: [] as [string, FieldValue][] })),
    );
    return fc.sample(fc.tuple(call, cookie), { seed: seed + 1_000 + i, numRuns: perAction }).map(([{ args, fields }, c]) => {
      const body = new FormData();
      body.append("0", JSON.stringify(args));
      for (const [name, v] of fields) {
        if ("file" in v) body.append(`1_${name}`, new Blob([v.file]), "junk.jsonl");
        else body.append(`1_${name}`, v.text);
      }
      return { target: `action ${action.name}`, method: "POST", path: action.page, headers: actionHeaders(action, c), body, expect: "form-state" as const };
    });
  });
}

/** Calls with a made-up action id: Next refuses them (4xx) before any code runs. */
export function unknownActionInputs(world: World, seed: number, count: number): FuzzRequest[] {
  const id = fc.oneof(fc.stringMatching(/^[0-9a-f]{2,42}$/), fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 50 }).filter((s) => s.trim() === s && s !== ""));
  const page = fc.constantFrom("/", "/profile", "/moderation", `/datapoints/${world.datapoints[0]!.id}`);
  return fc.sample(fc.tuple(id, page, fieldValue(world)), { seed: seed + 2_000, numRuns: count }).map(([actionId, p, v]) => {
    const body = new FormData();
    body.append("0", JSON.stringify([null, "$K1"]));
    body.append("1_x", v);
    return { target: "action (unknown id)", method: "POST", path: p, headers: { "next-action": actionId, accept: "text/x-component" }, body, expect: "4xx" as const };
  });
}

/** Bodies React cannot decode at all (not JSON, dangling references, missing rows). */
export function undecodableActionInputs(actions: ServerAction[], seed: number, count: number): FuzzRequest[] {
  const raw = fc.oneof(junk, fc.constantFrom("[", '["$@9"]', '["$K9"]', '{"a":1}', '"$F0"', "$Q1"));
  const body = fc.oneof(
    raw.map((text) => ({ text })),
    raw.map((text) => ({ form: [["0", text]] as [string, string][] })),
    fc.array(fc.tuple(fc.string({ maxLength: 6 }), junk), { maxLength: 4 }).map((fields) => ({ form: fields.filter(([k]) => k !== "0") })),
  );
  return fc.sample(fc.tuple(fc.constantFrom(...actions), body), { seed: seed + 3_000, numRuns: count }).map(([action, b]) => {
    let payload: string | FormData;
    if ("text" in b) payload = b.text;
    else {
      payload = new FormData();
      for (const [k, v] of b.form) payload.append(k, v);
    }
    const h = actionHeaders(action, null);
    if (typeof payload === "string") h["content-type"] = "text/plain;charset=UTF-8";
    return { target: `action ${action.name}`, method: "POST", path: action.page, headers: h, body: payload, expect: "no-leak" as const };
  });
}
