export { allows, createTokenInput, SCOPE_LABELS, TOKEN_EXPIRY_DAYS, TOKEN_NAME_MAX_LENGTH, TOKEN_SCOPES, tokenId, type TokenScope } from "./scopes";
export {
  authenticateToken,
  createToken,
  listTokens,
  MAX_TOKENS_PER_USER,
  readToken,
  revokeAllTokens,
  revokeToken,
  revokeTokensMadeBy,
  type FollowCognito,
  type Maker,
  type TokenCaller,
  type TokenView,
} from "./tokens";
