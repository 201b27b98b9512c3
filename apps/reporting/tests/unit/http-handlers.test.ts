import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { callHttp } from '@storefront/testing';

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
let getReport: typeof import('../../src/handlers/get-daily-report').handler;
let buildReport: typeof import('../../src/handlers/build-daily-report').handler;

beforeAll(async () => {
  Object.assign(process.env, {
    REPORTING_TABLE: 'reporting-test',
    REPORTS_BUCKET: 'reports-test',
    DAILY_REPORT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:daily-report',
  });
  getReport = (await import('../../src/handlers/get-daily-report')).handler;
  buildReport = (await import('../../src/handlers/build-daily-report')).handler;
});

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
});

const get = (date: string) =>
  callHttp(getReport, { method: 'GET', path: `/reports/daily/${date}`, pathParameters: { date }, as: { admin: true } });
const post = (date: string) =>
  callHttp(buildReport, { method: 'POST', path: `/reports/daily/${date}`, pathParameters: { date }, as: { admin: true } });
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The day's change count as the table keeps it: spread over shards. */
const versions = (date: string, ...counts: number[]) => ({
  Responses: { 'reporting-test': counts.map((version, shard) => ({ PK: `DAY#${date}`, SK: `VERSION#${shard}`, version })) },
});

const euros = { currency: 'EUR', orders: 3, units: 7, revenue: 8750, refunds: 0, refundedUnits: 0, refundedAmount: 0, netRevenue: 8750 };
const files = { json: 'reports/daily/2026-03-01.json', csv: 'reports/daily/2026-03-01.csv' };

describe('GET /reports/daily/{date}', () => {
  it('answers the summary with a 15-minute presigned download link of the CSV', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        date: '2026-03-01',
        builtVersion: 3,
        report: { date: '2026-03-01', builtAt: '2026-03-02T00:15:04.000Z', files, currencies: [euros], skuRows: 2 },
      },
    });
    dynamo.on(BatchGetCommand).resolves(versions('2026-03-01', 2, 1));

    const response = await get('2026-03-01');

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ date: '2026-03-01', stale: false, currencies: [euros], skuRows: 2, files });
    const url = new URL(response.json.download.csvUrl);
    expect(url.pathname).toContain('reports/daily/2026-03-01.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="sales-2026-03-01.csv"');
  });

  it('says the report is stale once events for its day arrived after it was built', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        date: '2026-03-01',
        builtVersion: 3,
        report: { date: '2026-03-01', builtAt: '2026-03-02T00:15:04.000Z', files, currencies: [euros], skuRows: 2 },
      },
    });
    dynamo.on(BatchGetCommand).resolves(versions('2026-03-01', 2, 1, 0, 2));

    expect((await get('2026-03-01')).json.stale).toBe(true);
  });

  it('answers 404 problem+json for a day whose figures exist but whose report was never built', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchGetCommand).resolves(versions('2026-03-01', 2));

    const response = await get('2026-03-01');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });

  it.each(['2026-02-30', '1-3-2026', 'latest'])('answers a 400 problem for %s, before reading anything', async (date) => {
    const response = await get(date);

    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([expect.objectContaining({ path: 'path.date' })]);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('POST /reports/daily/{date}', () => {
  it('takes the day for a new build and starts the workflow with it: 202', async () => {
    dynamo.on(PutCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });

    const response = await post(yesterday());

    expect(response.status).toBe(202);
    expect(response.json).toEqual({
      date: yesterday(),
      status: 'BUILDING',
      build: expect.stringMatching(new RegExp(`^daily-${yesterday()}-`)),
    });
    const started = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(started?.name).toBe(response.json.build);
    expect(JSON.parse(started?.input ?? '{}')).toEqual({ trigger: 'request', date: yesterday(), correlationId: expect.any(String) });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      PK: `DAY#${yesterday()}`,
      SK: 'BUILD',
      heldBy: response.json.build,
    });
  });

  it('answers 409 while another build holds the day, and starts nothing', async () => {
    dynamo.on(PutCommand).rejects(Object.assign(new Error('held'), { name: 'ConditionalCheckFailedException' }));

    const response = await post(yesterday());

    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('lets go of the day again when the workflow cannot be started', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    sfn.on(StartExecutionCommand).rejects(new Error('Step Functions is down'));

    const response = await post(yesterday());

    expect(response.status).toBe(500);
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({ Key: { PK: `DAY#${yesterday()}`, SK: 'BUILD' } });
  });

  it('refuses a day that has not begun with a 400 problem', async () => {
    const response = await post('2999-01-01');

    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([{ path: 'path.date', message: 'must not be after today (UTC)' }]);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
