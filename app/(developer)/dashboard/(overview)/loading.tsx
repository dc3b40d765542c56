/** Shown while the dashboard reads keys, subscriptions and the catalog. */
export default function DashboardLoading() {
  const bar = "animate-pulse rounded bg-zinc-200 motion-reduce:animate-none dark:bg-zinc-800";
  return (
    <div aria-busy="true" className="flex flex-col gap-12">
      <p role="status" className="sr-only">
        Loading your dashboard…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-3">
        <div className={`h-9 w-48 ${bar}`} />
        <div className={`h-5 w-80 max-w-full ${bar}`} />
      </div>
      {["keys", "subscriptions", "usage"].map((section) => (
        <div key={section} aria-hidden="true" className="flex flex-col gap-4">
          <div className={`h-7 w-40 ${bar}`} />
          <div className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
            <div className={`h-5 w-2/3 ${bar}`} />
            <div className={`h-5 w-1/2 ${bar}`} />
            {section === "usage" && <div className={`h-48 w-full ${bar}`} />}
          </div>
        </div>
      ))}
    </div>
  );
}
