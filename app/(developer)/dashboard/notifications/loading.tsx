/** Shown while the notifications page reads preferences, endpoints and the delivery log. */
export default function NotificationsLoading() {
  const bar = "animate-pulse rounded bg-zinc-200 motion-reduce:animate-none dark:bg-zinc-800";
  return (
    <div aria-busy="true" className="flex max-w-4xl flex-col gap-10">
      <p role="status" className="sr-only">
        Loading your notification settings…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-3">
        <div className={`h-9 w-56 ${bar}`} />
        <div className={`h-5 w-full ${bar}`} />
        <div className={`h-5 w-2/3 ${bar}`} />
      </div>
      {["preferences", "webhooks", "log"].map((section) => (
        <div key={section} aria-hidden="true" className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
          <div className={`h-7 w-40 ${bar}`} />
          <div className={`h-5 w-2/3 ${bar}`} />
          <div className={`h-5 w-1/2 ${bar}`} />
          {section === "preferences" && <div className={`h-32 w-full ${bar}`} />}
        </div>
      ))}
    </div>
  );
}
