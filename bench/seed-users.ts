// Seeds many portal users straight into the portal's DynamoDB table, row for row as the app would
// have written them (for the admin benchmark, and for tests that want a smaller directory):
//
//   USER#<id> / USER#<id>          the Auth.js adapter's user (+ `groups`, refreshed on sign-in)
//   USER#<id> / KEY#<keyId>        1–3 keys (lib/db/rows.ts KeyRow), a few rotated and retiring
//   USER#<id> / SUB#<planId>       1–2 subscriptions (SubscriptionRow), never two sharing a stage
//   USER#<id> / USAGE#<plan>#<key> stored usage for most active users (UsageRow)
//   USER#<id> / PROFILE            the profile lib/access/profile.ts derives from the rows above, with
//                                  what sign-up and sign-in set (status, admin, joinedAt, lastSignInAt)
//
// Deterministic for a given `seed`. Key ids are synthetic (10 characters, like API Gateway's): no
// key exists in API Gateway, so only views that never call it (the admin lists) are meaningful.
// Pending accounts hold no keys or subscriptions (the portal refuses both until approval).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BatchWriteCommand, type DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { parse as parseYaml } from "yaml";
import { readSeedFile } from "../local/seed";
import { summarizeAccess } from "../lib/access/profile";
import {
  DIRECTORY_PK,
  directoryIndex,
  keySk,
  memberKey,
  membershipIndex,
  PENDING_QUEUE,
  PROFILE_SK,
  RETIRING_QUEUE,
  subSk,
  teamSlugKey,
  usageSk,
  userPk,
} from "../lib/db/keys";
import type { AccountStatus, Profile } from "../lib/db/profiles";
import type { KeyRow, SubscriptionRow, UsageRow } from "../lib/db/rows";
import { pool } from "./support";
import { random as seededRandom } from "../tests/marketplace/stream";

/** A usage plan as a subscription row needs it: its product, stages and quota. */
export interface SeedPlan {
  planId: string;
  productSlug: string;
  productName: string;
  /** `apiId/stage` */
  apiStages: string[];
  approvalRequired: boolean;
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH" };
}

/**
 * The sandbox's plans (ids from its seed result or endpoints.json) with their products from
 * catalog/products/*.yaml and their stages and quotas from local/seed.yaml.
 */
export function sandboxPlans(root: string, seeded: { usagePlans: { id: string; name: string }[]; apis: { id: string; name: string }[] }): SeedPlan[] {
  const file = readSeedFile(root);
  const dir = path.join(root, "catalog/products");
  const products = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({
      slug: f.replace(/\.ya?ml$/, ""),
      ...(parseYaml(readFileSync(path.join(dir, f), "utf8")) as { name: string; usagePlan: string; approvalRequired?: boolean }),
    }));
  return seeded.usagePlans.flatMap((plan) => {
    const product = products.find((p) => p.usagePlan === plan.name);
    const entry = file.usagePlans.find((p) => p.name === plan.name);
    if (!product || !entry) return [];
    const apiStages = entry.apiStages.map((s) => `${seeded.apis.find((a) => a.name === s.api)?.id ?? s.api}/${s.stage}`);
    return [
      {
        planId: plan.id,
        productSlug: product.slug,
        productName: product.name,
        apiStages,
        approvalRequired: !!product.approvalRequired,
        ...(entry.quota ? { quota: { limit: entry.quota.limit, period: entry.quota.period } } : {}),
      },
    ];
  });
}

export interface SeedUsersOptions {
  /** A document client on the portal's table's endpoint. */
  db: Pick<DynamoDBDocument, "send">;
  table: string;
  count: number;
  plans: SeedPlan[];
  /** PRNG seed: the same seed gives the same users. */
  seed?: number;
  /** "Now" for the data (ISO times are spread over the 90 days before it). */
  now?: number;
  /** BatchWrite requests in flight at once. */
  concurrency?: number;
  onProgress?: (written: number, total: number) => void;
}

export interface SeededUsers {
  /** The profiles written, as lib/users would read them back. */
  profiles: Profile[];
  /** Every key id written (all synthetic). */
  keyIds: string[];
  /** Company names, one per email domain (`<first>.<last><n>@<company>.example.com`): about count/200 users each. */
  companies: string[];
  items: number;
  requests: number;
  /** Items DynamoDB left unprocessed at first and that were written again. */
  retried: number;
  ms: number;
}

