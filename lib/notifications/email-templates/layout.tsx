import { Body, Button, Container, Head, Heading, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { CATEGORIES, type Category } from "../../outbox/events";
import { clean } from "./format";

/** Who the email is for and how the portal looks: set by the portal, never taken from a notice. */
export interface EmailContext {
  portalName: string;
  /** Absolute, no trailing slash. */
  siteUrl: string;
  /** "#3b5bdb". */
  brandColor: string;
  /** Absolute. */
  logoUrl?: string;
  recipientName?: string | null;
  /** One-click unsubscribe from this notice's category. */
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** Set when the notice is about a team's access (lib/teams), told to its owners and admins: links go to the team's page. */
  team?: { slug: string; name: string };
}

/**
 * A link target. Only `portalHref` and the context's own URLs make one, so no value from a notice's
 * data (a key name, a reason, a webhook URL) can ever become a link someone clicks.
 */
declare const HREF: unique symbol;
export type Href = string & { readonly [HREF]: true };

/** The portal pages notices point to (anchors are the dashboard's section ids). */
export const PAGES = {
  keys: "/dashboard#api-keys",
  subscriptions: "/dashboard#subscriptions",
  plans: "/dashboard#available-plans",
  usage: "/dashboard#usage",
  // Webhook endpoints are managed next to the notification preferences.
  webhooks: "/dashboard/notifications",
  approvals: "/admin/approvals",
  pendingSignups: "/admin/registration#pending-accounts",
} as const;
export type Page = keyof typeof PAGES;

/** The dashboard's sections, on a team's page when the notice is about a team's access. */
const TEAM_SECTIONS: Partial<Record<Page, string>> = { keys: "#api-keys", subscriptions: "#subscriptions", plans: "#available-plans", usage: "#usage" };

export const portalHref = (context: LayoutContext, page: Page): Href => {
  const section = context.team ? TEAM_SECTIONS[page] : undefined;
  return `${context.siteUrl}${section !== undefined ? `/teams/${encodeURIComponent(context.team!.slug)}${section}` : PAGES[page]}` as Href;
};
export const contextHref = (url: string): Href => url as Href;

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
const INK = "#18181b";
const MUTED = "#52525b";

/** White or near-black, whichever reads better on the brand colour (a pale brand colour gets dark text). */
function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? INK : "#ffffff";
}

// Clients that honour it (Apple Mail, Outlook.com) switch to dark colours; the rest keep the light ones.
const DARK_MODE = `
@media (prefers-color-scheme: dark) {
  .pe-body { background-color: #09090b !important; }
  .pe-card { background-color: #18181b !important; border-color: #3f3f46 !important; }
  .pe-card h1, .pe-card p, .pe-card td { color: #f4f4f5 !important; }
  .pe-card .pe-muted, .pe-footer p { color: #a1a1aa !important; }
  .pe-footer a, .pe-card .pe-link { color: #d4d4d8 !important; }
}`;

