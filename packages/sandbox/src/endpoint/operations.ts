/** Operations the endpoint implements; fault maps may only name these (or "default"). */
const SSM_OPERATIONS = [
  'DescribeInstanceInformation',
  'SendCommand',
  'ListCommandInvocations',
  'GetCommandInvocation',
  'ListCommands',
  'CancelCommand',
  'PutComplianceItems',
  'ListComplianceItems',
  'CreateDocument',
  'UpdateDocument',
  'DescribeDocument',
  'GetDocument',
  'UpdateDocumentDefaultVersion',
  'CreateAssociation',
  'UpdateAssociation',
  'DescribeAssociation',
  'ListAssociations',
  'DescribeAssociationExecutions',
  'DescribeAssociationExecutionTargets',
  'DeleteAssociation',
] as const;

const EC2_OPERATIONS = ['DescribeInstances', 'DescribeSecurityGroups'] as const;

/** The sandbox S3 (path-style), where commands with OutputS3BucketName leave their outputs. */
const S3_OPERATIONS = ['PutObject', 'GetObject', 'ListObjectsV2'] as const;

/** STS (query protocol): who the caller is, and --role-arn's AssumeRole. */
export const STS_OPERATIONS = ['GetCallerIdentity', 'AssumeRole'] as const;

/** Security Hub (REST-JSON): audit --security-hub imports, a reader gets them back. */
const SECURITYHUB_OPERATIONS = ['BatchImportFindings', 'GetFindings'] as const;

export type StsOperation = (typeof STS_OPERATIONS)[number];
export type SecurityHubOperation = (typeof SECURITYHUB_OPERATIONS)[number];
export type SsmOperation = (typeof SSM_OPERATIONS)[number];
export type Ec2Operation = (typeof EC2_OPERATIONS)[number];

const KNOWN = new Set<string>([...SSM_OPERATIONS, ...EC2_OPERATIONS, ...S3_OPERATIONS, ...STS_OPERATIONS, ...SECURITYHUB_OPERATIONS]);

export function isKnownOperation(name: string): boolean {
  return KNOWN.has(name);
}
