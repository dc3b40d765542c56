import Link from "next/link";
import { LINK } from "@/components/access/styles";
import type { Invite, Profile } from "@/lib/users";
import { ApproveUserButton, InviteActions } from "./registration-controls";
import { EmptyState, InviteStatusBadge, MUTED, TABLE, TableHead, TableScroll, TD, Time, UserRowHeader } from "./ui";

export function InvitesTable({ invites }: { invites: Invite[] }) {
  if (invites.length === 0) return <EmptyState title="No invitations yet">People you invite show up here until they accept.</EmptyState>;
  return (
    <TableScroll label="Invitations">
      <table className={TABLE}>
        <caption className="sr-only">Invitations, newest first</caption>
        <TableHead columns={["Email", "Name", "Status", "Invited (UTC)", "Resent (UTC)", { label: "Actions", srOnly: true }]} />
        <tbody>
          {invites.map((invite) => (
            <tr key={invite.email}>
              <th scope="row" className={`${TD} max-w-64 min-w-44 font-normal break-all`}>
                {invite.email}
                {invite.invitedBy && <span className={`block text-xs ${MUTED}`}>by {invite.invitedBy}</span>}
              </th>
              <td className={`${TD} min-w-28`}>{invite.name ?? <span className={MUTED}>—</span>}</td>
              <td className={TD}>
                <InviteStatusBadge status={invite.status} />
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={invite.invitedAt} />
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={invite.resentAt} />
              </td>
              <td className={`${TD} min-w-44`}>{invite.status === "pending" && <InviteActions email={invite.email} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Accounts that registered in approval mode and can't create keys yet. */
export function PendingAccounts({ users, more }: { users: Profile[]; more: number }) {
  if (users.length === 0) return <EmptyState title="No accounts are waiting for approval" />;
  return (
    <>
      <TableScroll label="Accounts waiting for approval">
        <table className={TABLE}>
          <caption className="sr-only">Accounts waiting for approval, newest first</caption>
          <TableHead columns={["Email", "Name", "Registered (UTC)", { label: "Actions", srOnly: true }]} />
          <tbody>
            {users.map((user) => (
              <tr key={user.userId}>
                <UserRowHeader userId={user.userId} email={user.email} />
                <td className={`${TD} min-w-28`}>{user.name ?? <span className={MUTED}>—</span>}</td>
                <td className={`${TD} whitespace-nowrap`}>
                  <Time iso={user.joinedAt} />
                </td>
                <td className={TD}>
                  <ApproveUserButton userId={user.userId} email={user.email ?? user.userId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {more > 0 && (
        <p className={`mt-2 text-sm ${MUTED}`}>
          And {more} more:{" "}
          <Link href="/admin/users?status=pending" className={LINK}>
            see them all
          </Link>
          .
        </p>
      )}
    </>
  );
}
