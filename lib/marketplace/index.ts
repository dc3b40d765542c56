export { marketplaceMetering } from "./client";
