import { SESv2Client } from "@aws-sdk/client-sesv2";
import { clientConfig } from "../aws/client-config";

export const ses = new SESv2Client(clientConfig);
