"use client";

import { useState } from "react";
import type { Preferences } from "@/lib/notifications";
import { DeliveryLog } from "./delivery-log";
import type { DeliveryView, EndpointView } from "./format";
import { PreferencesTable, type CategoryInfo } from "./preferences";
import { WebhookEndpoints } from "./webhook-endpoints";

/**
 * The notifications page's three parts, from what the server read: preferences, webhook
 * endpoints and the delivery log. A test event sent from an endpoint reloads the log.
 */
export function NotificationCenter({
  preferences,
  categories,
  email,
  endpoints,
  maxEndpoints,
  allowPrivateTargets,
  deliveries,
}: {
  preferences: Preferences;
  categories: CategoryInfo[];
  email: string | null;
  endpoints: EndpointView[];
  maxEndpoints: number;
  allowPrivateTargets: boolean;
  deliveries: { deliveries: DeliveryView[]; cursor?: string };
}) {
  const [logVersion, setLogVersion] = useState(0);
  return (
    <div className="flex flex-col gap-12">
      <PreferencesTable initial={preferences} categories={categories} email={email} />
      <WebhookEndpoints initial={endpoints} max={maxEndpoints} allowPrivate={allowPrivateTargets} onDelivery={() => setLogVersion((v) => v + 1)} />
      <DeliveryLog initial={deliveries} version={logVersion} />
    </div>
  );
}
