/**
 * Small HTML building blocks shared by the report's sections. Every user-supplied string is escaped here
 * (escape.ts); callers pass plain text.
 */
import { escapeHtml } from './escape.js';

/** Key–value list of how the report was produced. */
export function metaListHtml(items: readonly { label: string; value: string; code?: boolean }[]): string {
  const rows = items.map((item) => {
    const value = escapeHtml(item.value);
    return `<dt>${escapeHtml(item.label)}</dt><dd>${item.code === true ? `<code>${value}</code>` : value}</dd>`;
  });
  return `<dl class="meta">\n${rows.join('\n')}\n</dl>`;
}

/** A collapsed block of preformatted text (the scenario file). */
export function preformattedDetailsHtml(summary: string, text: string): string {
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n<pre>${escapeHtml(text)}</pre>\n</details>`;
}
