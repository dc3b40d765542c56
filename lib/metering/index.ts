export { resolveCustomer, type ResolvedCustomer, type TokenProblem } from "./customers";
