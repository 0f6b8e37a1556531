/** The shapes AWS gives these names, as JSON Schema / RegExp sources shared by the flags and the accounts file. */
export const ACCOUNT_ID_PATTERN = '^\\d{12}$';
/** IAM's role ARN: partition, 12-digit account, optional path, role name of [\w+=,.@-]. */
export const ROLE_ARN_PATTERN = '^arn:aws(-[a-z]+)*:iam::\\d{12}:role\\/([\\w+=,.@-]+\\/)*[\\w+=,.@-]{1,64}$';
/** us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4. */
export const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$';
