import Form from "next/form";
import Link from "next/link";
import { BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { ADMIN_MAX_LENGTH } from "@/lib/users/input-rules";
import { MUTED, SELECT } from "./ui";

export const AUDIT_AREAS = ["key", "subscription", "marketplace", "account", "user", "invite", "registration", "catalog", "reconciler"] as const;

/** A GET form over the audit log: works without JavaScript and the URL can be shared. */
export function AuditFilters({ user, type }: { user?: string; type?: string }) {
  // A full type (key.created) from a link keeps its own option, so the select shows what is applied.
  const areas: string[] = type && !(AUDIT_AREAS as readonly string[]).includes(type) ? [...AUDIT_AREAS, type] : [...AUDIT_AREAS];
  return (
    <Form action="/admin/audit" role="search" aria-label="Audit log" className="flex flex-wrap items-end gap-3">
      <div className="basis-48">
        <label htmlFor="audit-type" className="block text-sm font-medium">
          Type
        </label>
        <select id="audit-type" name="type" defaultValue={type ?? ""} className={`${SELECT} mt-1 w-full`}>
          <option value="">All types</option>
          {areas.map((area) => (
            <option key={area} value={area}>
              {area}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-0 flex-1 basis-64">
        <label htmlFor="audit-user" className="block text-sm font-medium">
          User id
        </label>
        <input
          id="audit-user"
          name="user"
          defaultValue={user ?? ""}
          maxLength={ADMIN_MAX_LENGTH.userId}
          autoComplete="off"
          spellCheck={false}
          className={`${INPUT} mt-1 font-mono`}
        />
      </div>
      <div className="flex gap-2">
        <button type="submit" className={PRIMARY_BUTTON}>
          Filter
        </button>
        {(user || type) && (
          <Link href="/admin/audit" className={`${BUTTON} inline-flex items-center`}>
            Clear
          </Link>
        )}
      </div>
      <p className={`basis-full text-xs ${MUTED}`}>A user&apos;s id is on their page, under Profile.</p>
    </Form>
  );
}
