// The shared state of Telegram's limits, so that every process of a deployment paces the same bot and chat
// together: a GCRA (generic cell rate algorithm) per scope — the "theoretical arrival time" of the next message —
// plus "nothing before T" for a scope that Telegram answered with 429 retry_after, plus (for the bot) a window
// of the last messages' answers. Redis when the deployment has it (one Lua script, atomic), else a PostgreSQL
// row per scope (one statement).
//
// Why the window: Telegram counts a message when it arrives, and it arrives some unknown time after we took its
// slot (a cold connection, a busy event loop, another process). Slots 1000/29.2 ms apart leave 27 ms of slack per
// 30 messages; a few late messages followed by punctual ones put 31 into one second and the bot is closed for a
// second (measured: one 429 per bench run, the first burst and then now and then). What we do know is that a
// message has arrived by the time its answer is back. So message n may go only 1000 ms after the answers of all
// messages up to n − count came back: no second ever holds more than `count` arrivals, whatever the latency.
import type { Redis } from "ioredis";
import type { Db } from "../../core/tx.ts";

export interface RateWindow {
  /** At most this many messages arrive at Telegram in any `ms` (Telegram: 30 a second per bot). */
  count: number;
  ms: number;
  /** A message still unanswered this long after its slot counts as answered then (its process died). */
  pendingMs: number;
}

export interface RateRule {
  /** Spacing of messages in the long run. */
  intervalMs: number;
  /** Messages that may go at once after a quiet spell (1 = none extra). */
  burst: number;
  window?: RateWindow;
}

export interface Reservation {
  /** The slot: not before this instant. Unknown (NaN) when not reserved and the store cannot tell yet. */
  at: number;
  reserved: boolean;
  /** With a window: the message's number, to report its answer with `answered`. */
  ticket?: number;
}

export interface RateStore {
  /**
   * Reserves the scope's earliest slot at or after `now`. With `maxAheadMs`, a slot further away than that is not
   * reserved (broadcasts take slots only just in time, so an interactive reply can go before them).
   */
  reserve(key: string, rule: RateRule, now: number, maxAheadMs?: number): Promise<Reservation>;
  /** Nothing in this scope before `until` (Telegram's retry_after). */
  block(key: string, until: number): Promise<void>;
  /**
   * The message of `ticket` has reached Telegram by `at` (its answer came back, or it was never sent), so the
   * message `count` after it may go from `at + ms` on.
   */
  answered(key: string, rule: RateRule, ticket: number, at: number): Promise<void>;
}

const tolerance = (rule: RateRule) => rule.intervalMs * Math.max(0, rule.burst - 1);
const windowArgs = (rule: RateRule) => {
  const w = rule.window;
  return w ? [w.count, w.ms, w.pendingMs] : [0, 0, 0];
};

// The window is a ring of `count` entries, entry n % count for message n: its answer's time, or while it is
// unanswered −(slot + 1). Message n takes the entry of message n − count, which must have been answered, and
// keeps the latest answer of all messages so far evicted ("floor"): n goes not before floor + ms.
// KEYS[1] scope; ARGV now, interval, tolerance, maxAhead (-1: any), count (0: no window), ms, pendingMs.
// Returns { at ("nan": wait for an answer), reserved, ticket }.
const RESERVE_LUA = `
local h = KEYS[1]
local tat = tonumber(redis.call('HGET', h, 't') or '0')
local blocked = tonumber(redis.call('HGET', h, 'b') or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tol = tonumber(ARGV[3])
local ahead = tonumber(ARGV[4])
local count = tonumber(ARGV[5])
local at = math.max(now, tat - tol, blocked)
local seq, slot, floor = 0, 0, 0
if count > 0 then
  seq = tonumber(redis.call('HGET', h, 'n') or '0')
  slot = seq % count
  floor = tonumber(redis.call('HGET', h, 'm') or '0')
  local old = redis.call('HGET', h, 'r' .. slot)
  if old then
    local v = tonumber(old)
    if v < 0 then
      v = -v - 1 + tonumber(ARGV[7])
      if now < v then return {'nan', 0, -1} end
    end
    floor = math.max(floor, v)
  end
  at = math.max(at, floor + tonumber(ARGV[6]))
end
if ahead >= 0 and at - now > ahead then return {tostring(at), 0, -1} end
local nt = math.max(tat, at) + interval
redis.call('HSET', h, 't', tostring(nt))
if count > 0 then
  redis.call('HSET', h, 'n', tostring(seq + 1), 'm', tostring(floor), 'r' .. slot, tostring(-at - 1))
end
redis.call('PEXPIRE', h, math.ceil(math.max(nt, blocked) - now + tol + 60000))
return {tostring(at), 1, seq}
`;

