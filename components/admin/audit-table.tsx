import Link from "next/link";
import { LINK } from "@/components/access/styles";
import type { AuditEntry } from "@/lib/audit";
import { compactJson } from "./format";
import { MUTED, TABLE, TableHead, TableScroll, TD as CELL, TH as HEAD, Time } from "./ui";

// Seven columns: a little less padding so the before/after column stays in view on a laptop.
const TD = CELL.replace("px-3", "px-2");
const TH = HEAD.replace("px-3", "px-2");

function Actor({ actor }: { actor: AuditEntry["actor"] }) {
  if (actor.kind === "system") return <span className={MUTED}>System ({actor.id})</span>;
  return (
    <>
      <span className="wrap-anywhere">{actor.email ?? actor.id}</span>
      {actor.kind === "admin" && <span className={`block text-xs ${MUTED}`}>admin</span>}
      {actor.token && <span className={`block text-xs ${MUTED}`}>via token {actor.token}</span>}
    </>
  );
}

function Change({ before, after }: { before: unknown; after: unknown }) {
  const from = compactJson(before);
  const to = compactJson(after);
  if (!from && !to) return <span className={MUTED}>—</span>;
  return (
    <code className="font-mono text-xs break-all">
      {from && <span>{from}</span>}
      {from && to && (
        <>
          <span aria-hidden="true"> → </span>
          <span className="sr-only"> changed to </span>
        </>
      )}
      {to && <span>{to}</span>}
    </code>
  );
}

/** Audit entries, newest first: who did what to whom, and what it was before and after. */
export function AuditTable({ entries, caption, showUser = true }: { entries: AuditEntry[]; caption: string; showUser?: boolean }) {
  return (
    <TableScroll label={caption}>
      <table className={TABLE}>
        <caption className="sr-only">{caption}</caption>
        <TableHead cellClass={TH} columns={["Time (UTC)", "Type", "Actor", showUser && "User", "Target", "Before → after", "Reason"]} />
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className={`${TD} min-w-24`}>
                <Time iso={entry.at} />
              </td>
              <td className={`${TD} font-mono text-xs whitespace-nowrap`}>{entry.type}</td>
              <td className={`${TD} max-w-48 min-w-40`}>
                <Actor actor={entry.actor} />
              </td>
              {showUser && (
                <td className={`${TD} max-w-48 min-w-40 wrap-anywhere`}>
                  {entry.subject ? (
                    <Link href={`/admin/users/${encodeURIComponent(entry.subject.userId)}`} className={LINK}>
                      {entry.subject.email ?? entry.subject.userId}
                    </Link>
                  ) : (
                    <span className={MUTED}>—</span>
                  )}
                </td>
              )}
              <td className={`${TD} max-w-28 min-w-20 font-mono text-xs break-all`}>{entry.target ?? <span className={MUTED}>—</span>}</td>
              <td className={`${TD} max-w-96 min-w-52`}>
                <Change before={entry.before} after={entry.after} />
              </td>
              <td className={`${TD} max-w-64 min-w-28`}>{entry.reason ?? <span className={MUTED}>—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
