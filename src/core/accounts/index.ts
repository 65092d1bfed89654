export { actorForPerson } from "./actor-for-person.ts";
export {
  type AcceptedGuardianInvite,
  type AcceptGuardianInviteInput,
  acceptGuardianInvite,
  type ConsentChild,
  type ConsentState,
  type ConsentStatus,
  consentStatus,
  giveConsent,
  type InvitePreview,
  previewInvite,
  withdrawConsent,
} from "./consent.ts";
export { describePerson, fullNameOf, type PersonDescription, type PersonRole } from "./describe-person.ts";
export { ensureBot } from "./ensure-bot.ts";
export { type AccountInfo, findAccount, markAccountReturned } from "./find-account.ts";
export { type FindPeopleByRefInput, findPeopleByRef, type PersonRefCandidate } from "./find-people-by-ref.ts";
export {
  type CreatedInvite,
  type CreateInviteInput,
  codeHashOf,
  createInvite,
  findUsableInvite,
  hashInviteCode,
  INVITE_ROLES,
  type InviteRole,
  type RedeemedInvite,
  type RedeemInviteInput,
  redeemInvite,
  type UsableInvite,
} from "./invites.ts";
export { linkSandboxAccount, type SandboxLinkInput } from "./link-sandbox-account.ts";
export { listSandboxPeople, type SandboxPeople, type SandboxPerson } from "./sandbox-people.ts";
