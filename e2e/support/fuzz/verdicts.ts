import type { Answer } from './raw-client';
import type { FuzzCase } from './requests';

export interface Violation {
  fuzzCase: FuzzCase;
  answer: Answer;
  rule: string;
}

const isProblem = (text: string, status: number) => {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return ['type', 'title', 'detail'].every((field) => typeof body[field] === 'string') && body.status === status;
  } catch {
    return false;
  }
};

export const SERVER_ERROR_IN_DISGUISE = 'a function error passed off as the answer';

const isLambdaError = (text: string) => {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return typeof body.errorType === 'string' && typeof body.errorMessage === 'string';
  } catch {
    return false;
  }
};

/** The rules this answer breaks: those every answer obeys, then what the case's kind demands. */
export function judge(fuzzCase: FuzzCase, answer: Answer): Violation[] {
  const broken = (rule: string) => ({ fuzzCase, answer, rule });
  if ('error' in answer) return [broken('no HTTP answer')];
  const { status, contentType, text } = answer;
  const violations: Violation[] = [];
  if (status >= 500) violations.push(broken('a server error (5xx)'));
  // A function that failed or timed out, its Lambda error (and stack) handed to the client as the answer:
  // a server error whatever the status says, so the kind's own status is not judged on it.
  else if (isLambdaError(text)) return [broken(SERVER_ERROR_IN_DISGUISE)];
  if (status >= 400 && status < 500) {
    if (contentType?.split(';')[0]?.trim().toLowerCase() !== 'application/problem+json')
      violations.push(broken('a 4xx that is not application/problem+json'));
    // A HEAD answer has no body to check.
    else if (fuzzCase.request.method !== 'HEAD' && !isProblem(text, status))
      violations.push(broken('a problem without type, title, detail and its status'));
  }
  const { expect } = fuzzCase;
  if (expect && 'statuses' in expect && !expect.statuses.includes(status))
    violations.push(broken(`answered ${status} where ${expect.statuses.join(' or ')} was due`));
  if (expect && 'refused' in expect && (status < 400 || status >= 500))
    violations.push(broken(`answered ${status} where a refusal (4xx) was due`));
  return violations;
}

const clip = (text: string, length: number) => {
  const flat = text.replace(/[\r\n]+/g, '⏎');
  return flat.length > length ? `${flat.slice(0, length)}… (${text.length.toLocaleString('en')} chars)` : flat;
};

const describeCaller = ({ caller }: FuzzCase) =>
  caller ? ` as ${caller.as === 'admin' ? 'admin' : caller.as.customer}${caller.flaw ? ` (${caller.flaw} token)` : ''}` : '';

export function describeCase(fuzzCase: FuzzCase): string {
  const { id, request } = fuzzCase;
  const headers = [...Object.entries(request.headers), ...(request.repeated ?? [])]
    .filter(([name, value]) => name !== 'x-correlation-id' || !value.startsWith('fuzz-case-'))
    .map(([name, value]) => `${name}: ${clip(value, 40)}`);
  const body = request.body === undefined ? '' : ` body ${clip(request.body.toString(), 80)}`;
  return `#${id}${describeCaller(fuzzCase)} ${request.method} ${clip(request.path, 100)}${headers.length ? ` [${headers.slice(0, 3).join('; ')}${headers.length > 3 ? '; …' : ''}]` : ''}${body}`;
}

const describeAnswer = (answer: Answer) =>
  'error' in answer
    ? `no answer: ${answer.error}`
    : `${answer.status} ${answer.contentType ?? '(no content type)'} ${clip(answer.text, 100)}`;

function grouped<T>(items: T[], keyOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.entries()].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
}

/** A few members, as different as `distinct` can tell them apart. */
function examplesOf<T>(members: T[], count: number, distinct: (member: T) => unknown): T[] {
  const firstOfEach = [...new Map(members.map((member) => [distinct(member), member])).values()];
  return [...new Set([...firstOfEach, ...members])].slice(0, count);
}

/**
 * Violations grouped by kind and rule, then counted by route, largest groups first, each with a
 * few examples: a failure a person can read instead of thousands of lines.
 */
export function report(violations: Violation[], examples = 3): string[] {
  return grouped(violations, (v) => `${v.fuzzCase.kind} → ${v.rule}`).map(([key, members]) => {
    const routes = grouped(members, (v) => v.fuzzCase.route).map(([route, of]) => `${route} ${of.length}`);
    return [
      `${key}: ${members.length} request(s) (${routes.join(', ')})`,
      ...examplesOf(members, examples, (v) => v.fuzzCase.route).map(
        (v) => `    ${describeCase(v.fuzzCase)}\n      → ${describeAnswer(v.answer)}`,
      ),
    ].join('\n');
  });
}

/**
 * State changes (table items, trail entries) grouped by the route and kind of the cases whose
 * marker they carry (what a wrongly accepted request stored names it), the rest on their own.
 */
export function stateReport(changes: string[], cases: FuzzCase[], examples = 3): string[] {
  const byId = new Map(cases.map((fuzzCase) => [fuzzCase.id, fuzzCase]));
  const traced = changes.flatMap((change): { change: string; fuzzCase?: FuzzCase }[] => {
    const ids = [...new Set([...change.matchAll(/fuzz-case-(\d+)/g)].map((match) => Number(match[1])))];
    const culprits = ids.flatMap((id) => byId.get(id) ?? []);
    return culprits.length ? culprits.map((fuzzCase) => ({ change, fuzzCase })) : [{ change }];
  });
  return grouped(traced, ({ fuzzCase }) => (fuzzCase ? `${fuzzCase.route} · ${fuzzCase.kind}` : 'not traceable to one request')).map(
    ([key, members]) => {
      const attributed = members.flatMap(({ change, fuzzCase }) => (fuzzCase ? [{ change, fuzzCase }] : []));
      const requests = new Set(attributed.map(({ fuzzCase }) => fuzzCase.id)).size;
      const shown = attributed.length
        ? examplesOf(attributed, examples, (a) => a.fuzzCase.id).map(
            ({ change, fuzzCase }) => `    ${describeCase(fuzzCase)}\n      → ${clip(change, 200)}`,
          )
        : members.slice(0, examples).map(({ change }) => `    ${clip(change, 200)}`);
      return [`${key}: ${members.length} change(s)${requests ? ` by ${requests} request(s)` : ''}`, ...shown].join('\n');
    },
  );
}
