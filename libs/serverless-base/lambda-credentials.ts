// Lambda gives every function its role's credentials in environment variables
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the local
// stack sets the same variables. The SDK's full default chain (profiles, SSO,
// web identity, container and instance metadata) is ~90 KB of bundle a
// function never uses, so bundles resolve the chain to the environment reader.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
