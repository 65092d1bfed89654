// Who hears about a student: the guardians of record who gave consent and did not withdraw it,
// whose guardianship has not ended and who have linked the bot. Preferences fall back to the model's defaults,
// with the school's default quiet hours for a guardian who never chose their own.
import { getSchool } from "../../core/settings.ts";
import type { DbOrTx } from "../../core/tx.ts";

export interface AlertPreferences {
  quietFrom: string;
  quietTo: string;
  alertAbsence: boolean;
  alertLowMark: boolean;
  lowMarkThreshold: number;
  alertEveryMark: boolean;
}

/** Same defaults as the Preference model in prisma/schema.prisma. */
export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  quietFrom: "21:00",
  quietTo: "07:00",
  alertAbsence: true,
  alertLowMark: false,
  lowMarkThreshold: 3,
  alertEveryMark: false,
};

export interface GuardianRecipient {
  personId: number;
  prefs: AlertPreferences;
}

export async function guardiansOf(db: DbOrTx, schoolId: number, studentId: number): Promise<GuardianRecipient[]> {
  const [rows, school] = await Promise.all([
    db.guardianship.findMany({
      where: {
        schoolId,
        studentId,
        endedAt: null,
        consentGivenAt: { not: null },
        consentRevokedAt: null,
        guardian: { accounts: { some: { blockedAt: null } } },
      },
      select: { guardian: { select: { id: true, preference: true } } },
      orderBy: { guardianId: "asc" },
    }),
    getSchool(db, schoolId),
  ]);
  const quiet = school.settings.quietHoursDefault;
  const defaults = { ...DEFAULT_ALERT_PREFERENCES, quietFrom: quiet.from, quietTo: quiet.to };
  return rows.map(({ guardian }) => {
    const p = guardian.preference;
    return {
      personId: guardian.id,
      prefs: p
        ? {
            quietFrom: p.quietFrom,
            quietTo: p.quietTo,
            alertAbsence: p.alertAbsence,
            alertLowMark: p.alertLowMark,
            lowMarkThreshold: p.lowMarkThreshold,
            alertEveryMark: p.alertEveryMark,
          }
        : defaults,
    };
  });
}
