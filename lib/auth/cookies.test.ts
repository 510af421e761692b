import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./cookies";

describe("safeCallbackPath", () => {
  it("keeps same-site paths and refuses anything that could leave the site", () => {
    expect(safeCallbackPath("/datapoints/abc?x=1")).toBe("/datapoints/abc?x=1");
    expect(safeCallbackPath("//evil.example/")).toBe("/");
    expect(safeCallbackPath("https://evil.example/")).toBe("/");
    expect(safeCallbackPath("/\\evil.example")).toBe("/");
    expect(safeCallbackPath(null)).toBe("/");
  });
});
