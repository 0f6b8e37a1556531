/**
 * The IAM policy examples in documents/ are IAM policy documents (version,
 * statements with Effect, Action and Resource, `service:Action` names), and
 * the one for collect grants reads only: it may never write to S3 or SSM.
 */
import { readdirSync, readFileSync } from 'node:fs';

const DOCUMENTS = new URL('../../documents/', import.meta.url);
const policyFiles = readdirSync(DOCUMENTS).filter((f) => /^iam-.*\.json$/.test(f));

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const load = (file: string) => JSON.parse(readFileSync(new URL(file, DOCUMENTS), 'utf8')) as { Version: string; Statement: Statement[] };
const actionsOf = (file: string) => load(file).Statement.flatMap((s) => [s.Action].flat());
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);

test('the State Manager policies are among the examples', () => {
  expect(policyFiles).toEqual(expect.arrayContaining(['iam-schedule-policy.json', 'iam-collect-policy.json', 'iam-instance-output-policy.json']));
});

test.each(policyFiles)('%s is an IAM policy document', (file) => {
  const policy = load(file);
  expect(Object.keys(policy).sort()).toEqual(['Statement', 'Version']);
  expect(policy.Version).toBe('2012-10-17');
  expect(policy.Statement.length).toBeGreaterThan(0);
  const sids = policy.Statement.map((s) => s.Sid).filter(Boolean);
  expect(new Set(sids).size).toBe(sids.length);
  for (const statement of policy.Statement) {
    expect([...Object.keys(statement)].filter((k) => !STATEMENT_KEYS.has(k))).toEqual([]);
    expect(['Allow', 'Deny']).toContain(statement.Effect);
    for (const action of [statement.Action].flat()) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9*]+$/);
    for (const resource of [statement.Resource].flat()) expect(resource).toMatch(/^(\*|arn:aws:[a-z0-9-]+:[a-z0-9-*]*:[0-9*]*:.+)$/);
  }
});

test('collect is read-only: S3 GetObject/ListBucket and Describe/List calls, nothing else', () => {
  const actions = actionsOf('iam-collect-policy.json');
  expect(actions.length).toBeGreaterThan(0);
  const reads = /^(s3:(GetObject|ListBucket)|(ssm|ec2):(Describe|List)[A-Za-z]+)$/;
  expect(actions.filter((a) => !reads.test(a))).toEqual([]);
  expect(actions.filter((a) => /\*/.test(a))).toEqual([]);
});

test('schedule writes associations only, on the probe document, and sends no command', () => {
  const actions = actionsOf('iam-schedule-policy.json');
  expect(actions).toEqual(expect.arrayContaining(['ssm:CreateAssociation', 'ssm:UpdateAssociation', 'ssm:DeleteAssociation', 'ssm:DescribeAssociation', 'ssm:ListAssociations']));
  expect(actions.filter((a) => !/^ssm:(Create|Update|Delete|Describe|List)Association?s?$/.test(a))).toEqual([]);
  const write = load('iam-schedule-policy.json').Statement.find((s) => [s.Action].flat().includes('ssm:CreateAssociation'))!;
  expect([write.Resource].flat()).toContain('arn:aws:ssm:*:*:document/swarm-audit-probe');
  expect([write.Resource].flat().filter((r) => /document\//.test(r))).toEqual(['arn:aws:ssm:*:*:document/swarm-audit-probe']);
});
