// Sending a file from a job to a person (report files, R-26..R-29). The Telegram implementation finds the
// person's latest account in their school (not blocked) and uploads the bytes with grammY's Api.sendDocument
// through that account's bot — the school's own — on its paced transport, as a reply (the person asked for it).
import { type Api, InputFile } from "grammy";
import type { Db } from "../core/tx.ts";

export interface DocumentSender {
  send(input: {
    schoolId: number;
    personId: number;
    fileName: string;
    bytes: Buffer;
    caption: string;
  }): Promise<"sent" | "no-account">;
}

export interface TelegramDocumentSenderDeps {
  prisma: Db;
  /** The Api of a bot this process serves (replies go first on its transport), or undefined. */
  apiFor(botId: number): Api | undefined;
}

export function createTelegramDocumentSender(deps: TelegramDocumentSenderDeps): DocumentSender {
  return {
    async send({ schoolId, personId, fileName, bytes, caption }) {
      const account = await deps.prisma.messengerAccount.findFirst({
        where: { schoolId, personId, blockedAt: null, bot: { schoolId } },
        orderBy: { linkedAt: "desc" },
        select: { chatId: true, botId: true },
      });
      const api = account ? deps.apiFor(account.botId) : undefined;
      if (!account || !api) return "no-account";
      await api.sendDocument(Number(account.chatId), new InputFile(bytes, fileName), {
        caption: caption.slice(0, 1024),
      });
      return "sent";
    },
  };
}
