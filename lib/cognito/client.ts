import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { clientConfig } from "../aws/client-config";

export const cognito = new CognitoIdentityProviderClient(clientConfig);
