// Sending a file from a job to a person (report files, R-26..R-29). The Telegram implementation finds the
// person's account on this bot (the latest link, not blocked) and uploads the bytes with grammY's
// Api.sendDocument, through the bot's paced messenger transport (the person asked for it: it goes as a reply).
import { Api, InputFile } from "grammy";
import type { Db } from "../core/tx.ts";
import type { TelegramTransport } from "../messenger/telegram/transport.ts";

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
  /** The bot's transport: every Bot API call goes through it. */
  transport?: TelegramTransport;
  /** The HTTP client under the transport (tests). */
  fetch?: typeof fetch;
}

export function createTelegramDocumentSender(deps: TelegramDocumentSenderDeps): DocumentSender {
  const fetch = deps.transport ? deps.transport.fetch("interactive", deps.fetch) : deps.fetch;
  const api = new Api(deps.token, {
    ...(deps.apiRoot ? { apiRoot: deps.apiRoot.replace(/\/+$/, "") } : {}),
    timeoutSeconds: 20 * 60,
    ...(fetch ? { fetch: fetch as never } : {}),
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
