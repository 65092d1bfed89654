// The buttons of the lesson-start prompt, built by the jobs layer when it sends the prompt and by the bot when
// the teacher switches prompts off or on. No grammY runtime here.
import type { TFunction } from "i18next";
import { allPresentCallback, attendanceOpenCallback, promptOffCallback, promptOnCallback } from "./lesson.ts";

export interface PromptButton {
  text: string;
  callback_data: string;
}

/** "All present" · "Mark the absent" · "Stop these reminders" (or "Send them again" when off). */
export function promptKeyboard(t: TFunction, lessonId: number, promptsOn = true): PromptButton[][] {
  return [
    [
      { text: t("teacher-lesson:prompt.allPresent"), callback_data: allPresentCallback.encode({ lessonId }) },
      { text: t("teacher-lesson:prompt.markAbsent"), callback_data: attendanceOpenCallback.encode({ lessonId }) },
    ],
    promptsOn
      ? [{ text: t("teacher-lesson:prompt.off"), callback_data: promptOffCallback.encode({ lessonId }) }]
      : [{ text: t("teacher-lesson:prompt.on"), callback_data: promptOnCallback.encode({ lessonId }) }],
  ];
}
