/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import { COPY_PAGE, COPY_PAGE_IDLE, copyPageStatus, copyPageThenConfirm, PAGE_ACTION, type CopyPageState } from "@/components/ui/page-markdown";

/**
 * "Copy page as Markdown" and its status line (a polite live region, shown after the page's other
 * actions). The Preact shell of components/ui/page-markdown.ts; disabled until hydrated, since
 * without the script it can't do anything ("View as Markdown" beside it still works).
 */
export function CopyPage({ href }: { href: string }) {
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<CopyPageState>(COPY_PAGE_IDLE);
  useEffect(() => setReady(true), []);
  const status = copyPageStatus(state);
  return (
    <>
      <button type="button" disabled={!ready} onClick={() => state.kind !== "copying" && void copyPageThenConfirm(href, setState)} className={PAGE_ACTION}>
        {COPY_PAGE}
      </button>
      <span role="status" className={status.className}>
        {status.text}
      </span>
    </>
  );
}
