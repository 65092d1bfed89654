// Sending a file from a job to a person (report files, R-26..R-29). Small on purpose: the lead routes it
// through the paced messenger transport later. The Telegram implementation finds the person's account on this
// bot (the latest link, not blocked) and uploads the bytes with grammY's Api.sendDocument.
import { Api, InputFile } from "grammy";
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
  botId: number;
  /** Bot API token. Never logged. */
  token: string;
  apiRoot?: string;
  /** Replaces the HTTP client (tests). */
  fetch?: typeof fetch;
}

export function createTelegramDocumentSender(deps: TelegramDocumentSenderDeps): DocumentSender {
  const api = new Api(deps.token, {
    ...(deps.apiRoot ? { apiRoot: deps.apiRoot.replace(/\/+$/, "") } : {}),
    timeoutSeconds: 60,
    ...(deps.fetch ? { fetch: deps.fetch as never } : {}),
  });
  return {
    async send({ schoolId, personId, fileName, bytes, caption }) {
      const account = await deps.prisma.messengerAccount.findFirst({
        where: { schoolId, personId, botId: deps.botId, blockedAt: null },
        orderBy: { linkedAt: "desc" },
        select: { chatId: true },
      });
      if (!account) return "no-account";
      await api.sendDocument(Number(account.chatId), new InputFile(bytes, fileName), {
        caption: caption.slice(0, 1024),
      });
      return "sent";
    },
  };
}
