import { HttpRoutes, type HttpRoute } from '@storefront/contracts';
import { fuzzCases, FUZZ_SEED } from '../support/fuzz/catalogue';
import { sendAll, type Answer } from '../support/fuzz/raw-client';
import { routeKey, type FuzzCase } from '../support/fuzz/requests';
import { settled, snapshotTables, tableChanges, trailChanges, type TableState, type TrailEntries } from '../support/fuzz/system-state';
import { judge, report, SERVER_ERROR_IN_DISGUISE, stateReport, type Violation } from '../support/fuzz/verdicts';
import { seedWorld, warmUp } from '../support/fuzz/world';
import { sharedLocalStack, type SharedStack } from '../support/shared-stack';

const CONCURRENCY = 10;
const SERVER_ERRORS = ['no HTTP answer', 'a server error (5xx)', SERVER_ERROR_IN_DISGUISE];
const MINIMUM_REQUESTS = 2_000;

let stack: SharedStack;
let cases: FuzzCase[];
let answers: Map<number, Answer>;
let violations: Violation[];
let tables: { before: TableState; after: TableState };
let trail: { before: TrailEntries; after: TrailEntries };

const violationsOf = (...rules: (string | RegExp)[]) =>
  report(violations.filter(({ rule }) => rules.some((r) => (typeof r === 'string' ? rule === r : r.test(rule)))));

/** Fails with the grouped report itself: the requests and answers, readable, not an escaped array. */
function expectNone(groups: string[], what: string) {
  if (groups.length) throw new Error(`${what}, in ${groups.length} group(s):\n\n${groups.join('\n\n')}`);
}

/**
 * The shared stack, seeded, warmed and settled; a snapshot of every table and of the trail; then the
 * whole seeded catalogue of bad requests, and the same snapshots once everything has settled again.
 */
beforeAll(async () => {
  stack = await sharedLocalStack();
  const world = await seedWorld(stack.baseUrl);
  await warmUp(stack.baseUrl, world);
  cases = fuzzCases(world);
  const trailBefore = await settled(stack.baseUrl);
  const tablesBefore = await snapshotTables(stack.endpoints.dynamodb);

  const started = Date.now();
  answers = await sendAll(stack.baseUrl, cases, CONCURRENCY);
  const seconds = (Date.now() - started) / 1000;

  trail = { before: trailBefore, after: await settled(stack.baseUrl) };
  tables = { before: tablesBefore, after: await snapshotTables(stack.endpoints.dynamodb) };
  violations = cases.flatMap((fuzzCase) => judge(fuzzCase, answers.get(fuzzCase.id) ?? { error: 'never sent' }));
  const serverErrors = violations.filter(({ rule }) => SERVER_ERRORS.includes(rule)).length;
  console.log(
    `fuzz: ${cases.length.toLocaleString('en')} requests in ${seconds.toFixed(1)} s (seed ${FUZZ_SEED}, ${CONCURRENCY} in flight), ` +
      `${serverErrors} server errors, ${new Set(violations.map((v) => v.fuzzCase.id)).size} requests breaking a rule`,
  );
}, 600_000);

describe('the HTTP API under malformed, oversized and wrongly typed requests', () => {
  it('sends at least 2,000 of them, a seeded and repeatable set, to every route of the contract', () => {
    const routes = Object.values(HttpRoutes as Record<string, HttpRoute>).map(routeKey);
    const fuzzed = new Set(cases.map((fuzzCase) => fuzzCase.route));

    expect(cases.length).toBeGreaterThanOrEqual(MINIMUM_REQUESTS);
    expect(routes.filter((route) => !fuzzed.has(route))).toEqual([]);
    expect(answers.size).toBe(cases.length);
  });

  it('answers every request, and none with a server error', () => {
    expectNone(violationsOf(...SERVER_ERRORS), 'Requests without an answer or with a server error');
  });

  it('answers every 4xx as application/problem+json with type, title, detail and its status', () => {
    expectNone(
      violationsOf('a 4xx that is not application/problem+json', 'a problem without type, title, detail and its status'),
      '4xx answers that are not problem+json',
    );
  });

  it('answers 415 to a body that is not JSON, 413 over 10 MB, 404 or 405 to a method nothing serves, a 4xx to any write it refuses', () => {
    expectNone(violationsOf(/^answered /), 'Answers with another status than the kind of request calls for');
  });

  it('writes nothing: every table holds exactly the items it held before', () => {
    expectNone(stateReport(tableChanges(tables.before, tables.after), cases), 'Table items the requests added, changed or removed');
  });

  it('publishes nothing: the trail of published and delivered events gained no entry', () => {
    expectNone(stateReport(trailChanges(trail.before, trail.after), cases), 'Trail entries the requests caused');
  });
});
