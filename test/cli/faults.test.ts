import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const base = ['sim', '--trace', 'traces/constant-5mbps.json', '--video', 'traces/videos/reference-10min.json', '--json'];

describe('--faults and --cdns on the CLI', () => {
  it('503 on every request: the reference retry policy gives up and the session ends with the error named', async () => {
    const { code, stdout } = await runCli([...base, '--faults', '503=1']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.summary.endReason).toBe('fatal-error');
    expect(r.summary.error.kind).toBe('http-503');
    // One origin, no alternate CDN: 1 attempt + 3 retries (reference max_retries=3).
    expect(r.delivery.attempts).toBe(4);
  });

  it('an OCA outage with the reference CDNs moves traffic to CloudFront and back', async () => {
    const { code, stdout } = await runCli([...base, '--cdns', 'reference', '--faults', 'outage@oca=0-100']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.summary.endReason).toBe('finished');
    expect(r.delivery.bytesByCdn.cloudfront).toBeGreaterThan(0);
    expect(r.delivery.bytesByCdn.oca).toBeGreaterThan(0); // after 100 s the fail-back finds OCA up again
    expect(r.delivery.failbacks).toBeGreaterThanOrEqual(1);
  });

  it('a bad spec or an unknown CDN is a user error (exit 2, one line naming the flag)', async () => {
    const bad = await runCli([...base, '--faults', '500=0.1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--faults');
    const unknown = await runCli([...base, '--faults', 'outage@oca=1-2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown CDN "oca"/);
  });
});