const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: FONT, margin: 0, padding: "24px 0" },
  card: { backgroundColor: "#ffffff", border: "1px solid #e4e4e7", borderRadius: "8px", maxWidth: "560px", padding: "32px" },
  portal: { color: INK, fontSize: "16px", fontWeight: 600, margin: 0 },
  heading: { color: INK, fontSize: "20px", fontWeight: 700, lineHeight: "28px", margin: "24px 0 16px" },
  text: { color: INK, fontSize: "15px", lineHeight: "24px", margin: "0 0 16px" },
  factLabel: { color: MUTED, fontSize: "14px", lineHeight: "22px", padding: "2px 16px 2px 0", verticalAlign: "top", whiteSpace: "nowrap" },
  factValue: { color: INK, fontSize: "14px", lineHeight: "22px", padding: "2px 0", verticalAlign: "top" },
  quote: { borderLeft: "3px solid #d4d4d8", color: INK, fontSize: "15px", lineHeight: "24px", margin: "0 0 16px", padding: "0 0 0 12px" },
  footer: { maxWidth: "560px", padding: "16px 32px" },
  footerText: { color: MUTED, fontSize: "12px", lineHeight: "18px", margin: "0 0 8px" },
  footerLink: { color: MUTED, textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

/** A paragraph of the message. */
export function P({ children, muted }: { children: ReactNode; muted?: boolean }) {
  return (
    <Text className={muted ? "pe-muted" : undefined} style={muted ? { ...styles.text, color: MUTED } : styles.text}>
      {children}
    </Text>
  );
}

/** Someone else's words (a rejection reason), set apart so they don't read as the portal's. */
export function Quote({ children }: { children: ReactNode }) {
  return <Text style={styles.quote}>{children}</Text>;
}

/** The facts at a glance, label and value per row; the plain-text part lays them out as two columns. */
export function Facts({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} border={0} data-text-format="dataTable" style={{ margin: "0 0 20px" }}>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <td className="pe-muted" style={styles.factLabel}>
              {label}
            </td>
            <td style={styles.factValue}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the frame needs: a team invitation (to an address, not an account) has no unsubscribe or preferences links. */
export type LayoutContext = Omit<EmailContext, "unsubscribeUrl" | "preferencesUrl"> & Partial<Pick<EmailContext, "unsubscribeUrl" | "preferencesUrl">>;

export interface LayoutProps {
  context: LayoutContext;
  category: Category;
  preview: string;
  heading: string;
  action?: { label: string; href: Href };
  /** Why the email came, in place of the category's footer (and its unsubscribe link). */
  footer?: string;
  children?: ReactNode;
}

/** The one frame every notice email shares: the portal's name and logo, the message, a button in the brand colour, and why it came. */
export function Layout({ context, category, preview, heading, action, footer, children }: LayoutProps) {
  const portal = clean(context.portalName, 80);
  const name = context.recipientName ? clean(context.recipientName, 60) : "";
  const label = CATEGORIES[category].label;
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <style>{DARK_MODE}</style>
      </Head>
      <Preview>{clean(preview, 200)}</Preview>
      <Body className="pe-body" style={styles.body}>
        <Container className="pe-card" style={styles.card}>
          {context.logoUrl ? (
            <Img src={contextHref(context.logoUrl)} alt={portal} height={32} style={{ height: "32px", width: "auto" }} />
          ) : (
            <Text style={styles.portal}>{portal}</Text>
          )}
          <Heading as="h1" style={styles.heading}>
            {heading}
          </Heading>
          <P>{name ? `Hi ${name},` : "Hello,"}</P>
          {context.team && (
            <P>{`This is about the team ${clean(context.team.name, 80)}: you get it as one of its owners or admins, and “you” below means the team.`}</P>
          )}
          {children}
          {action && (
            <Section style={{ margin: "8px 0 24px" }}>
              <Button
                href={action.href}
                style={{
                  backgroundColor: context.brandColor,
                  borderRadius: "6px",
                  color: textOn(context.brandColor),
                  fontSize: "15px",
                  fontWeight: 600,
                  padding: "12px 20px",
                  textDecoration: "none",
                }}
              >
                {action.label}
              </Button>
            </Section>
          )}
          <P muted>{`The ${portal} team`}</P>
        </Container>
        <Container className="pe-footer" style={styles.footer}>
          <Hr style={{ borderColor: "#e4e4e7", margin: "0 0 16px" }} />
          {footer !== undefined ? (
            <Text style={styles.footerText}>{footer}</Text>
          ) : (
            <>
              <Text style={styles.footerText}>
                {category === "admin"
                  ? `You're receiving this as an administrator of ${portal}, because emails about “${label}” are on for your account.`
                  : `You're receiving this because emails about “${label}” are on for your ${portal} account.`}
              </Text>
              {context.unsubscribeUrl && context.preferencesUrl && (
                <Text style={styles.footerText}>
                  <Link href={contextHref(context.unsubscribeUrl)} style={styles.footerLink}>
                    {`Unsubscribe from ${label}`}
                  </Link>
                  {" · "}
                  <Link href={contextHref(context.preferencesUrl)} style={styles.footerLink}>
                    Notification preferences
                  </Link>
                </Text>
              )}
            </>
          )}
        </Container>
      </Body>
    </Html>
  );
}