// KEYS[1] scope; ARGV ticket, count, answeredAt. Only while the entry is still the ticket's and unanswered.
const ANSWERED_LUA = `
local seq = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local ticket = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
if ticket >= seq or seq - ticket > count then return 0 end
local f = 'r' .. (ticket % count)
local v = tonumber(redis.call('HGET', KEYS[1], f) or '0')
if v < 0 then redis.call('HSET', KEYS[1], f, ARGV[3]) end
return 1
`;

const BLOCK_LUA = `
local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
local untilAt = tonumber(ARGV[1])
if untilAt > blocked then redis.call('HSET', KEYS[1], 'b', tostring(untilAt)) end
local ttl = redis.call('PTTL', KEYS[1])
local want = math.ceil(untilAt - tonumber(ARGV[2]) + 60000)
if ttl < want then redis.call('PEXPIRE', KEYS[1], want) end
return 1
`;

type RedisWithRate = Redis & {
  classbookRateReserve2(key: string, ...args: string[]): Promise<[string, number, number]>;
  classbookRateAnswered(key: string, ticket: string, count: string, at: string): Promise<number>;
  classbookRateBlock(key: string, until: string, now: string): Promise<number>;
};

export function redisRateStore(redis: Redis, prefix: string): RateStore {
  const r = redis as RedisWithRate;
  if (!("classbookRateReserve2" in r)) {
    redis.defineCommand("classbookRateReserve2", { numberOfKeys: 1, lua: RESERVE_LUA });
    redis.defineCommand("classbookRateAnswered", { numberOfKeys: 1, lua: ANSWERED_LUA });
    redis.defineCommand("classbookRateBlock", { numberOfKeys: 1, lua: BLOCK_LUA });
  }
  const k = (key: string) => `${prefix}:rate:${key}`;
  return {
    async reserve(key, rule, now, maxAheadMs) {
      const [at, reserved, ticket] = await r.classbookRateReserve2(
        k(key),
        ...[now, rule.intervalMs, tolerance(rule), maxAheadMs ?? -1, ...windowArgs(rule)].map(String),
      );
      return reserved === 1
        ? { at: Number(at), reserved: true, ...(rule.window ? { ticket: Number(ticket) } : {}) }
        : { at: Number(at), reserved: false };
    },
    async block(key, until) {
      await r.classbookRateBlock(k(key), String(until), String(Date.now()));
    },
    async answered(key, rule, ticket, at) {
      if (!rule.window) return;
      await r.classbookRateAnswered(k(key), String(ticket), String(rule.window.count), String(at));
    },
  };
}

/**
 * One row per scope in "RateScope", one statement per reservation: in ON CONFLICT … DO UPDATE every `s.` is the
 * row as it was, and the outer SELECT sees the row as it was too (one snapshot), so a slot too far ahead is not
 * taken but still reported. The window's ring is the row's `ring` array (1-based), as in the Lua script above.
 */
