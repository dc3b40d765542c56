import type { PickableKey } from "./key-store";

const option = (k: PickableKey) => (
  <option key={k.id} value={k.id}>
    {`${k.name} (••••${k.hint})`}
  </option>
);

/** A key select's options: the reader's own keys, then each team's under its name (flat when they have no team keys). */
export function KeyOptions({ keys }: { keys: PickableKey[] }) {
  const own = keys.filter((k) => !k.team);
  if (own.length === keys.length) return <>{keys.map(option)}</>;
  const teams = [...new Map(keys.flatMap((k) => (k.team ? [[k.team.slug, k.team.name] as const] : []))).entries()];
  return (
    <>
      {own.length > 0 && <optgroup label="Your keys">{own.map(option)}</optgroup>}
      {teams.map(([slug, name]) => (
        <optgroup key={slug} label={`Team ${name}`}>
          {keys.filter((k) => k.team?.slug === slug).map(option)}
        </optgroup>
      ))}
    </>
  );
}