const FIRST = [
  "Ada",
  "Alan",
  "Grace",
  "Linus",
  "Barbara",
  "Ken",
  "Margaret",
  "Dennis",
  "Frances",
  "Edsger",
  "Radia",
  "Donald",
  "Sophie",
  "Tim",
  "Hedy",
  "John",
  "Katherine",
  "Guido",
  "Lynn",
  "Bjarne",
  "Anita",
  "Niklaus",
  "Shafi",
  "Leslie",
  "Jean",
  "Vint",
  "Mary",
  "Brian",
  "Karen",
  "Yukihiro",
  "Annie",
  "James",
  "Dorothy",
  "Robin",
  "Evelyn",
  "Whitfield",
  "Carol",
  "Ivan",
  "Joan",
  "Butler",
];
const LAST = [
  "Lovelace",
  "Turing",
  "Hopper",
  "Torvalds",
  "Liskov",
  "Thompson",
  "Hamilton",
  "Ritchie",
  "Allen",
  "Dijkstra",
  "Perlman",
  "Knuth",
  "Wilson",
  "Berners",
  "Lamarr",
  "McCarthy",
  "Johnson",
  "Rossum",
  "Conway",
  "Stroustrup",
  "Borg",
  "Wirth",
  "Goldwasser",
  "Lamport",
  "Sammet",
  "Cerf",
  "Keller",
  "Kernighan",
  "Jones",
  "Matsumoto",
  "Easley",
  "Gosling",
  "Vaughan",
  "Milner",
  "Berezin",
  "Diffie",
  "Shaw",
  "Sutherland",
  "Clarke",
  "Lampson",
];
const KEY_NAMES = ["default", "production", "staging", "ci", "mobile-app", "backend", "local-dev", "analytics"];
const CONSONANTS = "bdfgklmnprstvz";
const VOWELS = "aeiou";
const DAY_MS = 86_400_000;

export async function seedUsers(options: SeedUsersOptions): Promise<SeededUsers> {
  const started = performance.now();
  const items = generateUsers(options);
  const written = await batchWrite({ ...options, rows: items.rows });
  return {
    profiles: items.profiles,
    keyIds: items.keyIds,
    companies: items.companies,
    items: items.rows.length,
    requests: written.requests,
    retried: written.retried,
    ms: performance.now() - started,
  };
}

/** Writes `rows` with BatchWriteItem, 25 a request, `concurrency` requests at a time, retrying what DynamoDB leaves unprocessed. */
export async function batchWrite(options: {
  db: Pick<DynamoDBDocument, "send">;
  table: string;
  rows: object[];
  concurrency?: number;
  onProgress?: (written: number, total: number) => void;
}): Promise<{ requests: number; retried: number }> {
  const chunks: object[][] = [];
  for (let i = 0; i < options.rows.length; i += 25) chunks.push(options.rows.slice(i, i + 25));
  let written = 0;
  let requests = 0;
  let retried = 0;
  await pool(chunks, options.concurrency ?? 4, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt === 8) throw new Error(`DynamoDB left ${pending.length} items unprocessed after ${attempt} attempts`);
      if (attempt > 0) {
        retried += pending.length;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random())));
      }
      requests++;
      const out = await options.db.send(new BatchWriteCommand({ RequestItems: { [options.table]: pending } }));
      pending = (out.UnprocessedItems?.[options.table] ?? []) as typeof pending;
    }
    written += chunk.length;
    options.onProgress?.(written, options.rows.length);
  });
  return { requests, retried };
}

