export { type AddSchoolResult, addSchool } from "./add-school.ts";
export { listSchools, type SchoolSummary } from "./list-schools.ts";
export { isIanaTimezone, type SchoolInput, validateSchoolInput } from "./school-input.ts";
export { type SchoolBotInput, type SchoolBotResult, setSchoolBot } from "./set-school-bot.ts";
