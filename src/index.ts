/**
 * abrlab as a library. The CLI is a thin layer over these.
 */
export { simulateSession, DEFAULT_LINK_LATENCY_MS, type SimulateOptions } from './sim/simulate.js';
export { summarize } from './sim/summary.js';
export { parseCatalog, catalogSchema, type Catalog, type CatalogInput, type Representation } from './origin/catalog.js';
export { loadCatalogFile } from './origin/load-catalog.js';
export { traceFromPeriods, traceFromSamples, constantTrace, type Trace } from './net/trace.js';
export { loadTraceFile, parseTraceText } from './net/formats/index.js';
export { playerConfig, playerConfigSchema, type PlayerConfig, type PlayerConfigInput } from './player/config.js';
export { PlayerSession, type PlayerSessionOptions } from './player/session.js';
export type { Clock } from './core/clock.js';
export { VirtualClock } from './core/clock.js';
export type { Transport, TransportRequest, TransferHandle, TransferListener } from './player/transport.js';
export type * from './abr/types.js';
export { createBuiltinPolicy, builtinPolicyNames } from './abr/registry.js';
export { resolvePolicyFactory } from './abr/load-policy.js';
export { scoreAll } from './qoe/models.js';
export type * from './qoe/types.js';
export { createRng, type Rng } from './core/rng.js';
export { InputError } from './core/errors.js';
export { simulateLiveEvent, type LiveEventOptions, type LiveEventResult, type LiveStall } from './sim/content/live-event.js';
export { simulateSeries, type SeriesSessionOptions, type SeriesResult, type EpisodeTransition, type PrefetchMode } from './sim/content/series-session.js';
export { simulateInteractive, type InteractiveOptions, type InteractiveResult, type SceneJoin } from './sim/content/interactive-session.js';
export type { ContentSimOptions } from './sim/content/common.js';
export { prepareSession, type PreparedSession } from './sim/prepare.js';
export { simulateGroup } from './sim/group.js';
export { REFERENCE_CDNS, MultiCdnOrigin, cdnSchema, type CdnConfigInput } from './origin/cdn.js';
export { parseFaultsFlag, faultsSchema, type FaultRule } from './origin/faults.js';
export { sessionCost, ladderForCodec } from './origin/cost.js';
export { generateTrace, PRESETS } from './net/generators/index.js';
export { loadScenarioFile, scenarioFromText, scenarioSchema, type Scenario } from './experiment/scenario.js';
export { runScenario } from './experiment/run-scenario.js';
export { writeReport } from './report/write-report.js';
export { VERSION } from './version.js';
