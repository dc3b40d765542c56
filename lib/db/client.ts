import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { clientConfig } from "../aws/client-config";

export const dynamodb = new DynamoDBClient(clientConfig);

/** Document client: plain JS values in and out; undefined attributes dropped rather than rejected. */
export const db = DynamoDBDocument.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
