"use server";

import { revalidatePath } from "next/cache";
import { noteWrite } from "@/lib/database/read-your-writes";
import { formAction } from "@/lib/forms/action";
import { done, failed, type FormState } from "@/lib/forms/state";
import { importFile } from "./mutations";
import { canImport } from "./policy";
import type { ImportReport } from "./rules";
import { uploadSchema } from "./schema";

/** A FormState that also carries the import's report, for the page's table of lines. */
export type ImportFormState = FormState & { report?: ImportReport };

export const importUploadAction = formAction<typeof uploadSchema, ImportFormState>({
  name: "importUploadAction",
  schema: uploadSchema,
  input: (form) => ({ file: form.get("file") }),
  allow: canImport,
  run: async ({ file }, admin) => {
    const report = await importFile(new Uint8Array(await file.arrayBuffer()), { actorId: admin.id });
    if (!report.ok) return { ...failed(report.message), report };
    if (report.summary && report.summary.batchesCreated + report.summary.datapointsCreated > 0) {
      await noteWrite();
      revalidatePath("/", "layout");
    }
    return { ...done(report.message), report };
  },
});
