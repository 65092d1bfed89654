// The school year (issue 11): families told about a student's leaving and about calendar changes.
import { calendarChangedHandler } from "../school-year/calendar-changed.ts";
import { studentLeftHandler } from "../school-year/student-left.ts";
import type { JobsModuleFactory } from "./index.ts";

export const SCHOOL_YEAR_HANDLERS = [studentLeftHandler, calendarChangedHandler];

export const schoolYearModule: JobsModuleFactory = () => ({ handlers: SCHOOL_YEAR_HANDLERS });
