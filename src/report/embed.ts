/**
 * The interactive layer of the report: vega, vega-lite and vega-embed's UMD builds inlined from node_modules
 * (never fetched: the page stays offline), and a small script that swaps a chart's static SVG for a live
 * vega-embed view (tooltips; zoom and pan on the scatter) when its "Explore" button is pressed.
 *
 * The bundles sit in `<script type="text/plain">` blocks and are only evaluated on the first press, so opening
 * the report costs no JavaScript parsing (about 830 KB of it). Inside them `</script` and `<!--` are escaped
 * (`<\/script`, `<\!--`): both only occur inside JS strings, regexes or comments, where the backslash changes
 * nothing, and unescaped they would end or derail the HTML script element.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

const require = createRequire(import.meta.url);

/** [element id, package, file in the package's build/ directory], in load order (vega-embed needs the others). */
const BUNDLES: readonly [string, string, string][] = [
  ['abrlab-bundle-vega', 'vega', 'vega.min.js'],
  ['abrlab-bundle-vega-lite', 'vega-lite', 'vega-lite.min.js'],
  ['abrlab-bundle-vega-embed', 'vega-embed', 'vega-embed.min.js'],
];

/** Makes text safe inside an HTML `<script>` element (see the header). */
export function escapeScriptText(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** A spec as JSON inside `<script type="application/json">`: `<` as \u003c, which JSON.parse reads back as `<`. */
export function specScriptHtml(spec: TopLevelSpec): string {
  return `<script type="application/json" class="spec">${JSON.stringify(spec).replace(/</g, '\\u003c')}</script>`;
}

/**
 * The three bundles as inert script blocks. Each package's main entry lives in its build/ directory (the
 * packages' `exports` hide the UMD files from `require.resolve`, so they are found beside the entry).
 */
export async function vegaBundlesHtml(): Promise<string> {
  const blocks = await Promise.all(
    BUNDLES.map(async ([id, pkg, file]) => {
      const text = await readFile(join(dirname(require.resolve(pkg)), file), 'utf8');
      return `<script type="text/plain" id="${id}">${escapeScriptText(text)}</script>`;
    }),
  );
  return blocks.join('\n');
}

/** The page script: loads the bundles on first use and toggles each figure between static and live. */
export const EMBED_SCRIPT = `(function () {
  var ids = ${JSON.stringify(BUNDLES.map((b) => b[0]))};
  var loaded = false;
  function load() {
    if (loaded) return;
    loaded = true;
    ids.forEach(function (id) {
      var s = document.createElement('script');
      s.textContent = document.getElementById(id).textContent;
      document.head.appendChild(s);
    });
  }
  document.querySelectorAll('button.interact').forEach(function (button) {
    button.addEventListener('click', function () {
      var fig = document.getElementById(button.getAttribute('data-target'));
      if (fig.classList.contains('is-live')) {
        fig.classList.remove('is-live');
        button.textContent = 'Explore';
        return;
      }
      var live = fig.querySelector('.live');
      if (!live.hasAttribute('data-done')) {
        live.setAttribute('data-done', '');
        load();
        var spec = JSON.parse(fig.querySelector('script.spec').textContent);
        window.vegaEmbed(live, spec, { actions: false, renderer: 'svg' }).then(function () {
          fig.setAttribute('data-live', 'drawn');
        }).catch(function (err) {
          live.textContent = 'The interactive view failed: ' + err.message;
          console.error(err);
        });
      }
      fig.classList.add('is-live');
      button.textContent = 'Static';
    });
  });
})();`;
