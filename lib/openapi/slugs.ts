/** URL-safe, lower-case, hyphenated: `listPets` → `list-pets`, `GET /pets/{petId}` → `get-pets-pet-id`. */
export function slugify(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/** Hands out slugs unique within one document; later duplicates get -2, -3… (document order keeps them stable). */
export class SlugRegistry {
  private readonly used = new Set<string>();

  take(text: string, fallback: string): string {
    const base = slugify(text) || fallback;
    let slug = base;
    for (let n = 2; this.used.has(slug); n++) slug = `${base}-${n}`;
    this.used.add(slug);
    return slug;
  }
}

/** `ListIncomingPhoneNumbers` → `List incoming phone numbers`; acronyms stay (`GetSMSStatus` → `Get SMS status`). */
export function humanize(identifier: string): string {
  const words = identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_\s-]+/g, " ")
    .trim()
    .split(" ");
  return words
    .map((word, i) => {
      if (word.length > 1 && word === word.toUpperCase()) return word;
      const lower = word.toLowerCase();
      return i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(" ");
}
