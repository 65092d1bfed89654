// journal.json: the period's journal as data (lessons, topics, homework, marks incl. superseded, attendance,
// term marks). term-marks.json: the final marks alone, kept as long as the summary sheet (25 years).
import type { ArchiveProducer } from "./producer.ts";

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);

export const journalJsonProducer: ArchiveProducer = {
  name: "journal.json",
  retention: "journal",
  async produce(ctx) {
    return json({ format: "classbook-journal/1", ...(await ctx.journal()) });
  },
};

export const termMarksJsonProducer: ArchiveProducer = {
  name: "term-marks.json",
  retention: "summary",
  async produce(ctx) {
    const j = await ctx.journal();
    return json({
      format: "classbook-term-marks/1",
      school: j.school,
      scope: j.scope,
      classes: j.classes,
      students: j.students,
      termMarks: j.termMarks,
    });
  },
};
