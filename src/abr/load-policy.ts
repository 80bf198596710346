import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { createBuiltinPolicy, isBuiltinPolicy } from './registry.js';
import type { AbrPolicy, AbrPolicyFactory } from './types.js';

/** True when a policy spec names a module file rather than a built-in policy. */
export function isPolicyPath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.(m?[jt]s)$/.test(spec);
}

/**
 * Resolves a policy spec — a built-in name or a path to a `.ts` / `.js` module — to a factory. A module must
 * export a factory `(params) => AbrPolicy` as its default export or as `createPolicy`; a factory (not an
 * instance) because every session needs its own policy state.
 */
export async function resolvePolicyFactory(spec: string): Promise<{ name: string; factory: AbrPolicyFactory }> {
  if (!isPolicyPath(spec)) {
    if (!isBuiltinPolicy(spec)) createBuiltinPolicy(spec); // throws the input error listing known names
    return { name: spec, factory: (params) => createBuiltinPolicy(spec, params) };
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new InputError('policy module not found', { file: spec });
  const mod = await importModule(file, spec);
  const candidate = (mod as { createPolicy?: unknown }).createPolicy ?? (mod as { default?: unknown }).default;
  if (typeof candidate !== 'function') {
    throw new InputError('a policy module must export a factory function `(params) => AbrPolicy` as default or as `createPolicy`', { file: spec });
  }
  const factory: AbrPolicyFactory = (params) => checkPolicy((candidate as AbrPolicyFactory)(params), spec);
  const probe = factory({});
  return { name: probe.name, factory };
}

async function importModule(file: string, spec: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    if (/\.m?ts$/.test(file)) {
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
  return policy as AbrPolicy;
}
