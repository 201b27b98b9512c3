/**
 * Stands in for `@aws-sdk/middleware-endpoint-discovery` in every bundle (an esbuild alias in the base config).
 * The DynamoDB client builds an endpoint cache (mnemonist's LRU, ~8 KiB) at construction for a feature that is
 * off unless a client turns it on, and none here does; turning it on fails loudly rather than silently.
 */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: () => undefined,
  configFileSelector: () => undefined,
  default: undefined,
};

export function resolveEndpointDiscoveryConfig<Input extends { endpointDiscoveryEnabled?: boolean }>(
  input: Input,
  { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown },
) {
  if (input.endpointDiscoveryEnabled)
    throw new Error('Endpoint discovery is not bundled: see libs/serverless-base/bundling/sdk-endpoint-discovery.ts');
  return Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled: () => Promise.resolve(false),
    isClientEndpointDiscoveryEnabled: false,
  });
}
