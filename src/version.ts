import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Reads package.json from src/ (tsx) or dist/src/ (compiled) alike. */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'abrlab' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

/** abrlab's version, recorded in every result for reproducibility. */
export const VERSION: string = readVersion();
