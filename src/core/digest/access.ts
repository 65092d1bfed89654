// Digests are composed by jobs only: the actor must be the system actor of the school asked about.
import type { AnyActor, SystemActor } from "../actor.ts";
import { forbidden } from "../errors.ts";

export function requireSystemFor(actor: AnyActor, schoolId: number): asserts actor is SystemActor {
  if (actor?.system !== true || actor.schoolId !== schoolId) throw forbidden({ digest: "system-only" });
}
