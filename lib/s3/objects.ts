import { PutObjectCommand } from "@aws-sdk/client-s3";
import { s3 } from "./client";

/**
 * Writes an object only if its key is free (If-None-Match), with a checksum (Object Lock buckets
 * refuse writes without one). False when the key already holds an object: it is never overwritten.
 */
export async function createObject(bucket: string, key: string, body: string, contentType: string): Promise<boolean> {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: "*", ChecksumAlgorithm: "SHA256" }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 412) throw error;
    return false;
  }
}
