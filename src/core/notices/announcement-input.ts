// The input of a notice and the access rule for its target, shared by the preview and the send.
import { z } from "zod";
import { can, requireClassManage } from "../access/index.ts";
import type { AnyActor } from "../actor.ts";
import { forbidden, invalid } from "../errors.ts";
import { idSchema, parseInput } from "../journal/common.ts";
import type { DbOrTx } from "../tx.ts";
import type { AnnouncementTarget } from "./recipients.ts";

export const ANNOUNCEMENT_MAX_TEXT = 3500;

export const announcementFileSchema = z
  .object({
    kind: z.enum(["document", "photo"]),
    fileId: z.string().min(1).max(300),
    name: z.string().trim().max(200).optional(),
  })
  .strict();
export type AnnouncementFile = z.infer<typeof announcementFileSchema>;

const targetShape = {
  scope: z.enum(["CLASS", "PARALLEL", "SCHOOL"]),
  classId: idSchema.optional(),
  grade: z.number().int().min(1).max(11).optional(),
  audience: z.enum(["PARENTS", "STUDENTS", "BOTH"]),
};

export const previewInputSchema = z.object(targetShape).strict();
export const createInputSchema = z
  .object({
    ...targetShape,
    text: z.string().trim().min(1).max(ANNOUNCEMENT_MAX_TEXT),
    file: announcementFileSchema.optional(),
  })
  .strict();

export interface ResolvedTarget extends AnnouncementTarget {
  /** The class's name for CLASS; null otherwise. */
  className: string | null;
}

/** Parses the target part of the input and checks the actor may post there. */
export async function requireAnnounceTarget<S extends typeof previewInputSchema | typeof createInputSchema>(
  db: DbOrTx,
  actor: AnyActor,
  schema: S,
  input: unknown,
): Promise<{ q: z.infer<S>; target: ResolvedTarget }> {
  const q = parseInput(schema, input) as z.infer<S>;
  if (q.scope === "CLASS") {
    if (q.classId === undefined || q.grade !== undefined) throw invalid({ field: "classId" });
    const cls = await requireClassManage(db, actor, q.classId);
    if (!cls.isClassTeacher && !can(actor, "announce.school")) throw forbidden({ classId: q.classId });
    return { q, target: { scope: "CLASS", classId: q.classId, className: cls.name } };
  }
  if (!can(actor, "announce.school")) throw forbidden({ permission: "announce.school" });
  if (q.scope === "PARALLEL") {
    if (q.grade === undefined || q.classId !== undefined) throw invalid({ field: "grade" });
    return { q, target: { scope: "PARALLEL", grade: q.grade, className: null } };
  }
  if (q.grade !== undefined || q.classId !== undefined) throw invalid({ field: "scope" });
  return { q, target: { scope: "SCHOOL", className: null } };
}
