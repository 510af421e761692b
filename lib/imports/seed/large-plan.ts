// The large seed's story, without the database: who joins when, which batches and
// datapoints are published, and a stream of votes (some changed) and comments (some edited,
// some replies) in time order. Every choice respects the rules the services enforce: votes
// only while a batch is open, one current vote per voter and datapoint, valid options, a
// changed vote changes its option, replies within one datapoint, edits by the author.
// Choices are seeded (SeededRandom); ids are fresh each run, so a second run appends.
import { randomUUID } from "node:crypto";
import type { DatapointRecord } from "@/lib/datapoints/schema";
import { labelOptionsOf, optionsView, scheduledStatus } from "@/lib/datapoints/rules";
import { SeededRandom } from "@/lib/tally/seeded-random";
import { newPseudonym } from "@/lib/users/pseudonym";
import { SyntheticText } from "./large-content";
import type { LargeSeedOptions } from "./large-options";
import { uuidv7 } from "./large-rows";
import { KIND_OF_RECORD } from "@/lib/domain/schema";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Share of votes changed later and of comments edited later. */
const CHANGE_SHARE = 0.05;
const EDIT_SHARE = 0.05;
const REPLY_SHARE = 0.35;

export type SeedUser = { id: string; pseudonym: string; tier: number; at: number };
export type SeedBatch = {
  id: string;
  slug: string;
  title: string;
  description: string;
  policy: "equal" | "trust-tier";
  at: number;
  opensAt: number;
  closesAt: number;
  tallyVisibility: "AFTER_OWN_VOTE" | "AFTER_CLOSE";
  rationaleRequired: boolean;
};
export type SeedDatapoint = {
  id: string;
  batch: number;
  record: DatapointRecord;
  at: number;
  status: "DRAFT" | "OPEN" | "CLOSED";
  options: string[];
  responseIds: string[];
  truth: number;
  accuracy: number;
};

export type Action =
  | { type: "user"; user: number }
  | { type: "batch"; batch: number }
  | { type: "datapoint"; datapoint: number }
  /** A cast (`previous` null) or a change of vote `vote`. */
  | { type: "vote"; vote: number; at: number; option: string; previous: string | null; rationale: string | null }
  | { type: "comment"; comment: number; at: number; body: string }
  | { type: "edit"; comment: number; at: number; body: string; version: number };

/** Everything made so far; the writer reads ids and relations from here by index. */
export class LargeWorld {
  readonly users: SeedUser[] = [];
  readonly batches: SeedBatch[] = [];
  readonly datapoints: SeedDatapoint[] = [];
  readonly voteIds: string[] = [];
  readonly voteDatapoint: Int32Array;
  readonly voteUser: Int32Array;
  private readonly voteOption: Uint8Array;
  readonly commentIds: string[] = [];
  readonly commentDatapoint: Int32Array;
  readonly commentAuthor: Int32Array;
  readonly commentParent: Int32Array;
  private readonly commentVersion: Uint16Array;

  constructor(readonly options: LargeSeedOptions) {
    // Casts: the votes, plus any change that found nothing to change and became a cast.
    const votes = options.votes + Math.round(options.votes * CHANGE_SHARE);
    const comments = options.comments;
    this.voteDatapoint = new Int32Array(votes);
    this.voteUser = new Int32Array(votes);
    this.voteOption = new Uint8Array(votes);
    this.commentDatapoint = new Int32Array(comments);
    this.commentAuthor = new Int32Array(comments);
    this.commentParent = new Int32Array(comments);
    this.commentVersion = new Uint16Array(comments);
  }

  /** Events the story will append (each action is one event). */
  get totalEvents(): number {
    const o = this.options;
    return (
      o.users +
      this.batchCount +
      o.datapoints +
      o.votes +
      Math.round(o.votes * CHANGE_SHARE) +
      o.comments +
      Math.round(o.comments * EDIT_SHARE)
    );
  }

  get batchCount(): number {
    return Math.max(2, Math.ceil(this.options.datapoints / 1_000));
  }

