import Link from "next/link";
import type { CatalogProduct } from "@/lib/catalog/types";

/** A product card's title (linking to its page) and summary. */
export function ProductHeading({ product }: { product: Pick<CatalogProduct, "slug" | "name" | "summary"> }) {
  return (
    <>
      <h3 className="text-lg font-semibold">
        <Link href={`/products/${product.slug}`} className="focus-ring rounded hover:underline">
          {product.name}
        </Link>
      </h3>
      {product.summary && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{product.summary}</p>}
    </>
  );
}