/** Every row of every user, in user order (each user's rows together), without writing them. */
export function generateUsers(options: Omit<SeedUsersOptions, "db" | "table" | "concurrency" | "onProgress">): {
  rows: object[];
  profiles: Profile[];
  keyIds: string[];
  companies: string[];
} {
  const random = seededRandom(options.seed ?? 8);
  const now = options.now ?? Date.now();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (from: number, to: number) => from + random() * Math.max(0, to - from);
  const iso = (t: number) => new Date(Math.floor(t)).toISOString();
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  const alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
  const usedKeyIds = new Set<string>();
  const keyId = () => {
    for (;;) {
      const id = Array.from({ length: 10 }, () => pick([...alnum])).join("");
      if (usedKeyIds.has(id)) continue;
      usedKeyIds.add(id);
      return id;
    }
  };
  const companyCount = Math.max(1, Math.round(options.count / 50));
  const companies = new Set<string>();
  while (companies.size < companyCount)
    companies.add(
      Array.from({ length: 4 }, (_, i) => (i % 2 ? pick([...VOWELS]) : pick([...CONSONANTS]))).join("") + pick(["tek", "soft", "labs", "works", "ware"]),
    );
  const companyList = [...companies];

  // Plans a user may hold together: no two sharing a stage (the portal makes that a switch).
  const plans = options.plans;
  const compatible = (a: SeedPlan, b: SeedPlan) => a.planId !== b.planId && !a.apiStages.some((s) => b.apiStages.includes(s));

  const rows: object[] = [];
  const profiles: Profile[] = [];
  for (let i = 0; i < options.count; i++) {
    const id = uuid();
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${first}.${last}${i}@${pick(companyList)}.example.com`.toLowerCase();
    const name = `${first} ${last}`;
    // Sign-ups over the last 90 days, more of them recently.
    const joinedAt = now - Math.pow(random(), 1.5) * 90 * DAY_MS;
    const roll = random();
    const status: AccountStatus = roll < 0.02 ? "pending" : roll < 0.03 ? "disabled" : "active";
    const admin = status === "active" && random() < 0.003;
    const invited = random() < 0.05;
    const lastSignInAt = status !== "pending" && random() < 0.75 ? between(joinedAt, now) : undefined;
    let updatedAt = Math.max(joinedAt, lastSignInAt ?? 0);

    rows.push({
      pk: userPk(id),
      sk: `USER#${id}`,
      type: "USER",
      id,
      email,
      name,
      image: null,
      emailVerified: null,
      groups: admin ? ["admins"] : [],
      GSI1PK: `USER#${email}`,
      GSI1SK: `USER#${email}`,
    });

    const keys: KeyRow[] = [];
    const subs: SubscriptionRow[] = [];
    const usage: UsageRow[] = [];
    if (status !== "pending") {
      // Keys: 1–3, named differently; a few users have rotated one that is still retiring.
      const names = [...KEY_NAMES].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 3));
      for (const keyName of names) {
        const createdAt = between(joinedAt, Math.min(now, joinedAt + 14 * DAY_MS));
        keys.push({ pk: userPk(id), sk: "", userId: id, keyId: keyId(), name: keyName, hint: hex(4), state: "active", createdAt: iso(createdAt) });
      }
      if (random() < 0.04) {
        const old = keys[0]!;
        const retiresAt = iso(between(now, now + DAY_MS));
        const replacement: KeyRow = { ...old, keyId: keyId(), hint: hex(4), createdAt: iso(between(Date.parse(old.createdAt), now)) };
        Object.assign(old, { state: "retiring", retiresAt, replacedBy: replacement.keyId, GSI1PK: RETIRING_QUEUE, GSI1SK: `${retiresAt}#${id}#${old.keyId}` });
        keys.push(replacement);
      }
      for (const k of keys) k.sk = keySk(k.keyId);

      // Subscriptions: one plan, sometimes a second compatible one; approval plans mostly decided.
      const firstPlan = pick(plans);
      const chosen = [firstPlan];
      const second = plans.filter((p) => compatible(firstPlan, p));
      if (second.length && random() < 0.35) chosen.push(pick(second));
      for (const plan of chosen) {
        const createdAt = between(joinedAt, Math.min(now, joinedAt + 7 * DAY_MS));
        const decision = plan.approvalRequired ? random() : 1;
        const state: SubscriptionRow["state"] = decision < 0.1 ? "pending" : decision < 0.15 ? "rejected" : "active";
        subs.push({
          pk: userPk(id),
          sk: subSk(plan.planId),
          userId: id,
          planId: plan.planId,
          productSlug: plan.productSlug,
          productName: plan.productName,
          apiStages: plan.apiStages,
          state,
          createdAt: iso(createdAt),
          email,
          ...(plan.approvalRequired && state !== "pending" ? { decidedAt: iso(between(createdAt, Math.min(now, createdAt + 2 * DAY_MS))) } : {}),
          ...(state === "pending" ? { GSI1PK: PENDING_QUEUE, GSI1SK: `${iso(createdAt)}#${id}#${plan.planId}` } : {}),
        });
      }

      // Usage, stored when the user last looked at their dashboard: most active users, each key in each active plan.
      if (status === "active" && random() < 0.7) {
        const fetchedAt = between(Math.max(joinedAt, now - 3 * DAY_MS), now);
        const today = Date.parse(iso(fetchedAt).slice(0, 10));
        // A heavy tail: most keys make a few requests a day, a few make thousands.
        const scale = random() < 0.02 ? 2_000 + random() * 8_000 : random() < 0.2 ? 100 + random() * 400 : random() * 40;
        for (const sub of subs.filter((s) => s.state === "active")) {
          const plan = plans.find((p) => p.planId === sub.planId)!;
          for (const key of keys) {
            const final: Record<string, number> = {};
            for (let d = 1; d <= 10; d++) final[iso(today - d * DAY_MS).slice(0, 10)] = Math.round(scale * random());
            const recent = { [iso(today).slice(0, 10)]: Math.round(scale * random() * 0.5) };
            const row: UsageRow = {
              pk: userPk(id),
              sk: usageSk(plan.planId, key.keyId),
              planId: plan.planId,
              keyId: key.keyId,
              final,
              recent,
              fetchedAt: Math.floor(fetchedAt),
            };
            if (plan.quota) {
              // Mostly well inside the quota; a few keys close to it.
              const share = random() < 0.03 ? 0.8 + random() * 0.2 : random() * 0.6;
              row.quotaLimit = plan.quota.limit;
              row.remaining = Math.max(0, Math.round(plan.quota.limit * (1 - share)));
            }
            usage.push(row);
          }
        }
        if (usage.length) updatedAt = Math.max(updatedAt, fetchedAt);
      }
    }
    for (const r of [...keys, ...subs]) updatedAt = Math.max(updatedAt, Date.parse(r.createdAt), "decidedAt" in r && r.decidedAt ? Date.parse(r.decidedAt) : 0);
    updatedAt = Math.min(updatedAt, now);

    const profile: Profile = {
      userId: id,
      email,
      name,
      joinedAt: iso(joinedAt),
      ...(lastSignInAt ? { lastSignInAt: iso(lastSignInAt) } : {}),
      status,
      admin,
      invited,
      ...summarizeAccess([...keys, ...subs, ...usage] as unknown as Parameters<typeof summarizeAccess>[0], updatedAt),
      updatedAt: iso(updatedAt),
    };
    profiles.push(profile);
    rows.push(...keys, ...subs, ...usage, { pk: userPk(id), sk: PROFILE_SK, ...profile, GSI1PK: DIRECTORY_PK, GSI1SK: `${profile.updatedAt}#${id}` });
  }
  return { rows, profiles, keyIds: [...usedKeyIds], companies: companyList };
}

