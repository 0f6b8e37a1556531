/** Operations the endpoint implements; fault maps may only name these (or "default"). */
export const SSM_OPERATIONS = [
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
] as const;

export const EC2_OPERATIONS = ['DescribeInstances', 'DescribeSecurityGroups'] as const;

export type SsmOperation = (typeof SSM_OPERATIONS)[number];
export type Ec2Operation = (typeof EC2_OPERATIONS)[number];

const KNOWN = new Set<string>([...SSM_OPERATIONS, ...EC2_OPERATIONS]);

export function isKnownOperation(name: string): boolean {
  return KNOWN.has(name);
}
