/**
 * Colours and fonts shared by every chart and table in the report, so that a policy keeps its colour from the
 * summary table to every timeline (and, in issue 6, to CDFs and scatter plots).
 */

/**
 * Policy colours: the Okabe–Ito colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008), with
 * its yellow dropped (unreadable as a thin line on white) and its black and vermillion moved last (black
 * competes with the axes, vermillion with the stall shading). Beyond eight policies the colours repeat.
 */
export const POLICY_PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#8C6D31', // brown (not Okabe–Ito: an extra hue that survives greyscale printing)
  '#D55E00', // vermillion
  '#000000', // black
];

/** Fixed colours for what is not a policy. */
export const CHART_COLORS = {
  /** Link capacity: neutral grey, so that the policy's own line stands out. */
  capacity: '#8a8a8a',
  /** Stall shading (drawn at `STALL_OPACITY`): a light red that prints as a visible grey band. */
  stall: '#e15759',
  /** Startup (before the first frame) shading. */
  startup: '#bdbdbd',
  abandon: '#b2182b',
  seek: '#5e3c99',
  failover: '#1b7837',
  error: '#333333',
  /** The next title of a content session (episode, scene) starts playing. */
  title: '#b35806',
} as const;

export const STALL_OPACITY = 0.3;
export const STARTUP_OPACITY = 0.25;

/** The system font stack: no web font to fetch, so the report stays self-contained and offline. */
export const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Colour per policy, assigned in the order given (the first appearance in the results, i.e. the scenario's
 * order), so the same scenario always gives the same colours. Duplicates keep their first colour.
 */
export function policyColors(policies: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const policy of policies) {
    if (colors.has(policy)) continue;
    colors.set(policy, POLICY_PALETTE[colors.size % POLICY_PALETTE.length] ?? '#000000');
  }
  return colors;
}
