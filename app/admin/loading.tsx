/** Shown while an admin page reads the directory, the audit log or the queues. */
export default function AdminLoading() {
  const bar = "animate-pulse rounded bg-zinc-200 motion-reduce:animate-none dark:bg-zinc-800";
  return (
    <div aria-busy="true" className="flex flex-col gap-8">
      <p role="status" className="sr-only">
        Loading…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-3">
        <div className={`h-9 w-56 max-w-full ${bar}`} />
        <div className={`h-5 w-96 max-w-full ${bar}`} />
      </div>
      <div aria-hidden="true" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
            <div className={`h-4 w-20 ${bar}`} />
            <div className={`h-7 w-12 ${bar}`} />
          </div>
        ))}
      </div>
      <div aria-hidden="true" className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className={`h-5 ${i % 2 ? "w-2/3" : "w-5/6"} ${bar}`} />
        ))}
      </div>
    </div>
  );
}
