import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { CSSProperties, ReactNode } from "react";
import { Footer } from "@/components/shell/footer";
import { Header } from "@/components/shell/header";
import type { Theme } from "@/components/shell/theme-toggle";
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
  const stored = jar.get("theme")?.value;
  const theme: Theme = stored === "light" || stored === "dark" ? stored : "system";
  return (
    <html lang="en" className={theme === "system" ? undefined : theme} style={{ "--brand": settings.colors.brand } as CSSProperties}>
      <body className="flex min-h-screen flex-col bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-brand-600 focus:px-4 focus:py-2 focus:text-white">
          Skip to content
        </a>
        <Header settings={settings} caller={caller} theme={theme} />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-10 outline-none sm:px-6">
          {children}
        </main>
        <Footer settings={settings} />
      </body>
    </html>
  );
}
