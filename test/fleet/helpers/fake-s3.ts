/** An S3 bucket in memory behind our narrow S3Api: paging, NoSuchKey, and objects that appear later. */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { S3Api } from '../../../src/aws/s3-api.js';

export class FakeS3 implements S3Api {
  readonly listed: ListObjectsV2CommandInput[] = [];
  readonly read: string[] = [];
  /** The agent uploads after reporting the status: the first listings find nothing. */
  hiddenListings = 0;
  /** Every call fails with this (e.g. AccessDenied). */
  failure?: Error;
  constructor(
    readonly objects: Record<string, string>,
    private readonly pageSize = 1_000,
  ) {}

  async getObjectText({ Key }: { Bucket: string; Key: string }): Promise<string> {
    this.read.push(Key);
    const body = this.objects[Key];
    if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return body;
  }

  async listObjectsV2(input: ListObjectsV2CommandInput): Promise<ListObjectsV2CommandOutput> {
    this.listed.push(input);
    if (this.failure) throw this.failure;
    if (this.hiddenListings-- > 0) return { $metadata: {}, Contents: [], IsTruncated: false };
    const keys = Object.keys(this.objects).filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = keys.slice(start, start + this.pageSize);
    const more = start + this.pageSize < keys.length;
    return { $metadata: {}, Contents: page.map((Key) => ({ Key })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + this.pageSize) } : {}) };
  }
}
