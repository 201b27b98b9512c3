// The local cloud's public door: boot it (in this process or as a child), reach it, and read what it is made of.
// Nothing here loads an emulator until a boot asks for one.
export { startLocalCloud } from './stack/boot.ts';
export type { LocalCloud, LocalCloudOptions } from './stack/boot.ts';
export { spawnLocalCloud, startArguments } from './stack/child-process.ts';
export type { LocalCloudProcess, SpawnOptions } from './stack/child-process.ts';
export { baseUrlFor, describeServices, endpointsFor, portsFor, resourcesOf } from './stack/layout.ts';
export type { LocalCloudEndpoints, ServiceResource } from './stack/layout.ts';
export { isAlive } from './stack/processes.ts';
export { localAwsEnvironment } from './stack/offline.ts';
export { LOCAL_CREDENTIALS, LOCAL_REGION } from './common/aws-local.ts';
export { createProgress } from './common/progress.ts';
export type { Progress } from './common/progress.ts';
export { apiClient, bearer, fetchToken } from './client/api-client.ts';
export type { ApiCall, Identity } from './client/api-client.ts';
export type { RecordedEntry as TrailEntry } from './stack/trail.ts';
export { UsageMeter } from './metering/usage-meter.ts';
export type { Usage } from './metering/usage-meter.ts';
