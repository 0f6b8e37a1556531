/**
 * An association by its name: ListAssociations filtered on AssociationName
 * (one call), then DescribeAssociation for what the list leaves out
 * (OutputLocation, Parameters). Two of one name are refused: which one
 * `schedule` should update, or `collect` read, would be a guess.
 */
import type { AssociationDescription } from '@aws-sdk/client-ssm';
import { allPages } from '../aws/all-pages.js';
import type { SsmAssociationsApi } from '../aws/ssm-api.js';
import { ToolError, UsageError } from '../errors.js';

export async function findAssociationId(ssm: SsmAssociationsApi, name: string): Promise<string | undefined> {
  const found = await allPages('ListAssociations', async (token) => {
    const page = await ssm.listAssociations({ AssociationFilterList: [{ key: 'AssociationName', value: name }], NextToken: token });
    return { items: page.Associations ?? [], nextToken: page.NextToken };
  });
  if (found.length > 1) {
    throw new UsageError(`${found.length} associations are named ${name} (${found.map((a) => a.AssociationId).join(', ')}): delete all but one`, 'AmbiguousAssociation');
  }
  return found[0]?.AssociationId;
}

export async function describeAssociation(ssm: SsmAssociationsApi, associationId: string): Promise<AssociationDescription> {
  const answer = await ssm.describeAssociation({ AssociationId: associationId });
  if (!answer.AssociationDescription) throw new ToolError('UnexpectedAnswer', `DescribeAssociation ${associationId} answered no AssociationDescription`);
  return answer.AssociationDescription;
}
