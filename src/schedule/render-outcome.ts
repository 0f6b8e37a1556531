/** What `schedule` prints: one line of what it did, the changes of an update, and the JSON a dry run would write. */
import type { DesiredAssociation } from './desired-association.js';
import type { DeleteOutcome, ScheduleOutcome } from './schedule-association.js';

export function renderScheduleOutcome(outcome: ScheduleOutcome, desired: DesiredAssociation): string {
  const what = describe(desired);
  switch (outcome.action) {
    case 'created':
      return `created association ${desired.AssociationName} (${outcome.associationId}, version ${outcome.version}): ${what}\n`;
    case 'unchanged':
      return `unchanged: association ${desired.AssociationName} (${outcome.associationId}, version ${outcome.version}) already ${what}\n`;
    case 'updated':
      return `updated association ${desired.AssociationName} (${outcome.associationId}) to version ${outcome.version}:\n${changeLines(outcome)}`;
    case 'would-create':
      return `dry run: would create association ${desired.AssociationName} (nothing written):\n${JSON.stringify(outcome.association, null, 2)}\n`;
    case 'would-update':
      return (
        `dry run: would update association ${desired.AssociationName} (${outcome.associationId}, version ${outcome.version}; nothing written):\n` +
        `${changeLines(outcome)}${JSON.stringify(outcome.association, null, 2)}\n`
      );
  }
}

export function renderDeleteOutcome(outcome: DeleteOutcome, name: string): string {
  return outcome.action === 'deleted'
    ? `deleted association ${name} (${outcome.associationId})\n`
    : `no association named ${name}: nothing to delete\n`;
}

function changeLines(outcome: { changes: { field: string; from: string; to: string }[] }): string {
  return outcome.changes.map((c) => `  ${c.field}: ${c.from} -> ${c.to}\n`).join('');
}

function describe(desired: DesiredAssociation): string {
  const targets = desired.Targets.map((t) => `${t.Key}=${(t.Values ?? []).join(',')}`).join(' and ');
  const { OutputS3BucketName: bucket, OutputS3KeyPrefix: prefix } = desired.OutputLocation.S3Location;
  return `runs document ${desired.Name} on ${targets}, ${desired.ScheduleExpression}, outputs to s3://${bucket}/${prefix}/`;
}
