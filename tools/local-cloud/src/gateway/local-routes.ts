/**
 * The gateway's local-only routes under `/_local/`, which no deployed API has: the event trail, and the local
 * identity provider's keys and token minting. Answers whether it served the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerProblem, problem } from './problems.ts';
import { type IdentityProvider, type TokenRequest, tokenRequestProblem } from '../emulators/identity/identity-provider.ts';
import type { Trail } from '../stack/trail.ts';
import { readBody } from '../common/upstream.ts';

export const JWKS_PATH = '/_local/identity/.well-known/jwks.json';
export const TOKENS_PATH = '/_local/tokens';
const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** `POST /_local/tokens {"customer": "c-1"}` or `{"admin": true}` → `{access_token, token_type, expires_in}`, as Cognito's token endpoint. */
async function serveToken(request: IncomingMessage, response: ServerResponse, identity: IdentityProvider, correlationId: string) {
  const read = await readBody(request, MAX_TOKEN_REQUEST_BYTES);
  let asked: unknown;
  try {
    asked = read.body ? JSON.parse(read.body.toString('utf8')) : undefined;
  } catch {
    asked = undefined;
  }
  const refused = read.tooLarge ? 'the body is too large' : tokenRequestProblem(asked);
  if (refused) return answerProblem(response, problem(400, `No token: ${refused}`, correlationId));
  const { token, expiresIn } = await identity.issue(asked as TokenRequest);
  answerJson(response, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
}

export interface LocalRoutes {
  trail?: Trail | undefined;
  identity?: IdentityProvider | undefined;
}

export async function serveLocalRoute(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  { trail, identity }: LocalRoutes,
  correlationId: string,
): Promise<boolean> {
  const route = `${request.method} ${url.pathname}`;
  if (route === 'GET /_local/trail' && trail) {
    const filter = { correlationId: url.searchParams.get('correlationId') ?? undefined, since: url.searchParams.get('since') ?? undefined };
    answerJson(response, 200, trail.list(filter));
    return true;
  }
  if (route === `GET ${JWKS_PATH}` && identity) {
    answerJson(response, 200, identity.jwks);
    return true;
  }
  if (route === `POST ${TOKENS_PATH}` && identity) {
    await serveToken(request, response, identity, correlationId);
    return true;
  }
  return false;
}
