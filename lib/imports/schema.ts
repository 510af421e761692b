// The admin upload form: one JSONL file, size-checked before a byte of it is read.
import { z } from "zod";
import { MAX_IMPORT_BYTES, UPLOAD_TOO_LARGE } from "./rules";

export const uploadSchema = z.object({
  file: z.preprocess(
    // A form submitted without a choice still sends an empty, nameless file part.
    (value) => (value instanceof File && value.name === "" && value.size === 0 ? undefined : value),
    z.file("Choose a .jsonl file to import.").min(1, "The file is empty.").max(MAX_IMPORT_BYTES, UPLOAD_TOO_LARGE),
  ),
});
