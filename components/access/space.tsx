"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";
import { can, type TeamAction, type TeamRole } from "@/lib/teams/roles";

/**
 * Whose keys the access components on this page act on: the signed-in person's (no provider) or a
 * team's (app/(developer)/teams/[slug]). Every call they make goes through `useSpaceUrl`, which adds
 * `?team=<slug>`; the server checks the role again (lib/teams/space.ts), this only hides what it would refuse.
 */
interface SpaceValue {
  team?: { slug: string; name: string; role: TeamRole };
}

const SpaceContext = createContext<SpaceValue>({});

export function SpaceProvider({ team, children }: { team: SpaceValue["team"]; children: ReactNode }) {
  return <SpaceContext.Provider value={{ team }}>{children}</SpaceContext.Provider>;
}

/** `path` for this page's space: the team's when acting for one. */
export function useSpaceUrl(): (path: string) => string {
  const slug = useContext(SpaceContext).team?.slug;
  return useCallback((path: string) => (slug ? `${path}${path.includes("?") ? "&" : "?"}team=${encodeURIComponent(slug)}` : path), [slug]);
}

/** Whether the person may do `action` here (always, in their own space). */
export function useSpaceAllows(action: TeamAction): boolean {
  const { team } = useContext(SpaceContext);
  return !team || can(team.role, action);
}
