// The shared state of Telegram's limits, so that every process of a deployment paces the same bot and chat
// together: a GCRA (generic cell rate algorithm) per scope — the "theoretical arrival time" of the next message —
// plus "nothing before T" for a scope that Telegram answered with 429 retry_after. Redis when the deployment has
// it (one Lua script, atomic), else a PostgreSQL row per scope (one statement).
import type { Redis } from "ioredis";
import type { Db } from "../../core/tx.ts";

export interface RateRule {
  /** Spacing of messages in the long run. */
  intervalMs: number;
  /** Messages that may go at once after a quiet spell (1 = none extra). */
  burst: number;
}

export interface Reservation {
  /** The slot: not before this instant. Unknown (NaN) when not reserved and the store cannot tell. */
  at: number;
  reserved: boolean;
}

export interface RateStore {
  /**
   * Reserves the scope's earliest slot at or after `now`. With `maxAheadMs`, a slot further away than that is not
   * reserved (broadcasts take slots only just in time, so an interactive reply can go before them).
   */
  reserve(key: string, rule: RateRule, now: number, maxAheadMs?: number): Promise<Reservation>;
  /** Nothing in this scope before `until` (Telegram's retry_after). */
  block(key: string, until: number): Promise<void>;
}

const tolerance = (rule: RateRule) => rule.intervalMs * Math.max(0, rule.burst - 1);

// KEYS[1] scope; ARGV now, interval, tolerance, maxAhead (-1: any). Returns { at, reserved }.
const RESERVE_LUA = `
local tat = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tol = tonumber(ARGV[3])
local ahead = tonumber(ARGV[4])
local at = math.max(now, tat - tol, blocked)
if ahead >= 0 and at - now > ahead then return {tostring(at), 0} end
local nt = math.max(tat, at) + interval
redis.call('HSET', KEYS[1], 't', tostring(nt))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(nt, blocked) - now + tol + 60000))
return {tostring(at), 1}
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
  classbookRateReserve(
    key: string,
    now: string,
    interval: string,
    tol: string,
    ahead: string,
  ): Promise<[string, number]>;
  classbookRateBlock(key: string, until: string, now: string): Promise<number>;
};

export function redisRateStore(redis: Redis, prefix: string): RateStore {
  const r = redis as RedisWithRate;
  if (!("classbookRateReserve" in r)) {
    redis.defineCommand("classbookRateReserve", { numberOfKeys: 1, lua: RESERVE_LUA });
    redis.defineCommand("classbookRateBlock", { numberOfKeys: 1, lua: BLOCK_LUA });
  }
  const k = (key: string) => `${prefix}:rate:${key}`;
  return {
    async reserve(key, rule, now, maxAheadMs) {
      const [at, reserved] = await r.classbookRateReserve(
        k(key),
        String(now),
        String(rule.intervalMs),
        String(tolerance(rule)),
        String(maxAheadMs ?? -1),
      );
      return { at: Number(at), reserved: reserved === 1 };
    },
    async block(key, until) {
      await r.classbookRateBlock(k(key), String(until), String(Date.now()));
    },
  };
}

/**
 * One row per scope in "RateScope", one statement per reservation: in ON CONFLICT … DO UPDATE every `s.` is the
 * row as it was, and the outer SELECT sees the row as it was too (one snapshot), so a slot too far ahead is not
 * taken but still reported.
 */
export function postgresRateStore(db: Db): RateStore {
  return {
    async reserve(key, rule, now, maxAheadMs) {
      const slot = (t: string) => `GREATEST($2::float8, ${t}.tat - $4::float8, ${t}."blockedUntil")`;
      const rows = await db.$queryRawUnsafe<{ at: number | null; wanted: number | null }[]>(
        `WITH taken AS (
           INSERT INTO "RateScope" AS s (key, tat, "lastAt", "blockedUntil")
           VALUES ($1, $2::float8 + $3::float8, $2::float8, 0)
           ON CONFLICT (key) DO UPDATE SET "lastAt" = ${slot("s")}, tat = GREATEST(s.tat, ${slot("s")}) + $3::float8
           WHERE $5::float8 < 0 OR ${slot("s")} - $2::float8 <= $5::float8
           RETURNING "lastAt")
         SELECT (SELECT "lastAt" FROM taken) AS at,
                (SELECT ${slot("r")} FROM "RateScope" r WHERE r.key = $1) AS wanted`,
        key,
        now,
        rule.intervalMs,
        tolerance(rule),
        maxAheadMs ?? -1,
      );
      const row = rows[0];
      if (row?.at !== null && row?.at !== undefined) return { at: Number(row.at), reserved: true };
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
  };
}
