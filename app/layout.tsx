import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { CSSProperties, ReactNode } from "react";
import { Rendered } from "@/components/ui/rendered";
import { Footer } from "@/components/shell/footer";
import { Header } from "@/components/shell/header";
import { BODY, MAIN, SKIP_LINK } from "@/components/shell/styles";
import { themeFromCookie } from "@/components/shell/theme";
import { getCaller } from "@/lib/auth";
import { getPortalSettings } from "@/lib/catalog/settings";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const settings = getPortalSettings();
  return {
    title: { default: settings.name, template: `%s · ${settings.name}` },
    description: settings.tagline ?? "Find APIs, read their docs, get a key and watch your usage.",
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const settings = getPortalSettings();
  const [caller, jar] = await Promise.all([getCaller(), cookies()]);
  const theme = themeFromCookie(jar.get("theme")?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme} style={{ "--brand": settings.colors.brand } as CSSProperties}>
      <body className={BODY}>
        <a href="#main" className={SKIP_LINK}>
          Skip to content
        </a>
        <Header settings={settings} caller={caller} theme={theme} />
        <main id="main" tabIndex={-1} className={MAIN}>
          {children}
        </main>
        <Rendered component={Footer} props={{ settings }} />
      </body>
    </html>
  );
}
