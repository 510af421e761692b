// Whether React can decode a server action's arguments, checked before Next hands them to
// React. Next answers a body React cannot decode with a 500 (decodeReply throws, or leaves a
// reference pending until it rejects); the proxy answers 400 instead. This mirrors
// react-server-dom's reply format (React 19.2, `parseModelString`): field "0" holds the
// arguments as JSON, strings starting with "$" refer to other fields, and the FormData "$K1"
// is made of the fields named "_1_<name>". What this site's pages never send (streams,
// iterators, typed arrays, server references, cyclic references) is refused as well.
// Pure: the proxy passes the body's entries in.

/** A form body's entries (a string field or a file), or a text body as the lone field "0". */
export type ReplyEntry = [name: string, value: string | Blob];

/** JSON nesting beyond this is refused: React revives a reply recursively. */
export const MAX_REPLY_DEPTH = 256;

/** Array elements and characters of strings inside arrays React will revive (its arraySizeLimit). */
const ARRAY_SIZE_LIMIT = 1_000_000;

const NEVER_SENT = new Set(["h", "R", "r", "X", "x", "A", "O", "o", "U", "S", "s", "L", "l", "G", "g", "M", "m", "V"]);

/** The tags after "$" that stand for a value of their own; "$" followed by anything else (or nothing) refers to a part. */
const VALUE_TAGS = new Set(["$", "@", "H", "T", "Q", "W", "K", "i", "I", "-", "N", "u", "D", "n", "B", ...NEVER_SENT]);

/** "$<hex>[:key…]": a reference to another part of the reply, by id (and a path inside it). */
const isPlainReference = (value: string) => value[0] === "$" && !VALUE_TAGS.has(value[1] ?? "");

class Refusal extends Error {}

const refuse = (detail: string): never => {
  throw new Refusal(detail);
};

/**
 * Why React could not decode this reply (a sentence for the client), or null when it can.
 * `prefix` is the one React reads under: "" for a fetch call, "$ACTION_<n>:" for the bound
 * arguments of a form posted without JavaScript.
 */
export function replyRefusal(entries: ReplyEntry[], prefix = ""): string | null {
  const reply = readReply(entries, prefix);
  return "refusal" in reply ? reply.refusal : null;
}

/** The reply's root value and its parts as JSON (references unresolved), or why React could not decode it. */
type Reply = { root: unknown; part: (id: number) => unknown } | { refusal: string };

function readReply(entries: ReplyEntry[], prefix: string): Reply {
  try {
    return checkReply(entries, prefix);
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message };
    // JSON.parse on pathological input, or the stack: still not something React can decode.
    return { refusal: "The server action's arguments could not be read." };
  }
}

