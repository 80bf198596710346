import { InputError } from '../core/errors.js';
import type { AbrPolicy, AbrPolicyFactory } from './types.js';
import { createBba, createPensieveBb } from './bba.js';
import { createFastMpc, createMpc, createRobustMpc } from './mpc.js';
import { createRateBased } from './rate-based.js';
import { createBolaPolicy } from './bola.js';
import { createBolaePolicy } from './bolae.js';
import { createThroughputPolicy } from './throughput.js';
import { createDynamicPolicy } from './dynamic.js';
import { createDynamicDashPolicy } from './dynamic-dash.js';
import { createReferenceAbr } from './reference.js';
import { createHlsjsPolicy } from './hlsjs.js';
import { createShakaPolicy } from './shaka.js';

/**
 * Built-in policies by CLI name (lower case with dashes, DESIGN.md). Each entry is a factory so every session
 * gets a fresh instance with its own state.
 */
const BUILTIN_POLICIES = new Map<string, AbrPolicyFactory>([
  // one line per policy: ['name', factory],
  ['bb', createPensieveBb],
  ['bba', createBba],
  ['mpc', createMpc],
  ['fast-mpc', createFastMpc],
  ['robust-mpc', createRobustMpc],
  ['rate-based', createRateBased],
  ['bola', createBolaPolicy],
  ['bolae', createBolaePolicy],
  ['throughput', createThroughputPolicy],
  ['dynamic', createDynamicPolicy],
  ['dynamicdash', createDynamicDashPolicy],
  ['reference', createReferenceAbr],
  ['hlsjs', createHlsjsPolicy],
  ['shaka', createShakaPolicy],
]);

export function builtinPolicyNames(): string[] {
  return [...BUILTIN_POLICIES.keys()].sort();
}

export function isBuiltinPolicy(name: string): boolean {
  return BUILTIN_POLICIES.has(name);
}

/** A fresh instance of built-in policy `name`; unknown names are an input error listing the known ones. */
export function createBuiltinPolicy(name: string, params?: Record<string, unknown>): AbrPolicy {
  const factory = BUILTIN_POLICIES.get(name);
  if (factory === undefined) {
    throw new InputError(`unknown policy "${name}"; known policies: ${builtinPolicyNames().join(', ')}, or a path to a .ts/.js module`);
  }
  return factory(params);
}
