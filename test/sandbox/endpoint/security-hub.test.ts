/**
 * Security Hub on the sandbox endpoint through the real SDK, with AWS's
 * documented limits: 1..100 findings per BatchImportFindings, each finding
 * checked on its own (required ASFF attributes, SchemaVersion, the caller's
 * default ProductArn and account) with refusals in FailedFindings, upsert by
 * ProductArn + Id, GetFindings filters and MaxResults 1..100 with NextToken.
 */
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const PRODUCT = `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`;
let endpoint: RunningEndpoint;
let hub: SecurityHubClient;

beforeAll(async () => {
  endpoint = await startEndpoint({ fleet: parseFleetFile({ accountId: ACCOUNT, region: REGION, instances: [] }) });
  hub = new SecurityHubClient({ endpoint: endpoint.url, region: REGION, credentials: { accessKeyId: 'AKIDHUB', secretAccessKey: 'x' }, maxAttempts: 1 });
});

afterAll(async () => {
  hub?.destroy();
  await endpoint?.close();
});

const finding = (id: string, over: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: id,
  ProductArn: PRODUCT,
  GeneratorId: 'test/generator',
  AwsAccountId: ACCOUNT,
  Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
  CreatedAt: '2026-11-30T10:00:00.000Z',
  UpdatedAt: '2026-11-30T10:00:00.000Z',
  Severity: { Label: 'HIGH' },
  Title: `finding ${id}`,
  Description: 'a test finding',
  Resources: [{ Type: 'Other', Id: `resource/${id}` }],
  Compliance: { Status: 'FAILED' },
  RecordState: 'ACTIVE',
  ProductFields: { 'test/batch': 'default' },
  ...over,
});

const importFindings = (findings: AwsSecurityFinding[]) => hub.send(new BatchImportFindingsCommand({ Findings: findings }));

async function getAll(Filters: AwsSecurityFindingFilters, MaxResults?: number): Promise<{ findings: AwsSecurityFinding[]; pages: number[] }> {
  const findings: AwsSecurityFinding[] = [];
  const pages: number[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ Filters, MaxResults, NextToken }));
    findings.push(...(page.Findings ?? []));
    pages.push(page.Findings?.length ?? 0);
    NextToken = page.NextToken;
  } while (NextToken);
  return { findings, pages };
}

