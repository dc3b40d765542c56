export { cognito } from "./client";
