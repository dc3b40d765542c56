export { db, dynamodb } from "./client";
export { TABLE, tableName } from "./table";