export function postgresRateStore(db: Db): RateStore {
  // $1 key, $2 now, $3 interval, $4 tolerance, $5 maxAhead (-1: any), $6 count (0: no window), $7 ms, $8 pendingMs
  const entry = (t: string) => `(CASE WHEN $6::int > 0 THEN ${t}.ring[(${t}.seq % $6::int)::int + 1] END)`;
  // The evicted message's answer: 0 if none, NULL while it may still be on its way.
  const answer = (t: string) =>
    `(CASE WHEN ${entry(t)} IS NULL THEN 0::float8 WHEN ${entry(t)} >= 0 THEN ${entry(t)}
       WHEN $2::float8 >= -${entry(t)} - 1 + $8::float8 THEN -${entry(t)} - 1 + $8::float8 END)`;
  const floor = (t: string) => `GREATEST(${t}."sentMax", ${answer(t)})`;
  const slot = (t: string) =>
    `(CASE WHEN ${answer(t)} IS NOT NULL THEN GREATEST($2::float8, ${t}.tat - $4::float8, ${t}."blockedUntil",
       CASE WHEN $6::int > 0 THEN ${floor(t)} + $7::float8 ELSE 0 END) END)`;
  const index = `(s.seq % GREATEST($6::int, 1))::int + 1`;
  return {
    async reserve(key, rule, now, maxAheadMs) {
      const rows = await db.$queryRawUnsafe<{ at: number | null; ticket: number | null; wanted: number | null }[]>(
        `WITH taken AS (
           INSERT INTO "RateScope" AS s (key, tat, "lastAt", "blockedUntil", seq, "sentMax", ring)
           VALUES ($1, $2::float8 + $3::float8, $2::float8, 0, 1, 0,
                   CASE WHEN $6::int > 0 THEN ARRAY[-$2::float8 - 1] ELSE '{}'::float8[] END)
           ON CONFLICT (key) DO UPDATE SET
             "lastAt" = ${slot("s")},
             tat = GREATEST(s.tat, ${slot("s")}) + $3::float8,
             seq = s.seq + 1,
             "sentMax" = CASE WHEN $6::int > 0 THEN ${floor("s")} ELSE s."sentMax" END,
             ring = CASE WHEN $6::int > 0
               THEN s.ring[1:${index} - 1] || ARRAY[-${slot("s")} - 1] || s.ring[${index} + 1:$6::int]
               ELSE s.ring END
           WHERE ${slot("s")} IS NOT NULL AND ($5::float8 < 0 OR ${slot("s")} - $2::float8 <= $5::float8)
           RETURNING "lastAt", (seq - 1)::float8 AS ticket)
         SELECT (SELECT "lastAt" FROM taken) AS at, (SELECT ticket FROM taken) AS ticket,
                (SELECT ${slot("r")} FROM "RateScope" r WHERE r.key = $1) AS wanted`,
        key,
        now,
        rule.intervalMs,
        tolerance(rule),
        maxAheadMs ?? -1,
        ...windowArgs(rule),
      );
      const row = rows[0];
      if (row?.at !== null && row?.at !== undefined) {
        return { at: Number(row.at), reserved: true, ...(rule.window ? { ticket: Number(row.ticket) } : {}) };
      }
      return {
        at: row?.wanted === null || row?.wanted === undefined ? Number.NaN : Number(row.wanted),
        reserved: false,
      };
    },
    async block(key, until) {
      await db.$executeRawUnsafe(
        `INSERT INTO "RateScope" AS s (key, tat, "lastAt", "blockedUntil") VALUES ($1, 0, 0, $2::float8)
         ON CONFLICT (key) DO UPDATE SET "blockedUntil" = GREATEST(s."blockedUntil", $2::float8)`,
        key,
        until,
      );
    },
    async answered(key, rule, ticket, at) {
      if (!rule.window) return;
      await db.$executeRawUnsafe(
        `UPDATE "RateScope" SET ring[($2::bigint % $3::int)::int + 1] = $4::float8
         WHERE key = $1 AND $2::bigint < seq AND seq - $2::bigint <= $3::int
           AND ring[($2::bigint % $3::int)::int + 1] < 0`,
        key,
        ticket,
        rule.window.count,
        at,
      );
    },
  };
}
