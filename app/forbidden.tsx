import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">403</p>
      <h1 className="mt-2 text-3xl font-bold">You don’t have access to this page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">It is for administrators. If you think you should have access, ask the portal’s owner.</p>
      <Link href="/" className="focus-ring mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
        Go home
      </Link>
    </div>
  );
}
