"use server";

import { revalidatePath } from "next/cache";
import { currentUser } from "@/lib/auth/session";
import { NOT_ALLOWED, SIGN_IN_REQUIRED, done, failed, invalid, UNREADABLE_FORM, type FormState } from "@/lib/forms/state";
import { importFile } from "./mutations";
import { canImport } from "./policy";
import type { ImportReport } from "./rules";
import { uploadSchema } from "./schema";
import { noteWrite } from "@/lib/database/read-your-writes";

/** A FormState that also carries the import's report, for the page's table of lines. */
export type ImportFormState = FormState & { report?: ImportReport };

export async function importUploadAction(_previous: ImportFormState, form: FormData): Promise<ImportFormState> {
  if (!(form instanceof FormData)) return UNREADABLE_FORM;
  const parsed = uploadSchema.safeParse({ file: form.get("file") });
  if (!parsed.success) return invalid(parsed.error, parsed.error.issues[0]?.message);
  const admin = await currentUser();
  if (!admin) return SIGN_IN_REQUIRED;
  if (!canImport(admin)) return NOT_ALLOWED;
  const bytes = new Uint8Array(await parsed.data.file.arrayBuffer());
  const report = await importFile(bytes, { actorId: admin.id });
  if (!report.ok) return { ...failed(report.message), report };
  if (report.summary && report.summary.batchesCreated + report.summary.datapointsCreated > 0) {
    await noteWrite();
    revalidatePath("/", "layout");
  }
  return { ...done(report.message), report };
}