/** What React's `decodeReply` (and `decodeBoundActionMetaData`) would decode, in outline; throws a Refusal. */
function checkReply(entries: ReplyEntry[], prefix: string): { root: unknown; part: (id: number) => unknown } {
  const strings = new Map<string, string>();
  const blobs = new Set<string>();
  for (const [name, value] of entries) {
    if (!name.startsWith(prefix)) continue;
    const next = name[prefix.length];
    if (next === "_" || next === "S") continue;
    if (typeof value === "string") strings.set(name, value);
    else blobs.add(name);
  }
  const parsed = new Map<number, unknown>();
  const inProgress = new Set<number>();
  const consumed = new Set<unknown[]>();
  let arraySlots = 0;

  const chunk = (id: number): unknown => {
    if (parsed.has(id)) return parsed.get(id);
    if (inProgress.has(id)) refuse("The server action's arguments refer to themselves.");
    const text = strings.get(prefix + id);
    if (text === undefined) refuse(`The server action's arguments refer to a part ${id} the request does not have.`);
    inProgress.add(id);
    let raw: unknown;
    try {
      raw = JSON.parse(text!);
    } catch {
      refuse(
        id === 0
          ? "The server action's arguments are not JSON."
          : `Part ${id} of the server action's arguments is not JSON.`,
      );
    }
    walk(raw, 0, false);
    inProgress.delete(id);
    parsed.set(id, raw);
    return raw;
  };

  /** The value a "$<hex>:key:key" reference names, following references on the way. */
  const outlined = (reference: string): unknown => {
    const [head, ...path] = reference.split(":");
    let value = chunk(parseInt(head!, 16));
    for (const key of path) {
      value = resolved(value);
      if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, key)) {
        refuse("A reference in the server action's arguments names a path that does not exist.");
      }
      value = (value as Record<string, unknown>)[key];
    }
    return resolved(value);
  };

  /** A plain reference's target in place of the reference; other values as they are. */
  const resolved = (value: unknown): unknown =>
    typeof value === "string" && isPlainReference(value) ? outlined(value.slice(1)) : value;

  const walk = (value: unknown, depth: number, inArray: boolean): void => {
    if (depth > MAX_REPLY_DEPTH) refuse(`The server action's arguments are nested more than ${MAX_REPLY_DEPTH} deep.`);
    if (typeof value === "string") {
      if (inArray && (arraySlots += value.length) > ARRAY_SIZE_LIMIT)
        refuse("The server action's arguments hold too large an array.");
      if (value[0] === "$") reference(value);
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      if ((arraySlots += value.length) > ARRAY_SIZE_LIMIT)
        refuse("The server action's arguments hold too large an array.");
      for (const item of value) walk(item, depth + 1, true);
      return;
    }
    for (const item of Object.values(value)) walk(item, depth + 1, false);
  };

  const reference = (value: string): void => {
    if (isPlainReference(value)) return void outlined(value.slice(1));
    const tag = value[1]!;
    if (NEVER_SENT.has(tag)) refuse("The server action's arguments use a kind of value this site's pages never send.");
    switch (tag) {
      case "$":
      case "H":
      case "T":
      case "K":
      case "I":
      case "-":
      case "N":
      case "u":
      case "D":
        return;
      case "n": {
        const digits = value.slice(2);
        if (digits.length > 300) refuse("A BigInt in the server action's arguments is too large.");
        try {
          BigInt(digits);
        } catch {
          refuse("A BigInt in the server action's arguments is not a number.");
        }
        return;
      }
      case "@":
        chunk(parseInt(value.slice(2), 16));
        return;
      case "Q":
      case "W":
      case "i": {
        const list = outlined(value.slice(2));
        if (!Array.isArray(list))
          refuse("A Map, Set or iterator in the server action's arguments is not made from a list.");
        // React marks the list it built one from, and refuses to build a second from it.
        if (consumed.has(list as unknown[]))
          refuse("Two Maps, Sets or iterators in the server action's arguments share one list.");
        consumed.add(list as unknown[]);
        if (
          tag === "Q" &&
          (list as unknown[]).some((entry) => {
            const target = resolved(entry);
            return target === null || typeof target !== "object";
          })
        ) {
          refuse("A Map in the server action's arguments is not made from entries.");
        }
        return;
      }
      case "B":
        if (!blobs.has(prefix + parseInt(value.slice(2), 16)))
          refuse("The server action's arguments refer to a file the request does not have.");
        return;
    }
  };

  return { root: chunk(0), part: (id) => parsed.get(id) };
}

/** The arguments of a fetch call (React's client always sends a list): null, or why not. */
export function argumentsRefusal(entries: ReplyEntry[]): string | null {
  const reply = readReply(entries, "");
  if ("refusal" in reply) return reply.refusal;
  return Array.isArray(reply.root) ? null : "A server action's arguments are a list.";
}

/**
 * A form posted without JavaScript: every `$ACTION_REF_<n>` field's bound-action record
 * (`$ACTION_<n>:0`, `{"id":…,"bound":…}`) must decode, with `bound` null or a list.
 */
export function formPostRefusal(entries: ReplyEntry[]): string | null {
  for (const [name] of entries) {
    if (!name.startsWith("$ACTION_REF_")) continue;
    const prefix = `$ACTION_${name.slice("$ACTION_REF_".length)}:`;
    const reply = readReply(entries, prefix);
    if ("refusal" in reply) return reply.refusal;
    const record = reply.root;
    if (record === null || typeof record !== "object" || typeof (record as { id?: unknown }).id !== "string")
      return "The form names no server action.";
    const bound = (record as { bound?: unknown }).bound;
    if (bound === null) continue;
    // React awaits a "$@<n>" bound; the decoded reply holds that part.
    const list = typeof bound === "string" && bound.startsWith("$@") ? reply.part(parseInt(bound.slice(2), 16)) : bound;
    if (!Array.isArray(list)) return "The form's bound arguments are not a list.";
  }
  return null;
}
