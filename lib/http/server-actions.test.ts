import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES, isActionCall, judgeActionCall, type ActionCall } from "./server-actions";

const ID = "609df24faa78e4aa9aed455ff0c48ecb30cb948ce5";
const call = (over: Partial<ActionCall> = {}): ActionCall => ({
  method: "POST",
  pathname: "/admin/import",
  nextAction: ID,
  contentType: "multipart/form-data; boundary=x",
  contentLength: "1200",
  origin: "http://plenary.test",
  host: "plenary.test",
  hasSessionCookie: true,
  ...over,
});

describe("judgeActionCall", () => {
  it("lets a signed-in same-origin call of a modest size through", () => {
    expect(judgeActionCall(call())).toEqual({ kind: "pass" });
    expect(judgeActionCall(call({ origin: null }))).toEqual({ kind: "pass" });
  });

  it("refuses a large anonymous call before its body is read, and lets a small one reach its action", () => {
    const large = String(20 * 1024 * 1024);
    expect(judgeActionCall(call({ hasSessionCookie: false, contentLength: large }))).toMatchObject({
      kind: "refuse",
      status: 401,
    });
    // A form post without JavaScript (no header; the id is in the body) is a call too.
    expect(judgeActionCall(call({ nextAction: null, hasSessionCookie: false, contentLength: large }))).toMatchObject({
      kind: "refuse",
      status: 401,
    });
    expect(judgeActionCall(call({ hasSessionCookie: false }))).toEqual({ kind: "pass" });
  });

  it("refuses malformed ids with 400 and other origins with 403", () => {
    for (const nextAction of ["", "x", "zz".repeat(21), `${ID}0`.repeat(3), "../../etc"]) {
      expect(judgeActionCall(call({ nextAction })), nextAction).toMatchObject({ kind: "refuse", status: 400 });
    }
    expect(judgeActionCall(call({ origin: "https://evil.test" }))).toMatchObject({ kind: "refuse", status: 403 });
    expect(judgeActionCall(call({ origin: "null" }))).toMatchObject({ kind: "refuse", status: 403 });
    expect(judgeActionCall(call({ origin: "not a url" }))).toMatchObject({ kind: "refuse", status: 400 });
    expect(judgeActionCall(call({ host: null }))).toMatchObject({ kind: "refuse", status: 403 });
  });

  it("needs a declared length, bounds it, and sends large bodies to a session check", () => {
    expect(judgeActionCall(call({ contentLength: null }))).toMatchObject({ kind: "refuse", status: 411 });
    expect(judgeActionCall(call({ contentLength: "-1" }))).toMatchObject({ kind: "refuse", status: 411 });
    expect(judgeActionCall(call({ contentLength: String(ACTION_BODY_LIMIT_BYTES + 1) }))).toMatchObject({
      kind: "refuse",
      status: 413,
    });
    expect(judgeActionCall(call({ contentLength: String(20 * 1024 * 1024) }))).toEqual({ kind: "large" });
  });

  it("leaves reads and the API alone", () => {
    expect(isActionCall(call({ method: "GET" }))).toBe(false);
    expect(isActionCall(call({ pathname: "/api/votes" }))).toBe(false);
    expect(isActionCall(call({ nextAction: null, contentType: "application/json" }))).toBe(false);
    expect(judgeActionCall(call({ pathname: "/api/votes", hasSessionCookie: false }))).toEqual({ kind: "pass" });
  });

  it("refuses any other large or undeclared body before it is read", () => {
    const api = (over: Partial<ActionCall>) =>
      judgeActionCall(call({ pathname: "/api/votes", nextAction: null, contentType: "application/json", ...over }));
    expect(api({ contentLength: "200" })).toEqual({ kind: "pass" });
    expect(api({ contentLength: String(2 * 1024 * 1024) })).toMatchObject({ kind: "refuse", status: 413 });
    expect(api({ contentLength: null, transferEncoding: "chunked" })).toMatchObject({ kind: "refuse", status: 411 });
    // No body at all (a GET, say) declares no length and is not chunked.
    expect(api({ method: "GET", contentLength: null })).toEqual({ kind: "pass" });
  });
});
