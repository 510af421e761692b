import { afterEach, describe, expect, it, vi } from "vitest";
import { DATABASE_BUSY, DATABASE_UNAVAILABLE, databaseTrouble, routeHandler } from "./route";

// Shapes recorded from Prisma 7.10 + @prisma/adapter-pg against a stopped or stopping PostgreSQL.
const notReachable = Object.assign(new Error("Can't reach database server at 127.0.0.1:5433"), {
  name: "PrismaClientKnownRequestError",
  code: "P1001",
  meta: {
    driverAdapterError: {
      name: "DriverAdapterError",
      cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5433 },
    },
  },
});
const rawQueryNotReachable = Object.assign(
  new Error("Raw query failed. Code: `N/A`. Message: `Can't reach database server`"),
  {
    name: "PrismaClientKnownRequestError",
    code: "P2010",
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable" } } },
  },
);
const adminShutdown = Object.assign(new Error("Raw query failed. Code: `57P01`."), {
  name: "PrismaClientKnownRequestError",
  code: "P2010",
  meta: {
    driverAdapterError: {
      name: "DriverAdapterError",
      cause: { originalCode: "57P01", kind: "postgres", code: "57P01", severity: "FATAL" },
    },
  },
});
const uniqueViolation = Object.assign(new Error("Unique constraint failed"), {
  name: "PrismaClientKnownRequestError",
  code: "P2002",
  meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "UniqueConstraintViolation" } } },
});

const poolTimeout = Object.assign(
  new Error("Transaction API error: Unable to start a transaction in the given time."),
  {
    name: "PrismaClientKnownRequestError",
    code: "P2028",
  },
);
const expired = Object.assign(
  new Error(
    "Transaction already closed: A commit cannot be executed on an expired transaction. The timeout for this transaction was 5000 ms",
  ),
  {
    name: "PrismaClientKnownRequestError",
    code: "P2028",
  },
);

describe("databaseTrouble", () => {
  it("recognises an unreachable, stopping or vanished server however it is wrapped", () => {
    expect(databaseTrouble(notReachable)).toBe("unreachable");
    expect(databaseTrouble(rawQueryNotReachable)).toBe("unreachable");
    expect(databaseTrouble(adminShutdown)).toBe("unreachable");
    expect(databaseTrouble(new Error("Connection terminated unexpectedly"))).toBe("unreachable");
    expect(
      databaseTrouble(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5433"), { code: "ECONNREFUSED" })),
    ).toBe("unreachable");
    expect(databaseTrouble(new Error("outer", { cause: Object.assign(new Error("x"), { code: "57P03" }) }))).toBe(
      "unreachable",
    );
  });

  it("recognises a database too busy to take the request in time", () => {
    expect(databaseTrouble(poolTimeout)).toBe("busy");
    expect(databaseTrouble(expired)).toBe("busy");
    expect(
      databaseTrouble(
        Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" }),
      ),
    ).toBe("busy");
    expect(databaseTrouble(Object.assign(new Error("sorry, too many clients already"), { code: "53300" }))).toBe(
      "busy",
    );
  });

  it("leaves bugs and expected database refusals alone", () => {
    expect(databaseTrouble(uniqueViolation)).toBe(null);
    expect(databaseTrouble(new TypeError("undefined is not a function"))).toBe(null);
    expect(databaseTrouble(Object.assign(new Error("append-only"), { code: "23000" }))).toBe(null);
    expect(
      databaseTrouble(Object.assign(new Error("Transaction API error: Transaction not found."), { code: "P2028" })),
    ).toBe(null);
    expect(databaseTrouble(null)).toBe(null);
    expect(databaseTrouble("P1001")).toBe(null);
  });

  it("terminates on a cyclic cause chain", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(databaseTrouble(a)).toBe(null);
  });
});

describe("routeHandler", () => {
  afterEach(() => vi.restoreAllMocks());
  const request = new Request("http://plenary.test/api/votes", { method: "POST" });

  it("passes answers through untouched", async () => {
    const handler = routeHandler(() => new Response("fine", { status: 201 }));
    const response = await handler(request, undefined);
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("fine");
  });

  it("answers a database outage with 503, a sentence and Retry-After", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await routeHandler(async () => {
      throw notReachable;
    })(request, undefined);
    expect(response.status).toBe(503);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(await response.json()).toMatchObject({
      status: 503,
      title: "Service Unavailable",
      detail: DATABASE_UNAVAILABLE,
    });
  });

  it("logs anything else and answers 500 without the error's text", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await routeHandler(() => {
      throw new Error("secret internals");
    })(request, undefined);
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toMatchObject({ status: 500, title: "Internal Server Error" });
    expect(JSON.stringify(body)).not.toContain("secret internals");
    expect(log).toHaveBeenCalled();
  });

  it("answers a database too busy to start the transaction with 503 and its own sentence", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await routeHandler(async () => {
      throw poolTimeout;
    })(request, undefined);
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(await response.json()).toMatchObject({ status: 503, detail: DATABASE_BUSY });
  });

  it("hands the route its context (dynamic params)", async () => {
    const handler = routeHandler(async (_request: Request, { params }: { params: Promise<{ slug: string }> }) =>
      Response.json(await params),
    );
    const response = await handler(request, { params: Promise.resolve({ slug: "abc" }) });
    expect(await response.json()).toEqual({ slug: "abc" });
  });
});
