// Progress of a long command-line job on stderr: a redrawn bar on a terminal (at most every
// 100 ms), and on anything else (a log file, CI) a plain line at each tenth, so logs stay short.
type Output = { isTTY?: boolean; columns?: number; write(text: string): unknown };

export function createProgress(out: Output, label: string, unit: string, clock: () => number = Date.now) {
  let drawnAt = -Infinity;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done: number, total: number) {
      if (total <= 0) return;
      if (out.isTTY) {
        if (done < total && clock() - drawnAt < 100) return;
        drawnAt = clock();
        drawn = true;
        out.write(
          `\r\x1b[2K${progressBar(label, unit, done, total, Math.min(40, Math.max(10, (out.columns ?? 80) - 40)))}`,
        );
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      out.write(
        `${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${unit} (${tenth * 10}%)\n`,
      );
    },
    /** Ends the bar's line so what follows starts on its own. */
    finish() {
      if (drawn) out.write("\n");
      drawn = false;
    },
  };
}

export function progressBar(label: string, unit: string, done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  const percent = String(Math.floor(share * 100)).padStart(3);
  return `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${percent}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${unit}`;
}
