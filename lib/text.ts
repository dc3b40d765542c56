/** "Free", "Free and Weather Basic", "Free, Pro and Weather Basic": names as a sentence says them. */
export function nameList(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}
