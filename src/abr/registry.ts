import { InputError } from '../core/errors.js';
import type { AbrPolicy, AbrPolicyFactory } from './types.js';
import { createReferenceAbr } from './reference.js';

/**
 * Built-in policies by CLI name (lower case with dashes, DESIGN.md). Each entry is a factory so every session
 * gets a fresh instance with its own state.
 */
const BUILTIN_POLICIES = new Map<string, AbrPolicyFactory>([
  // one line per policy: ['name', factory],
  ['reference', createReferenceAbr],
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