describe('BatchImportFindings', () => {
  test('imports valid findings and refuses invalid ones one by one in FailedFindings', async () => {
    const missingTitle = finding('bad/missing-title');
    delete missingTitle.Title;
    const out = await importFindings([
      finding('ok/1'),
      missingTitle,
      finding('bad/schema', { SchemaVersion: '2020-01-01' }),
      finding('bad/product', { ProductArn: `arn:aws:securityhub:${REGION}:210987654321:product/210987654321/default` }),
      finding('bad/account', { AwsAccountId: '210987654321' }),
      finding('bad/region', { ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default` }),
      finding('bad/severity', { Severity: { Label: 'SEVERE' as never } }),
      finding('bad/type', { Types: ['Made Up/Category'] }),
    ]);
    expect(out.SuccessCount).toBe(1);
    expect(out.FailedCount).toBe(7);
    const byId = Object.fromEntries((out.FailedFindings ?? []).map((f) => [f.Id, `${f.ErrorCode}: ${f.ErrorMessage}`]));
    expect(byId['bad/missing-title']).toMatch(/^InvalidInput: .*required property 'Title'/);
    expect(byId['bad/schema']).toMatch(/^InvalidInput: .*SchemaVersion/);
    expect(byId['bad/product']).toMatch(/^AccessDeniedException: .*product/);
    expect(byId['bad/account']).toMatch(/^AccessDeniedException: .*account 210987654321/);
    expect(byId['bad/region']).toMatch(/^AccessDeniedException/);
    expect(byId['bad/severity']).toMatch(/Severity\.Label/);
    expect(byId['bad/type']).toMatch(/Types\[0\]/);
    const stored = await getAll({ Id: [{ Value: 'bad/', Comparison: 'PREFIX' }] });
    expect(stored.findings).toEqual([]);
    expect((await getAll({ Id: [{ Value: 'ok/1', Comparison: 'EQUALS' }] })).findings).toHaveLength(1);
  });

  test('a finding over 240 KB is refused with the size error', async () => {
    const fields = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'é'.repeat(2048)]));
    const resources = Array.from({ length: 32 }, (_, i) => ({ Type: 'Other', Id: `r${i}`, Details: { Other: Object.fromEntries(Array.from({ length: 50 }, (_, j) => [`d${j}`, 'x'.repeat(1024)])) } }));
    const out = await importFindings([finding('big/1', { ProductFields: fields, Resources: resources })]);
    expect(out.FailedFindings).toEqual([{ Id: 'big/1', ErrorCode: 'FindingSizeExceeded', ErrorMessage: expect.stringMatching(/240 KB/) }]);
  });

  test('0 or 101 findings in one call are refused as a whole (InvalidInputException), nothing imported', async () => {
    await expect(importFindings([])).rejects.toMatchObject({ name: 'InvalidInputException' });
    const tooMany = Array.from({ length: 101 }, (_, i) => finding(`over/${i}`));
    await expect(importFindings(tooMany)).rejects.toMatchObject({ name: 'InvalidInputException' });
    const { findings } = await getAll({ Id: [{ Value: 'over/', Comparison: 'PREFIX' }] });
    expect(findings).toEqual([]);
  });

  test('a second import of the same ProductArn + Id updates the finding: a PASS archives the FAIL', async () => {
    await importFindings([finding('upsert/1'), finding('upsert/2')]);
    const [first] = (await getAll({ Id: [{ Value: 'upsert/1', Comparison: 'EQUALS' }] })).findings;
    expect(first).toMatchObject({ RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' }, Workflow: { Status: 'NEW' }, Region: REGION });
    await importFindings([finding('upsert/1', { UpdatedAt: '2026-11-30T11:00:00.000Z', Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' })]);
    const after = (await getAll({ Id: [{ Value: 'upsert/', Comparison: 'PREFIX' }] })).findings;
    expect(after.map((f) => [f.Id, f.RecordState, f.Compliance?.Status, f.UpdatedAt])).toEqual([
      ['upsert/1', 'ARCHIVED', 'PASSED', '2026-11-30T11:00:00.000Z'],
      ['upsert/2', 'ACTIVE', 'FAILED', '2026-11-30T10:00:00.000Z'],
    ]);
    const active = await getAll({ Id: [{ Value: 'upsert/', Comparison: 'PREFIX' }], RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] });
    expect(active.findings.map((f) => f.Id)).toEqual(['upsert/2']);
  });
});

describe('GetFindings', () => {
  beforeAll(async () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      finding(`page/${String(i).padStart(3, '0')}`, { ProductFields: { 'test/batch': 'paging', 'test/parity': i % 2 === 0 ? 'even' : 'odd' }, Severity: { Label: i % 5 === 0 ? 'LOW' : 'HIGH' } }),
    );
    for (let i = 0; i < many.length; i += 100) await importFindings(many.slice(i, i + 100));
  });

  const paging = { 'test/batch': 'paging' };
  const productFields = (fields: Record<string, string>, Comparison: 'EQUALS' | 'NOT_EQUALS' = 'EQUALS') =>
    Object.entries(fields).map(([Key, Value]) => ({ Key, Value, Comparison }));

  test('pages 100 at most (the default and the maximum), in import order', async () => {
    const { findings, pages } = await getAll({ ProductFields: productFields(paging) });
    expect(pages).toEqual([100, 100, 50]);
    expect(findings.map((f) => f.Id)).toEqual(Array.from({ length: 250 }, (_, i) => `page/${String(i).padStart(3, '0')}`));
    expect((await getAll({ ProductFields: productFields(paging) }, 40)).pages).toEqual([40, 40, 40, 40, 40, 40, 10]);
  });

  test('MaxResults outside 1..100 and a token from another query are refused', async () => {
    await expect(hub.send(new GetFindingsCommand({ MaxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(hub.send(new GetFindingsCommand({ MaxResults: 0 }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    const first = await hub.send(new GetFindingsCommand({ Filters: { ProductFields: productFields(paging) } }));
    await expect(hub.send(new GetFindingsCommand({ NextToken: first.NextToken }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  test('filters: EQUALS/PREFIX are ORed, NOT_EQUALS ANDed, attributes ANDed; mixing kinds or unknown attributes is refused', async () => {
    const low = await getAll({ ProductFields: productFields(paging), SeverityLabel: [{ Value: 'LOW', Comparison: 'EQUALS' }] });
    expect(low.findings).toHaveLength(50);
    const lowOrHigh = await getAll({ ProductFields: productFields(paging), SeverityLabel: [{ Value: 'LOW', Comparison: 'EQUALS' }, { Value: 'HIGH', Comparison: 'EQUALS' }] });
    expect(lowOrHigh.findings).toHaveLength(250);
    const evenNotLow = await getAll({ ProductFields: productFields({ ...paging, 'test/parity': 'even' }), SeverityLabel: [{ Value: 'LOW', Comparison: 'NOT_EQUALS' }] });
    expect(evenNotLow.findings).toHaveLength(125 - 25);
    const notOdd = await getAll({ ProductFields: [...productFields(paging), ...productFields({ 'test/parity': 'odd' }, 'NOT_EQUALS')] });
    expect(notOdd.findings).toHaveLength(125);
    await expect(getAll({ SeverityLabel: [{ Value: 'LOW', Comparison: 'EQUALS' }, { Value: 'HIGH', Comparison: 'NOT_EQUALS' }] })).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(getAll({ MalwareName: [{ Value: 'x', Comparison: 'EQUALS' }] })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/MalwareName/) });
  });
});
