/** Reads a setting the function cannot run without; a missing one fails loudly at cold start, not mid-request. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