  /** The story in chunks of `size` actions, in time order ending just before `now`. */
  *chunks(now: number, takenPseudonyms: Set<string>, size = this.options.chunkEvents): Generator<Action[]> {
    let chunk: Action[] = [];
    for (const action of this.story(now, takenPseudonyms)) {
      chunk.push(action);
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }

  private *story(now: number, takenPseudonyms: Set<string>): Generator<Action> {
    const o = this.options;
    const random = SeededRandom.fromText(`plenary seed:large ${o.seed}`);
    const text = new SyntheticText(random);
    const end = now - 60_000;
    const start = end - 45 * DAY;
    const run = randomUUID().slice(0, 8);

    // Accounts join over the first ten days.
    for (let i = 0; i < o.users; i++) {
      let pseudonym = newPseudonym();
      while (takenPseudonyms.has(pseudonym)) pseudonym = newPseudonym();
      takenPseudonyms.add(pseudonym);
      const at = start + Math.floor((i * 10 * DAY) / o.users);
      const roll = random.nextFloat();
      const tier = roll < 0.6 ? 0 : roll < 0.85 ? 1 : roll < 0.97 ? 2 : 3;
      this.users.push({ id: uuidv7(at), pseudonym, tier, at });
      yield { type: "user", user: this.users.length - 1 };
    }

    // Batches open on day ten; about a third close on day thirty, the rest stay open.
    const batchesAt = start + 10 * DAY;
    const closedUntil = Math.floor((start + 30 * DAY) / HOUR) * HOUR;
    const closedCount = Math.max(1, Math.round(this.batchCount * 0.3));
    for (let b = 0; b < this.batchCount; b++) {
      const at = batchesAt + b;
      const closes = b < closedCount ? closedUntil : Math.floor((now + 90 * DAY) / DAY) * DAY;
      this.batches.push({
        id: uuidv7(at),
        slug: `large-${run}-${String(b + 1).padStart(3, "0")}`,
        title: `Synthetic batch ${b + 1} (${run})`,
        description: text.paragraphs(40),
        policy: b % 2 === 0 ? "equal" : "trust-tier",
        at,
        opensAt: Math.floor(batchesAt / HOUR) * HOUR,
        closesAt: closes,
        tallyVisibility: b % 3 === 1 ? "AFTER_CLOSE" : "AFTER_OWN_VOTE",
        rationaleRequired: b % 4 === 3,
      });
      yield { type: "batch", batch: b };
    }

    // Datapoints are published over the following day, round-robin into the batches.
    const popularity = new Float64Array(o.datapoints);
    for (let d = 0; d < o.datapoints; d++) {
      const at = batchesAt + 60_000 + Math.floor((d * (DAY - 120_000)) / o.datapoints);
      const batchIndex = d % this.batchCount;
      const batch = this.batches[batchIndex]!;
      const record = text.datapoint(batch.slug, `synthetic-${run}-${d + 1}`);
      const options = optionsView(KIND[record.kind], labelOptionsOf(record)).options.map((option) => option.id);
      const truth =
        record.kind === "pairwise" ? [0, 0, 1, 1, 2][random.nextIndex(5)]! : random.nextIndex(options.length);
      this.datapoints.push({
        id: uuidv7(at),
        batch: batchIndex,
        record,
        at,
        options,
        truth,
        status: scheduledStatus({ opensAt: new Date(batch.opensAt), closesAt: new Date(batch.closesAt) }, new Date(at)),
        responseIds: record.responses.map((r) => r.id),
        accuracy: 0.55 + 0.35 * random.nextFloat(),
      });
      popularity[d] = 0.3 + 3 * random.nextFloat() ** 2;
      yield { type: "datapoint", datapoint: d };
    }

    yield* this.activity(random, text, popularity, start + 11 * DAY, end, closedUntil, closedCount);
  }

  /** Votes, changes, comments and edits, interleaved at evenly spaced times. */
  private *activity(
    random: SeededRandom,
    text: SyntheticText,
    popularity: Float64Array,
    from: number,
    to: number,
    closedUntil: number,
    closedCount: number,
  ): Generator<Action> {
    const o = this.options;
    const users = this.users.length;
    const everyDatapoint = new Picker(popularity, () => true);
    const openDatapoints = new Picker(popularity, (d) => this.datapoints[d]!.batch >= closedCount);
    const votesOn = new Int32Array(o.datapoints);
    const offset = Int32Array.from({ length: o.datapoints }, () => Math.floor(random.nextFloat() * users));
    const stride = Int32Array.from({ length: o.datapoints }, () => coprimeStride(users, random));
    const lastComment = new Int32Array(o.datapoints).fill(-1);
    const remaining = {
      cast: o.votes,
      change: Math.round(o.votes * CHANGE_SHARE),
      comment: o.comments,
      edit: Math.round(o.comments * EDIT_SHARE),
    };
    const total = remaining.cast + remaining.change + remaining.comment + remaining.edit;
    let casts = 0;
    let comments = 0;
    const open = (d: number, at: number) => at < closedUntil || this.datapoints[d]!.batch >= closedCount;
    const rationaleFor = (d: number) =>
      this.batches[this.datapoints[d]!.batch]!.rationaleRequired || random.nextFloat() < 0.25 ? text.rationale() : null;

    for (let i = 0; i < total; i++) {
      const at = from + Math.floor((i * (to - from)) / total);
      const left = remaining.cast + remaining.change + remaining.comment + remaining.edit;
      let roll = Math.floor(random.nextFloat() * left);
      let type: keyof typeof remaining = "edit";
      for (const key of ["cast", "change", "comment"] as const) {
        if (roll < remaining[key]) {
          type = key;
          break;
        }
        roll -= remaining[key];
      }
      if (type === "change") {
        const vote = casts > 0 ? this.changeable(random, casts, at, open) : -1;
        if (vote >= 0) {
          remaining.change--;
          const d = this.voteDatapoint[vote]!;
          const options = this.datapoints[d]!.options;
          const previous = this.voteOption[vote]!;
          const next = (previous + 1 + random.nextIndex(options.length - 1)) % options.length;
          this.voteOption[vote] = next;
          yield {
            type: "vote",
            vote,
            at,
            option: options[next]!,
            previous: options[previous]!,
            rationale: rationaleFor(d),
          };
          continue;
        }
        // Nothing left to change yet (or only in closed batches): cast instead, same total.
        remaining.change--;
        remaining.cast++;
        type = "cast";
      }
      // An edit needs a comment to edit: the first comment comes first.
      if (type === "edit" && comments === 0) type = "comment";
      if (type === "cast") {
        remaining.cast--;
        const picker = at < closedUntil ? everyDatapoint : openDatapoints;
        const d = picker.pick(random, (candidate) => votesOn[candidate]! < users && open(candidate, at));
        const k = votesOn[d]!++;
        const vote = casts++;
        const datapoint = this.datapoints[d]!;
        const option =
          random.nextFloat() < datapoint.accuracy ? datapoint.truth : random.nextIndex(datapoint.options.length);
        this.voteIds.push(randomUUID());
        this.voteDatapoint[vote] = d;
        this.voteUser[vote] = (offset[d]! + ((k * stride[d]!) % users)) % users;
        this.voteOption[vote] = option;
        yield {
          type: "vote",
          vote,
          at,
          option: datapoint.options[option]!,
          previous: null,
          rationale: rationaleFor(d),
        };
        continue;
      }
      if (type === "comment") {
        remaining.comment--;
        const d = everyDatapoint.pick(random, () => true);
        const comment = comments++;
        this.commentIds.push(uuidv7(at));
        this.commentDatapoint[comment] = d;
        this.commentAuthor[comment] = Math.floor(random.nextFloat() * users);
        this.commentParent[comment] = lastComment[d]! >= 0 && random.nextFloat() < REPLY_SHARE ? lastComment[d]! : -1;
        this.commentVersion[comment] = 1;
        lastComment[d] = comment;
        yield { type: "comment", comment, at, body: text.comment() };
        continue;
      }
      remaining.edit--;
      const comment = Math.floor(random.nextFloat() * comments);
      yield { type: "edit", comment, at, body: text.comment(), version: ++this.commentVersion[comment]! };
    }
  }

  /** A cast vote whose datapoint still takes votes at `at`, or -1. */
  private changeable(
    random: SeededRandom,
    casts: number,
    at: number,
    open: (d: number, at: number) => boolean,
  ): number {
    for (let attempt = 0; attempt < 20; attempt++) {
      const vote = Math.floor(random.nextFloat() * casts);
      if (open(this.voteDatapoint[vote]!, at)) return vote;
    }
    return -1;
  }
}

const KIND = KIND_OF_RECORD;

/** A step through 0…n-1 that visits every voter once: coprime with n. */
function coprimeStride(n: number, random: SeededRandom): number {
  if (n <= 1) return 1;
  for (;;) {
    const candidate = 1 + Math.floor(random.nextFloat() * (n - 1));
    if (gcd(candidate, n) === 1) return candidate;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Weighted choice of a datapoint among those `include` admits, by cumulative weights. */
class Picker {
  private readonly ids: number[] = [];
  private readonly cumulative: Float64Array;

  constructor(weights: Float64Array, include: (d: number) => boolean) {
    const sums: number[] = [];
    let sum = 0;
    for (let d = 0; d < weights.length; d++) {
      if (!include(d)) continue;
      sum += weights[d]!;
      this.ids.push(d);
      sums.push(sum);
    }
    this.cumulative = Float64Array.from(sums);
  }

  /** A weighted pick that `accept` admits; falls back to a scan when the draws keep failing. */
  pick(random: SeededRandom, accept: (d: number) => boolean): number {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    for (let attempt = 0; attempt < 50 && total > 0; attempt++) {
      const target = random.nextFloat() * total;
      let low = 0;
      let high = this.cumulative.length - 1;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (this.cumulative[mid]! > target) high = mid;
        else low = mid + 1;
      }
      if (accept(this.ids[low]!)) return this.ids[low]!;
    }
    const found = this.ids.find(accept);
    if (found === undefined)
      throw new Error("no datapoint can take another vote: too many votes for the datapoints and users");
    return found;
  }
}
