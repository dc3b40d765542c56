export { createObject } from "./objects";
