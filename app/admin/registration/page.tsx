import type { Metadata } from "next";
import { InvitesTable, PendingAccounts } from "@/components/admin/invites-table";
import { InviteForm, RegistrationModeForm } from "@/components/admin/registration-controls";
import { StatusRegion } from "@/components/admin/status-region";
import { MUTED, PageHeader, SECTION_TITLE } from "@/components/admin/ui";
import { CARD } from "@/components/access/styles";
import { requireAdmin } from "@/lib/auth";
import { getRegistrationMode, listInvites, listUsers, selfSignUpAllowed } from "@/lib/users";

export const metadata: Metadata = { title: "Registration · Admin" };

const PENDING_SHOWN = 100;

/** Who may join, invitations, and the accounts waiting for an administrator. */
export default async function AdminRegistrationPage() {
  await requireAdmin("/admin/registration");
  const [mode, invites, pending] = await Promise.all([getRegistrationMode(), listInvites(), listUsers({ status: "pending", pageSize: PENDING_SHOWN })]);
  return (
    <div className="flex flex-col gap-10">
      <PageHeader title="Registration">Choose who can join the portal, invite people, and approve accounts that are waiting.</PageHeader>

      <section aria-labelledby="mode-title" className={`p-5 ${CARD}`}>
        <h2 id="mode-title" className={`mb-3 ${SECTION_TITLE}`}>
          Who can join
        </h2>
        <StatusRegion>
          <RegistrationModeForm mode={mode} locked={!selfSignUpAllowed()} />
        </StatusRegion>
      </section>

      <section aria-labelledby="invite-title" className={`p-5 ${CARD}`}>
        <h2 id="invite-title" className={SECTION_TITLE}>
          Invite someone
        </h2>
        <p className={`mt-1 mb-4 text-sm ${MUTED}`}>They get an email with a temporary password, and can join whatever the registration mode.</p>
        <StatusRegion>
          <InviteForm />
        </StatusRegion>
      </section>

      <section aria-labelledby="invites-title">
        <h2 id="invites-title" className={`mb-3 ${SECTION_TITLE}`}>
          Invitations
        </h2>
        <StatusRegion>
          <InvitesTable invites={invites} />
        </StatusRegion>
      </section>

      <section id="pending-accounts" aria-labelledby="pending-title" className="scroll-mt-6">
        <h2 id="pending-title" className={SECTION_TITLE}>
          Waiting for approval
        </h2>
        <p className={`mt-1 mb-3 text-sm ${MUTED}`}>
          {mode === "approval" ? "New accounts wait here" : "In approval mode, new accounts wait here"} until you approve them; until then they can browse but
          not create keys or subscribe.
        </p>
        <StatusRegion>
          <PendingAccounts users={pending.users} more={pending.total - pending.users.length} />
        </StatusRegion>
      </section>
    </div>
  );
}
