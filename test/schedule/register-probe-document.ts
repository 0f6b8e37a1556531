/** Registers the shipped probe document (documents/swarm-audit-probe.json) on an endpoint, as an operator does once per account and region. */
import { readFileSync } from 'node:fs';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';

export async function registerProbeDocument(endpointUrl: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const ssm = new SSMClient({ endpoint: endpointUrl, region: 'us-east-1', credentials });
  try {
    const content = readFileSync(new URL('../../documents/swarm-audit-probe.json', import.meta.url), 'utf8');
    await ssm.send(new CreateDocumentCommand({ Name: 'swarm-audit-probe', Content: content, DocumentType: 'Command', DocumentFormat: 'JSON' }));
  } finally {
    ssm.destroy();
  }
}
