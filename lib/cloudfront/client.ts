import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { clientConfig } from "../aws/client-config";

export const cloudfront = new CloudFrontClient(clientConfig);
