// Amazon SES v2: the one place the portal talks to SES (sending its notices by email).
export { ses } from "./client";
export { emailSchema, sendEmail, toEmailError, type Email } from "./send";
