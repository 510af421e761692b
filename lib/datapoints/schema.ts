// The import format for candidate datapoints: one JSON object per line (JSONL).
// The same schema validates the demo seed, `npm run import` and the admin upload page.
import { z } from "zod";
import { TALLY_VISIBILITIES } from "@/lib/domain/schema";

const PAIRWISE_OPTIONS = ["A", "B", "TIE", "BOTH_BAD"] as const;
export const CATEGORIES = ["helpfulness", "harmlessness", "honesty"] as const;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case letters, digits and single hyphens")
  .max(80);
const text = (max: number) => z.string().trim().min(1).max(max);

export const responseSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]$/, "response ids are single capital letters"),
  text: text(20_000),
});

export const batchRecordSchema = z.strictObject({
  record: z.literal("batch"),
  slug,
  title: text(200),
  description: z.string().trim().max(4_000).default(""),
  /** Name of a published voting policy; the newest version is used. */
  policy: slug,
  opensAt: z.iso.datetime({ offset: true }),
  closesAt: z.iso.datetime({ offset: true }),
  tallyVisibility: z.enum(TALLY_VISIBILITIES).default("AFTER_OWN_VOTE"),
  rationaleRequired: z.boolean().default(false),
});

const common = {
  record: z.literal("datapoint"),
  batch: slug,
  externalId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "letters, digits and . _ : - only"),
  category: z.enum(CATEGORIES),
  title: text(200),
  prompt: text(20_000),
  context: z.string().trim().max(20_000).optional(),
  proposedLabelSource: text(200),
};

const pairwiseSchema = z.strictObject({
  ...common,
  kind: z.literal("pairwise"),
  responses: z.tuple([responseSchema.extend({ id: z.literal("A") }), responseSchema.extend({ id: z.literal("B") })]),
  proposedLabel: z.enum(PAIRWISE_OPTIONS),
});

const ratingScaleSchema = z
  .strictObject({
    question: text(300),
    min: z.int().min(0).max(10),
    max: z.int().min(1).max(10),
    minCaption: text(60),
    maxCaption: text(60),
  })
  .refine((s) => s.max > s.min, { message: "max must be greater than min", path: ["max"] });

const ratingSchema = z
  .strictObject({
    ...common,
    kind: z.literal("rating"),
    responses: z.tuple([responseSchema.extend({ id: z.literal("A") })]),
    labelOptions: ratingScaleSchema,
    proposedLabel: z.string().regex(/^\d{1,2}$/, "a rating is a whole number"),
  })
  .refine((d) => Number(d.proposedLabel) >= d.labelOptions.min && Number(d.proposedLabel) <= d.labelOptions.max, {
    message: "proposedLabel must lie on the rating scale",
    path: ["proposedLabel"],
  });

const classSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,40}$/, "class ids are lower_snake_case"),
  caption: text(120),
});

const classificationSchema = z
  .strictObject({
    ...common,
    kind: z.literal("classification"),
    responses: z.tuple([responseSchema.extend({ id: z.literal("A") })]),
    labelOptions: z.strictObject({
      question: text(300),
      classes: z.array(classSchema).min(2).max(12),
    }),
    proposedLabel: z.string(),
  })
  .refine((d) => new Set(d.labelOptions.classes.map((c) => c.id)).size === d.labelOptions.classes.length, {
    message: "class ids must be unique",
    path: ["labelOptions", "classes"],
  })
  .refine((d) => d.labelOptions.classes.some((c) => c.id === d.proposedLabel), {
    message: "proposedLabel must be one of the class ids",
    path: ["proposedLabel"],
  });

export const datapointRecordSchema = z.discriminatedUnion("kind", [pairwiseSchema, ratingSchema, classificationSchema]);

export type BatchRecord = z.infer<typeof batchRecordSchema>;
export type DatapointRecord = z.infer<typeof datapointRecordSchema>;
