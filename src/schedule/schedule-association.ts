/**
 * `swarm-audit schedule`: makes the association exist as asked, once.
 * ListAssociations by name (1 call), then CreateAssociation (2 calls in all),
 * or DescribeAssociation and nothing more when it is already as asked (2), or
 * UpdateAssociation with the version read, so a concurrent change is refused
 * rather than overwritten (3). A dry run makes the reads and no write.
 */
import { AwsError } from '../errors.js';
import { ASSOCIATION_ERRORS, type SsmAssociationsApi } from '../aws/ssm-api.js';
import { UsageError } from '../errors.js';
import { changesFrom, type DesiredAssociation, type FieldChange } from './desired-association.js';
import { describeAssociation, findAssociationId } from './find-association.js';

export type ScheduleOutcome =
  | { action: 'created'; associationId: string; version: string }
  | { action: 'updated'; associationId: string; version: string; changes: FieldChange[] }
  | { action: 'unchanged'; associationId: string; version: string }
  | { action: 'would-create'; association: DesiredAssociation }
  | { action: 'would-update'; associationId: string; version: string; changes: FieldChange[]; association: DesiredAssociation & { AssociationId: string; AssociationVersion: string } };

export async function scheduleAssociation(ssm: SsmAssociationsApi, desired: DesiredAssociation, dryRun: boolean): Promise<ScheduleOutcome> {
  const existingId = await findAssociationId(ssm, desired.AssociationName);
  if (existingId === undefined) {
    if (dryRun) return { action: 'would-create', association: desired };
    const created = await withDocumentHint(desired.Name, () => ssm.createAssociation(desired));
    const description = created.AssociationDescription;
    return { action: 'created', associationId: description?.AssociationId ?? '(unknown)', version: description?.AssociationVersion ?? '1' };
  }
  const current = await describeAssociation(ssm, existingId);
  const version = current.AssociationVersion ?? '$LATEST';
  const changes = changesFrom(current, desired);
  if (changes.length === 0) return { action: 'unchanged', associationId: existingId, version };
  const update = { ...desired, AssociationId: existingId, AssociationVersion: version };
  if (dryRun) return { action: 'would-update', associationId: existingId, version, changes, association: update };
  const updated = await withDocumentHint(desired.Name, () => ssm.updateAssociation(update));
  return { action: 'updated', associationId: existingId, version: updated.AssociationDescription?.AssociationVersion ?? '(unknown)', changes };
}

export type DeleteOutcome = { action: 'deleted'; associationId: string } | { action: 'absent' };

/** Deleting what is not there is not an error: the state asked for (no association) holds. */
export async function deleteAssociation(ssm: SsmAssociationsApi, name: string): Promise<DeleteOutcome> {
  const existingId = await findAssociationId(ssm, name);
  if (existingId === undefined) return { action: 'absent' };
  try {
    await ssm.deleteAssociation({ AssociationId: existingId });
  } catch (err) {
    // deleted by someone else between the list and the delete: the same end state
    if (err instanceof AwsError && err.code === ASSOCIATION_ERRORS.doesNotExist) return { action: 'absent' };
    throw err;
  }
  return { action: 'deleted', associationId: existingId };
}

/** A missing probe document is the usual first-run mistake: say how to create it. */
async function withDocumentHint<T>(documentName: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AwsError && err.code === ASSOCIATION_ERRORS.invalidDocument) {
      throw new UsageError(
        `SSM document ${documentName} does not exist in this account and region: create it first with ` +
          `aws ssm create-document --name ${documentName} --document-type Command --document-format JSON --content file://documents/swarm-audit-probe.json`,
        'DocumentMissing',
        { cause: err },
      );
    }
    throw err;
  }
}