export interface SeededTeams {
  /** Each team's id, slug, name and members (user ids with roles). */
  teams: { id: string; slug: string; name: string; members: { userId: string; role: string }[] }[];
  rows: object[];
}

/**
 * `count` teams over the seeded people (lib/teams rows as the portal writes them): a team profile
 * in the directory, its slug claim, and 2–8 members each (one or two owners), each member row
 * indexed under its person. Names come from a small word list, so a search finds a few dozen.
 */
export function generateTeams(options: { count: number; people: Profile[]; seed?: number; now?: number }): SeededTeams {
  const random = seededRandom(options.seed ?? 22);
  const now = options.now ?? Date.now();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const people = options.people.filter((p) => p.status === "active");
  const rows: object[] = [];
  const teams: SeededTeams["teams"] = [];
  const words = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Vandelay",
    "Aperture",
    "Monarch",
    "Gringotts",
    "Oscorp",
    "Duff",
    "Krusty",
    "Nakatomi",
    "Pied Piper",
  ];
  for (let i = 0; i < options.count; i++) {
    const id = `team_${hex(20)}`;
    const name = `${pick(words)} ${pick(["Labs", "Inc.", "Group", "Digital", "Systems", "Payments", "Cloud", "Data"])} ${i}`;
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/-+$/, "");
    const createdAt = new Date(now - random() * 60 * DAY_MS).toISOString();
    const size = 2 + Math.floor(random() * 7);
    const members = [...new Set(Array.from({ length: size }, () => pick(people)))].map((p, j) => ({
      userId: p.userId,
      email: p.email,
      name: p.name,
      role: j === 0 || (j === 1 && random() < 0.3) ? "owner" : pick(["admin", "member", "member", "viewer"]),
    }));
    const profile: Profile = {
      userId: id,
      email: null,
      name,
      joinedAt: createdAt,
      status: "active",
      admin: false,
      keyCount: 0,
      keyIds: [],
      plans: [],
      pendingPlans: [],
      marketplace: false,
      usage: [],
      team: { slug },
      updatedAt: createdAt,
    };
    rows.push({ pk: userPk(id), sk: PROFILE_SK, ...profile, ...directoryIndex(createdAt, id) });
    rows.push({ ...teamSlugKey(slug), teamId: id, claimedAt: Date.parse(createdAt) });
    for (const m of members)
      rows.push({
        ...memberKey(id, m.userId),
        teamId: id,
        userId: m.userId,
        email: m.email,
        name: m.name,
        role: m.role,
        joinedAt: createdAt,
        teamName: name,
        teamSlug: slug,
        ...membershipIndex(m.userId, id),
      });
    teams.push({ id, slug, name, members: members.map((m) => ({ userId: m.userId, role: m.role })) });
  }
  return { teams, rows };
}
