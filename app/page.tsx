export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-6 px-6 py-16">
      <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase dark:text-brand-500">Developer portal</p>
      <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">Portico</h1>
      <p className="text-lg text-zinc-600 dark:text-zinc-400">
        Find APIs, read their reference docs, get an API key and watch your usage against your plan.
      </p>
    </main>
  );
}
