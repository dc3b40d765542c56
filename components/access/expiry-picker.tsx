"use client";

import { useState } from "react";
import { EXPIRY_PRESET_DAYS, MAX_EXPIRY_DAYS } from "@/lib/access/input-rules";
import { INPUT } from "./styles";
import { useNow } from "./time";

const DAY_MS = 86_400_000;
const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** What an expiry picker's form fields ask the API for (undefined: nothing to send). */
export type ExpiryBody = { expiresInDays: number } | { expiresAt: string | null };

/**
 * Reads the picker's fields from a submitted form: `never` clears, a preset is days from now, a
 * date is sent as is (the key stops at 00:00 UTC that day; the server checks it's in reach).
 */
export function expiryFromForm(data: FormData): ExpiryBody {
  const choice = String(data.get("expiry") ?? "never");
  if (choice === "date") return { expiresAt: String(data.get("expiryDate") ?? "") };
  if (choice === "never") return { expiresAt: null };
  return { expiresInDays: Number(choice) };
}

/**
 * Never, 30, 90 or 365 days, or a date: a select, and a date field when "On a date" is chosen.
 * Uncontrolled fields (`expiry`, `expiryDate`) read by expiryFromForm at submit.
 */
export function ExpiryPicker({
  id,
  label = "Expires",
  disabled = false,
  allowNever = true,
  describedBy,
}: {
  id: string;
  label?: string;
  disabled?: boolean;
  /** Offer "Never" (creating a key; changing one has its own "Remove expiry"). */
  allowNever?: boolean;
  describedBy?: string;
}) {
  const [choice, setChoice] = useState(allowNever ? "never" : String(EXPIRY_PRESET_DAYS[0]));
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-expiry`} className="text-sm font-medium">
          {label}
        </label>
        <select
          id={`${id}-expiry`}
          name="expiry"
          value={choice}
          onChange={(event) => setChoice(event.target.value)}
          disabled={disabled}
          {...(describedBy ? { "aria-describedby": describedBy } : {})}
          className={`${INPUT} sm:w-48`}
        >
          {allowNever && <option value="never">Never</option>}
          {EXPIRY_PRESET_DAYS.map((days) => (
            <option key={days} value={String(days)}>
              In {days} days
            </option>
          ))}
          <option value="date">On a date…</option>
        </select>
      </div>
      {choice === "date" && <DateField id={id} disabled={disabled} />}
    </div>
  );
}

/** The date field, shown once "On a date" is picked: from tomorrow (UTC) to the furthest expiry. */
function DateField({ id, disabled }: { id: string; disabled: boolean }) {
  const now = useNow();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-date`} className="text-sm font-medium">
        Expiry date (UTC)
      </label>
      <input
        id={`${id}-date`}
        name="expiryDate"
        type="date"
        required
        {...(now === null ? {} : { min: utcDay(now + DAY_MS), max: utcDay(now + MAX_EXPIRY_DAYS * DAY_MS) })}
        disabled={disabled}
        aria-describedby={`${id}-date-hint`}
        className={`${INPUT} sm:w-48`}
      />
      <span id={`${id}-date-hint`} className="sr-only">
        The key stops working at midnight UTC at the start of that day, at most {MAX_EXPIRY_DAYS} days from now.
      </span>
    </div>
  );
}
