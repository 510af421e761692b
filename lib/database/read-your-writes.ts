// Read-your-writes with a read replica (lib/database/read-routing.ts): after a write, the
// writer's response carries a cookie with the primary's WAL position, and that client's reads
// stay on the primary until the replica has replayed that far. Without a replica this does
// nothing. Called by server actions and route handlers once their mutation has committed.
import { setWriterCookie } from "@/lib/database/read-routing";
import { reads } from "@/lib/db";

/** Marks the current request's client as having written just now. Never fails the write it follows. */
export async function noteWrite(): Promise<void> {
  try {
    const position = await reads.positionAfterWrite();
    if (position) await setWriterCookie(position);
  } catch (error) {
    // The write is committed; at worst this client sees it on a lagging replica a moment late.
    console.error(
      `plenary: could not note a write for read-your-writes: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
