import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { createBuiltinPolicy, isBuiltinPolicy } from './registry.js';
import type { AbrPolicy, AbrPolicyFactory } from './types.js';

/** True when a policy spec names a module file rather than a built-in policy. */
export function isPolicyPath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.([cm]?[jt]s)$/.test(spec);
}

/**
 * Resolves a policy spec — a built-in name or a path to a `.ts` / `.js` module — to a factory. A module must
 * export a factory `(params) => AbrPolicy` as its default export or as `createPolicy`; a factory (not an
 * instance) because every session needs its own policy state. Every problem with a user's module (missing,
 * failing to load, wrong shape, its factory throwing on bad params) is an InputError naming the file, so the
 * CLI exits with code 2 and one line instead of a stack trace.
 */
export async function resolvePolicyFactory(spec: string): Promise<{ name: string; factory: AbrPolicyFactory }> {
  if (!isPolicyPath(spec)) {
    if (!isBuiltinPolicy(spec)) createBuiltinPolicy(spec); // throws the input error listing known names
    return { name: spec, factory: (params) => createBuiltinPolicy(spec, params) };
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new InputError('policy module not found', { file: spec });
  const mod = await importModule(file, spec);
  const candidate = pickFactory(mod);
  if (typeof candidate !== 'function') {
    const exported = isPolicyLike(candidate)
      ? 'it exports a policy object; export a factory `(params) => ({ name, chooseRepresentation })` instead, so every session gets fresh state'
      : 'found no function export named `default` or `createPolicy`';
    throw new InputError(`a policy module must export a factory function \`(params) => AbrPolicy\` as default or as \`createPolicy\`: ${exported}`, {
      file: spec,
    });
  }
  const userFactory = candidate as (params: Record<string, unknown>) => unknown;
  const factory: AbrPolicyFactory = (params) => {
    let made: unknown;
    try {
      made = userFactory(params ?? {});
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`the policy factory rejected its params: ${(err as Error).message ?? String(err)}`, { file: spec });
    }
    return checkPolicy(made, spec);
  };
  const probe = factory({});
  return { name: probe.name, factory };
}

/**
 * `createPolicy`, else `default`; for a module loaded as CommonJS (a `.cjs`, or a `.ts` outside an ESM package,
 * whose exports arrive wrapped as `default`), the same one level down. The first function wins; failing that,
 * the first candidate is returned so the caller can say what was exported instead.
 */
function pickFactory(mod: unknown): unknown {
  const m = mod as { createPolicy?: unknown; default?: unknown };
  const inner = m.default !== null && typeof m.default === 'object' ? (m.default as { createPolicy?: unknown; default?: unknown }) : {};
  const candidates = [m.createPolicy, m.default, inner.createPolicy, inner.default];
  return candidates.find((c) => typeof c === 'function') ?? candidates.find(isPolicyLike) ?? m.createPolicy ?? m.default;
}

function isPolicyLike(x: unknown): boolean {
  return x !== null && typeof x === 'object' && typeof (x as { chooseRepresentation?: unknown }).chooseRepresentation === 'function';
}

async function importModule(file: string, spec: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    if (/\.[cm]?ts$/.test(file)) {
      // Node 20 cannot import TypeScript by itself; tsx's loader compiles it on the fly.
      const { tsImport } = await import('tsx/esm/api');
      return await tsImport(url, import.meta.url);
    }
    return await import(url);
  } catch (err) {
    throw new InputError(`cannot load policy module: ${(err as Error).message.split('\n')[0]}`, { file: spec });
  }
}

function checkPolicy(p: unknown, spec: string): AbrPolicy {
  const policy = p as Partial<AbrPolicy> | undefined;
  if (policy === undefined || policy === null || typeof policy.chooseRepresentation !== 'function' || typeof policy.name !== 'string') {
    throw new InputError('the factory must return an object with a string `name` and a `chooseRepresentation(ctx)` method', { file: spec });
  }
  for (const hook of ['shouldAbandon', 'onDownload', 'onBufferFullWait', 'onEvent'] as const) {
    if (policy[hook] !== undefined && typeof policy[hook] !== 'function') {
      throw new InputError(`the policy's \`${hook}\` must be a method when present`, { file: spec });
    }
  }
  return policy as AbrPolicy;
}
