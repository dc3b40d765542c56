// A docs page's critical CSS: the stylesheet's rules this page's HTML can match, inlined in its
// <head>, so the first paint waits for no stylesheet request and styles only what it shows. The
// whole stylesheet still follows without blocking (for what the islands render later).
//
// The build (lib/build/docs-assets.ts) splits the Tailwind stylesheet into its utility rules, each
// with the classes it needs; a page keeps a rule when its HTML carries every class the rule's
// selector requires outside :where()/:is()/:not() (those are context, e.g. `.dark` or `.group`).
// Everything outside the utilities layer (theme variables, preflight, the portal's base styles) is
// small and always kept.
import { readFileSync } from "node:fs";

export interface StyleRules {
  /** The stylesheet before its utilities layer, kept whole. */
  before: string;
  /** The utilities layer's rules in order: each with the at-rules around it and its needs. */
  rules: StyleRule[];
  /** The stylesheet after its utilities layer, kept whole. */
  after: string;
}

export interface StyleRule {
  /** One entry per selector in the rule's list: the classes that selector needs. Any one met keeps the rule. */
  needs: string[][];
  /** The rule's text, e.g. `.flex{display:flex}`. */
  css: string;
  /** Enclosing at-rule preludes, outermost first, e.g. ["@media (min-width:64rem)"]. */
  wrap: string[];
}

/** The classes a selector list needs, per selector: those outside any parentheses or brackets. */
export function requiredClasses(selectorList: string): string[][] {
  const selectors: string[][] = [[]];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < selectorList.length; i++) {
    const char = selectorList[i]!;
    if (char === "\\") {
      i++;
      continue;
    }
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "(" || char === "[") depth++;
    else if (char === ")" || char === "]") depth--;
    else if (char === "," && depth === 0) selectors.push([]);
    else if (char === "." && depth === 0) {
      const [name, end] = readIdentifier(selectorList, i + 1);
      if (name) selectors.at(-1)!.push(name);
      i = end - 1;
    }
  }
  return selectors;
}

/** A CSS identifier starting at `start`, unescaped, and where it ends. */
function readIdentifier(text: string, start: number): [string, number] {
  let name = "";
  let i = start;
  while (i < text.length) {
    const char = text[i]!;
    if (char === "\\") {
      const hex = /^[0-9a-fA-F]{1,6} ?/.exec(text.slice(i + 1, i + 8));
      if (hex) {
        name += String.fromCodePoint(parseInt(hex[0].trim(), 16));
        i += 1 + hex[0].length;
      } else {
        name += text[i + 1] ?? "";
        i += 2;
      }
    } else if (/[\w-]/.test(char) || char.charCodeAt(0) > 0x7f) {
      name += char;
      i++;
    } else break;
  }
  return [name, i];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) =>
    entity[0] === "#"
      ? String.fromCodePoint(entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)))
      : (ENTITIES[entity.toLowerCase()] ?? whole),
  );

/** Every class any element of `html` carries. */
export function classesOf(html: string): Set<string> {
  const classes = new Set<string>();
  for (const match of html.matchAll(/\sclass="([^"]*)"/g)) for (const name of decode(match[1]!).split(/\s+/)) if (name) classes.add(name);
  return classes;
}

/** The part of the stylesheet a page made of `html` can use, as one stylesheet. */
export function criticalCss(rules: StyleRules, html: string): string {
  const classes = classesOf(html);
  let out = `${rules.before}@layer utilities{`;
  let open: string[] = [];
  for (const rule of rules.rules) {
    if (!rule.needs.some((needs) => needs.every((name) => classes.has(name)))) continue;
    let shared = 0;
    while (shared < open.length && shared < rule.wrap.length && open[shared] === rule.wrap[shared]) shared++;
    out +=
      "}".repeat(open.length - shared) +
      rule.wrap
        .slice(shared)
        .map((prelude) => `${prelude}{`)
        .join("") +
      rule.css;
    open = rule.wrap;
  }
  return `${out}${"}".repeat(open.length)}}${rules.after}`;
}

const loaded = new Map<string, StyleRules>();
/**
 * The rules the build wrote to `file`, read once per process. Undefined while the file isn't there
 * (`npm run dev` serves pages while it builds it): the page then links the stylesheet as usual.
 */
export function styleRulesAt(file: string): StyleRules | undefined {
  const kept = loaded.get(file);
  if (kept) return kept;
  let rules: StyleRules;
  try {
    rules = JSON.parse(readFileSync(file, "utf8")) as StyleRules;
  } catch {
    return undefined;
  }
  loaded.set(file, rules);
  return rules;
}
